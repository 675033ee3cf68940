/**
 * What a server offered in its EHLO reply, as the client side of an extension reads it.
 *
 * @example
 * ```ts
 * import { parseServerCapabilities } from '@smtpkit/extensions';
 * const caps = parseServerCapabilities(['mx.example.com hello', 'SIZE 1000000', 'PIPELINING']);
 * caps.has('size'); // true
 * caps.params('SIZE'); // ['1000000']
 * ```
 */
export interface ServerCapabilities {
  /** The domain the server named on the first line. */
  readonly domain: string;
  /** Keywords in upper case, each with its parameters as sent. */
  readonly keywords: ReadonlyMap<string, readonly string[]>;
  /** Whether `keyword` (any case) was offered. */
  has(keyword: string): boolean;
  /** The parameters of `keyword`, or `undefined` when it was not offered. */
  params(keyword: string): readonly string[] | undefined;
}

// RFC 5321 §4.1.1.1:
//   ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
function isEhloKeyword(word: string): boolean {
  if (word.length === 0) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    const alnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!alnum && (i === 0 || c !== 0x2d)) return false;
  }
  return true;
}

// RFC 5321 §4.1.1.1: ehlo-param = 1*(%d33-126)
function isEhloParam(word: string): boolean {
  if (word.length === 0) return false;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}

/**
 * Builds capabilities from a keyword map (upper-cased here), for tests and for clients that cache
 * what a server offered.
 *
 * @example
 * ```ts
 * import { serverCapabilities } from '@smtpkit/extensions';
 * serverCapabilities({ CHUNKING: [], SIZE: ['1000'] }).has('chunking'); // true
 * ```
 */
export function serverCapabilities(
  keywords: Readonly<Record<string, readonly string[]>>,
  domain = '',
): ServerCapabilities {
  const map = new Map<string, readonly string[]>();
  for (const [k, v] of Object.entries(keywords)) map.set(k.toUpperCase(), v);
  return {
    domain,
    keywords: map,
    has: (keyword) => map.has(keyword.toUpperCase()),
    params: (keyword) => map.get(keyword.toUpperCase()),
  };
}

/**
 * Reads the text lines of a 250 EHLO reply (without the code), first line the greeting.
 *
 * RFC 5321 §4.1.1.1:
 *   ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
 *               / ( "250-" Domain [ SP ehlo-greet ] CRLF *( "250-" ehlo-line CRLF ) "250" SP ehlo-line CRLF )
 *   ehlo-line   = ehlo-keyword *( SP ehlo-param )
 *
 * Lines that are not an ehlo-line (such as the obsolete `AUTH=LOGIN`) are ignored; when a keyword
 * repeats, the first line wins.
 *
 * @example
 * ```ts
 * import { parseServerCapabilities } from '@smtpkit/extensions';
 * parseServerCapabilities(['mx.example', 'DSN', 'AUTH PLAIN LOGIN']).params('AUTH'); // ['PLAIN', 'LOGIN']
 * ```
 */
export function parseServerCapabilities(lines: readonly string[]): ServerCapabilities {
  const keywords: Record<string, readonly string[]> = {};
  const first = lines[0] ?? '';
  const space = first.indexOf(' ');
  const domain = space === -1 ? first : first.slice(0, space);
  for (let i = 1; i < lines.length; i++) {
    const words = (lines[i] ?? '').split(' ').filter((w) => w !== '');
    const [keyword, ...params] = words;
    if (keyword === undefined || !isEhloKeyword(keyword)) continue;
    if (!params.every(isEhloParam)) continue;
    const upper = keyword.toUpperCase();
    if (!(upper in keywords)) keywords[upper] = params;
  }
  return serverCapabilities(keywords, domain);
}

export { isEhloKeyword as isEsmtpKeyword };
