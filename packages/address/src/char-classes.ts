/**
 * Character classes of RFC 5321 §4.1.2 / §4.1.3 and RFC 5234 core rules, as a 128-entry table so
 * that the scanners test one byte with one array read and never use a regular expression.
 */

const ALPHA = 1;
const DIGIT = 2;
const ATEXT = 4;
const QTEXT = 8;
const HEXDIG = 16;
const DCONTENT = 32;

const table = new Uint8Array(128);

for (let c = 0x41; c <= 0x5a; c++) table[c] = ALPHA | ATEXT | QTEXT | DCONTENT;
for (let c = 0x61; c <= 0x7a; c++) table[c] = ALPHA | ATEXT | QTEXT | DCONTENT;
for (let c = 0x30; c <= 0x39; c++) table[c] = DIGIT | ATEXT | QTEXT | DCONTENT | HEXDIG;
for (const ch of 'abcdefABCDEF') table[ch.charCodeAt(0)] = (table[ch.charCodeAt(0)] ?? 0) | HEXDIG;

// RFC 5322 §3.2.3: atext = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" /
//                          "/" / "=" / "?" / "^" / "_" / "`" / "{" / "|" / "}" / "~"
for (const ch of "!#$%&'*+-/=?^_`{|}~") {
  const c = ch.charCodeAt(0);
  table[c] = (table[c] ?? 0) | ATEXT;
}

// RFC 5321 §4.1.2: qtextSMTP = %d32-33 / %d35-91 / %d93-126
for (let c = 32; c <= 126; c++) {
  if (c !== 34 && c !== 92) table[c] = (table[c] ?? 0) | QTEXT;
}

// RFC 5321 §4.1.3: dcontent = %d33-90 / %d94-126
for (let c = 33; c <= 126; c++) {
  if (c < 91 || c > 93) table[c] = (table[c] ?? 0) | DCONTENT;
}

/** RFC 5234 ALPHA = %x41-5A / %x61-7A */
export function isAlpha(c: number): boolean {
  return c < 128 && ((table[c] ?? 0) & ALPHA) !== 0;
}

/** RFC 5234 DIGIT = %x30-39 */
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** RFC 5321 Let-dig = ALPHA / DIGIT */
export function isLetDig(c: number): boolean {
  return c < 128 && ((table[c] ?? 0) & (ALPHA | DIGIT)) !== 0;
}

/** RFC 5321 Ldh-str characters: ALPHA / DIGIT / "-" */
export function isLdh(c: number): boolean {
  return c === 0x2d || isLetDig(c);
}

/** RFC 5234 HEXDIG (case-insensitive, as ABNF strings are) */
export function isHexDig(c: number): boolean {
  return c < 128 && ((table[c] ?? 0) & HEXDIG) !== 0;
}

/** ASCII atext of RFC 5322 §3.2.3, used by RFC 5321 Atom. */
export function isAtextAscii(c: number): boolean {
  return c < 128 && ((table[c] ?? 0) & ATEXT) !== 0;
}

/** ASCII qtextSMTP of RFC 5321 §4.1.2. */
export function isQtextAscii(c: number): boolean {
  return c < 128 && ((table[c] ?? 0) & QTEXT) !== 0;
}

/** RFC 5321 §4.1.2: quoted-pairSMTP = %d92 %d32-126 (the character after the backslash). */
export function isQuotedPairChar(c: number): boolean {
  return c >= 32 && c <= 126;
}

/** RFC 5321 §4.1.3 dcontent. */
export function isDcontent(c: number): boolean {
  return c < 128 && ((table[c] ?? 0) & DCONTENT) !== 0;
}

/**
 * Length in UTF-16 code units of the well-formed non-ASCII scalar value at `i` (1 or 2), or 0 when
 * `i` holds a lone surrogate, which no UTF-8 octet sequence can carry (RFC 3629 §3).
 */
export function nonAsciiWidth(input: string, i: number): number {
  const c = input.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return 1;
  if (c >= 0xdc00) return 0;
  const next = input.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 0;
}

/** Number of UTF-8 octets needed for `input[start, end)` (lone surrogates count as 3, like U+FFFD). */
export function utf8Length(input: string, start = 0, end = input.length): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = input.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = input.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** True when every code unit of `s` is ASCII. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
