import { DowngradeError } from './downgrade-error.js';

/**
 * Turns the octets of an 8-bit phrase or comment (a string of chars 0-255, one per octet) into
 * RFC 2047 encoded-words, separated by spaces, that a phrase or a comment may hold.
 */
export type EncodeWords = (octets: string) => string;

/** One lexical piece of an address-list field body (RFC 5322 §3.2, §3.4). */
interface Token {
  readonly kind: 'word' | 'quoted' | 'comment' | 'angle' | 'special' | 'space';
  /** The raw text, as in the field. */
  readonly raw: string;
}

const hasEightBit = (text: string): boolean => /[\x80-\xff]/.test(text);

/**
 * The tokens of a field body: quoted-string, comment (nested, RFC 5322 §3.2.2), angle-addr (up to
 * its `>`, quoted local parts included), the specials that separate addresses and groups
 * (`,` `:` `;`), runs of white space (folds included), and words (everything else). Unbalanced
 * quotes, comments and angle brackets run to the end of the value. Every char lands in exactly one
 * token, so joining the raw texts gives the input back.
 */
function tokenize(value: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = value.length;
  while (i < n) {
    const c = value[i] as string;
    const start = i;
    if (c === '"') {
      i++;
      while (i < n && value[i] !== '"') i += value[i] === '\\' ? 2 : 1;
      i = Math.min(i + 1, n);
      tokens.push({ kind: 'quoted', raw: value.slice(start, i) });
    } else if (c === '(') {
      let depth = 0;
      while (i < n) {
        const d = value[i];
        if (d === '\\') i++;
        else if (d === '(') depth++;
        else if (d === ')' && --depth === 0) {
          i++;
          break;
        }
        i++;
      }
      i = Math.min(i, n);
      tokens.push({ kind: 'comment', raw: value.slice(start, i) });
    } else if (c === '<') {
      let quoted = false;
      while (i < n && (quoted || value[i] !== '>')) {
        if (value[i] === '\\') i++;
        else if (value[i] === '"') quoted = !quoted;
        i++;
      }
      i = Math.min(i + 1, n);
      tokens.push({ kind: 'angle', raw: value.slice(start, i) });
    } else if (c === ',' || c === ':' || c === ';') {
      i++;
      tokens.push({ kind: 'special', raw: c });
    } else if (/[ \t\r\n]/.test(c)) {
      while (i < n && /[ \t\r\n]/.test(value[i] as string)) i++;
      tokens.push({ kind: 'space', raw: value.slice(start, i) });
    } else {
      while (i < n && !/[ \t\r\n"(<,:;]/.test(value[i] as string)) i++;
      tokens.push({ kind: 'word', raw: value.slice(start, i) });
    }
  }
  return tokens;
}

/** The text a quoted-string or comment stands for: its delimiters and quoting backslashes gone. */
function unquote(raw: string, open: string, close: string): string {
  const inner = raw.startsWith(open)
    ? raw.slice(1, raw.endsWith(close) && raw.length > 1 ? -1 : undefined)
    : raw;
  return inner.replace(/\\([\s\S])/g, '$1').replace(/\r\n(?=[ \t])/g, '');
}

/**
 * Rewrites the body of an address field (From, To, Cc, Reply-To, …: RFC 5322 §3.4
 * `address-list`) whose octets include 8-bit ones, so that it holds 7-bit octets only:
 *
 * - a display name (`display-name = phrase`, before an angle-addr or a group's `:`) with 8-bit
 *   octets becomes encoded-words, which RFC 2047 §5 (3) allows in place of a phrase's words;
 * - a comment with 8-bit octets gets encoded-words for its text (RFC 2047 §5 (2));
 * - 8-bit octets in an address itself (an addr-spec, an angle-addr: RFC 6532 UTF-8 mailboxes)
 *   cannot be encoded (RFC 2047 §5: "An 'encoded-word' MUST NOT appear in any portion of an
 *   'addr-spec'"): a {@link DowngradeError} `ERR_MIME_DOWNGRADE_UTF8_ADDRESS` (5.6.7).
 *
 * Everything else is kept as it was. `value` holds one char per octet (chars 0-255).
 *
 * @example
 * ```ts
 * rewriteAddressList(' J\xc3\xb6rg <j@example.com>', (o) => `=?UTF-8?B?${btoa(o)}?=`);
 * // → ' =?UTF-8?B?SsO2cmc=?= <j@example.com>'
 * ```
 */
export function rewriteAddressList(value: string, encodeWords: EncodeWords): string {
  const tokens = tokenize(value);
  const out: string[] = tokens.map((t) => t.raw);
  // An element runs from one `,` `:` or `;` to the next; its words are a phrase when an
  // angle-addr or a group's `:` follows them inside it, an addr-spec otherwise.
  let begin = 0;
  for (let i = 0; i <= tokens.length; i++) {
    const token = tokens[i];
    if (token !== undefined && token.kind !== 'special') continue;
    const end = i;
    const isGroupName = token?.raw === ':';
    const angle = tokens.slice(begin, end).findIndex((t) => t.kind === 'angle');
    const phraseEnd = isGroupName ? end : angle === -1 ? begin : begin + angle;
    rewriteElement(tokens, out, begin, phraseEnd, end, encodeWords);
    begin = i + 1;
  }
  return out.join('');
}

function rewriteElement(
  tokens: readonly Token[],
  out: string[],
  begin: number,
  phraseEnd: number,
  end: number,
  encodeWords: EncodeWords,
): void {
  // Comments anywhere in the element: their text may be encoded.
  for (let k = begin; k < end; k++) {
    const t = tokens[k] as Token;
    if (t.kind === 'comment' && hasEightBit(t.raw))
      out[k] = `(${encodeWords(unquote(t.raw, '(', ')'))})`;
  }
  // The phrase: from its first word to its last, as one run of encoded-words.
  const words: number[] = [];
  for (let k = begin; k < phraseEnd; k++) {
    const kind = (tokens[k] as Token).kind;
    if (kind === 'word' || kind === 'quoted') words.push(k);
  }
  const first = words[0];
  const last = words[words.length - 1];
  if (
    first !== undefined &&
    last !== undefined &&
    words.some((k) => hasEightBit((tokens[k] as Token).raw))
  ) {
    const text = tokens
      .slice(first, last + 1)
      .map((t) =>
        t.kind === 'quoted'
          ? unquote(t.raw, '"', '"')
          : t.kind === 'space'
            ? ' '
            : t.kind === 'comment'
              ? unquote(t.raw, '(', ')')
              : t.raw,
      )
      .join('');
    out[first] = encodeWords(text);
    for (let k = first + 1; k <= last; k++) out[k] = '';
  }
  // What is left of the element is an address (or stray text): no 8-bit octet may stay there.
  for (let k = begin; k < end; k++) {
    if (hasEightBit(out[k] as string)) {
      throw new DowngradeError(
        'ERR_MIME_DOWNGRADE_UTF8_ADDRESS',
        'an address holds 8-bit octets (RFC 6532), which no encoded-word may carry (RFC 2047 §5)',
      );
    }
  }
}
