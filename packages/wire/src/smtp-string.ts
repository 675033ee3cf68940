/**
 * RFC 5321 §4.1.2:
 * ```
 * Quoted-string  = DQUOTE *QcontentSMTP DQUOTE
 * QcontentSMTP   = qtextSMTP / quoted-pairSMTP
 * quoted-pairSMTP = %d92 %d32-126
 * qtextSMTP      = %d32-33 / %d35-91 / %d93-126
 * ```
 * RFC 6531 §3.3 adds `UTF8-non-ascii` to qtextSMTP. Returns the decoded content, or undefined when
 * `text` is not exactly one Quoted-string.
 *
 * @example
 * ```ts
 * parseQuotedString('"John \\"J\\" Smith"'); // 'John "J" Smith'
 * ```
 */
export function parseQuotedString(text: string): string | undefined {
  if (text.length < 2 || text.charCodeAt(0) !== 34) return undefined;
  let out = '';
  let i = 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return i === text.length - 1 ? out : undefined;
    if (c === 92) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 32 && next <= 126)) return undefined;
      out += text[i + 1];
      i += 2;
      continue;
    }
    if (c < 32 || c === 127) return undefined;
    out += text[i];
    i++;
  }
  return undefined;
}

/**
 * Writes `value` as an RFC 5321 `String` (`Atom / Quoted-string`): as is when it is a plain token,
 * else quoted with `\` before `"` and `\`.
 *
 * @example
 * ```ts
 * formatSmtpString('Smith');      // 'Smith'
 * formatSmtpString('John Smith'); // '"John Smith"'
 * ```
 */
export function formatSmtpString(value: string): string {
  if (value.length > 0 && !/[\s"\\]/.test(value)) return value;
  return `"${value.replace(/["\\]/g, (m) => `\\${m}`)}"`;
}
