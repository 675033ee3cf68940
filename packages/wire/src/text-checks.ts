/**
 * True when `text` holds CR, LF or NUL: the characters that would end a line early on the wire or
 * truncate it in C-string peers (RFC 5321 §2.3.8, §4.1.1).
 *
 * @example
 * ```ts
 * hasLineBreakOrNul('a@b.example\r\nRCPT TO:<c@d>'); // true
 * ```
 */
export function hasLineBreakOrNul(text: string): boolean {
  return text.includes('\r') || text.includes('\n') || text.includes('\0');
}

/**
 * True when `text` holds a C0 control character or DEL, which no command argument may carry.
 *
 * @example
 * ```ts
 * hasControl('a\tb'); // true
 * ```
 */
export function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}
