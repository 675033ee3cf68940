/** RFC 5322 §3.2.3 atext, ASCII part: ALPHA / DIGIT and these specials. */
const ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

/**
 * RFC 5322 §3.2.3: `atext = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" /
 * "/" / "=" / "?" / "^" / "_" / "`" / "{" / "|" / "}" / "~"`; RFC 6531 §3.3: `atext =/
 * UTF8-non-ascii` under SMTPUTF8. Returns the length of the character at `i` when it is atext
 * (2 for a surrogate pair), else 0.
 */
function atextWidth(text: string, i: number, utf8: boolean): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) {
    const alnum = (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
    return alnum || ATEXT_SPECIALS.includes(text[i] as string) ? 1 : 0;
  }
  return utf8 ? nonAsciiWidth(text, i) : 0;
}

/** The length of the non-ASCII character at `i` (2 for a surrogate pair), or 0 for a lone half. */
function nonAsciiWidth(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const low = text.charCodeAt(i + 1);
    return low >= 0xdc00 && low <= 0xdfff ? 2 : 0;
  }
  return c >= 0xdc00 && c <= 0xdfff ? 0 : 1;
}

/** RFC 5321 §4.1.2: `Atom = 1*atext`. The index past the Atom at `start` (`start` when none). */
function scanAtom(text: string, start: number, utf8: boolean): number {
  let i = start;
  for (let w = atextWidth(text, i, utf8); i < text.length && w > 0; w = atextWidth(text, i, utf8)) {
    i += w;
  }
  return i;
}

/**
 * RFC 5321 §4.1.2:
 * ```
 * Quoted-string  = DQUOTE *QcontentSMTP DQUOTE
 * QcontentSMTP   = qtextSMTP / quoted-pairSMTP
 * quoted-pairSMTP = %d92 %d32-126
 * qtextSMTP      = %d32-33 / %d35-91 / %d93-126
 * ```
 * RFC 6531 §3.3 adds `UTF8-non-ascii` to qtextSMTP (under SMTPUTF8). Reads one Quoted-string at
 * `start` and returns its decoded content and the index after it, or undefined.
 */
function scanQuotedString(
  text: string,
  start: number,
  utf8: boolean,
): { value: string; end: number } | undefined {
  if (text.charCodeAt(start) !== 34) return undefined;
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return { value: out, end: i + 1 };
    if (c === 92) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 32 && next <= 126)) return undefined;
      out += text[i + 1];
      i += 2;
      continue;
    }
    if (c < 32 || c === 127) return undefined;
    const width = c < 0x80 ? 1 : utf8 ? nonAsciiWidth(text, i) : 0;
    if (width === 0) return undefined;
    out += text.slice(i, i + width);
    i += width;
  }
  return undefined;
}

/**
 * RFC 5321 §4.1.2 (RFC 6531 §3.3 adds UTF8-non-ascii to qtextSMTP):
 * ```
 * Quoted-string  = DQUOTE *QcontentSMTP DQUOTE
 * QcontentSMTP   = qtextSMTP / quoted-pairSMTP
 * quoted-pairSMTP = %d92 %d32-126
 * qtextSMTP      = %d32-33 / %d35-91 / %d93-126
 * ```
 * Returns the decoded content, or undefined when `text` is not exactly one Quoted-string.
 * Non-ASCII content is accepted; {@link parseSmtpString} is the form that knows SMTPUTF8.
 *
 * @example
 * ```ts
 * parseQuotedString('"John \\"J\\" Smith"'); // 'John "J" Smith'
 * ```
 */
export function parseQuotedString(text: string): string | undefined {
  const scanned = scanQuotedString(text, 0, true);
  return scanned !== undefined && scanned.end === text.length ? scanned.value : undefined;
}

/**
 * Options of {@link parseSmtpString}.
 *
 * @example
 * ```ts
 * parseSmtpString('Użytkownik', { smtputf8: true }); // 'Użytkownik'
 * ```
 */
export interface SmtpStringOptions {
  /** RFC 6531 §3.3: UTF-8 in the Atom and the Quoted-string (SMTPUTF8 in use). Default false. */
  readonly smtputf8?: boolean;
}

/**
 * RFC 5321 §4.1.2: `String = Atom / Quoted-string`, `Atom = 1*atext`. Returns the value (an Atom
 * as written, a Quoted-string decoded), or undefined when `text` is not exactly one String.
 * UTF-8 only with `smtputf8` (RFC 6531 §3.3).
 *
 * @example
 * ```ts
 * parseSmtpString('Smith');        // 'Smith'
 * parseSmtpString('"John Smith"'); // 'John Smith'
 * parseSmtpString('John Smith');   // undefined
 * ```
 */
export function parseSmtpString(text: string, options: SmtpStringOptions = {}): string | undefined {
  const utf8 = options.smtputf8 === true;
  if (text.charCodeAt(0) === 34) {
    const scanned = scanQuotedString(text, 0, utf8);
    return scanned !== undefined && scanned.end === text.length ? scanned.value : undefined;
  }
  return text.length > 0 && scanAtom(text, 0, utf8) === text.length ? text : undefined;
}

/**
 * RFC 5321 §4.1.2: `Dot-string = Atom *("." Atom)` (a local part as a user name is written). True
 * when `text` is exactly one; UTF-8 only with `smtputf8` (RFC 6531 §3.3).
 *
 * @example
 * ```ts
 * isDotStringText('john.smith'); // true
 * isDotStringText('john..smith'); // false
 * ```
 */
export function isDotStringText(text: string, options: SmtpStringOptions = {}): boolean {
  const utf8 = options.smtputf8 === true;
  let i = 0;
  for (;;) {
    const end = scanAtom(text, i, utf8);
    if (end === i) return false;
    if (end === text.length) return true;
    if (text.charCodeAt(end) !== 0x2e) return false;
    i = end + 1;
  }
}

/**
 * Writes `value` as an RFC 5321 `String` (`Atom / Quoted-string`): as is when it is an Atom
 * (non-ASCII counts as atext, RFC 6531 §3.3), else quoted with `\` before `"` and `\`.
 *
 * @example
 * ```ts
 * formatSmtpString('Smith');      // 'Smith'
 * formatSmtpString('John Smith'); // '"John Smith"'
 * formatSmtpString('a.b');        // '"a.b"'
 * ```
 */
export function formatSmtpString(value: string): string {
  if (value.length > 0 && scanAtom(value, 0, true) === value.length) return value;
  return `"${value.replace(/["\\]/g, (m) => `\\${m}`)}"`;
}
