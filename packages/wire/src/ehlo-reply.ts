import { C250Ok, type Reply } from '@smtpkit/reply';
import { isEsmtpKeyword } from './esmtp-parameters.js';
import { WireError } from './wire-error.js';

/**
 * A parsed EHLO reply: the server's name, its greeting, and its capabilities.
 *
 * @example
 * ```ts
 * const { capabilities } = parseEhloReply(reply);
 * if (capabilities.has('PIPELINING')) {} // send commands in groups
 * ```
 */
export interface EhloReply {
  /** The domain the server names itself with (first word of the first line); may be empty. */
  readonly domain: string;
  /** The rest of the first line. */
  readonly greeting: string;
  /** Upper-cased EHLO keyword → its parameters, in the order the server listed them. */
  readonly capabilities: ReadonlyMap<string, readonly string[]>;
}

/**
 * RFC 5321 §4.1.1.1:
 * ```
 * ehlo-ok-rsp = ( "250" SP Domain [ SP ehlo-greet ] CRLF )
 *             / ( "250-" Domain [ SP ehlo-greet ] CRLF
 *                 *( "250-" ehlo-line CRLF ) "250" SP ehlo-line CRLF )
 * ehlo-line   = ehlo-keyword *( SP ehlo-param )
 * ehlo-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
 * ehlo-param  = 1*(%d33-126)
 * ```
 * Tolerant of the pre-RFC 4954 `AUTH=PLAIN LOGIN` form (RFC 4954 §8 notes servers still send it):
 * a keyword followed by `=` is read like one followed by SP, and parameters of a keyword listed
 * twice are merged. Lines that are not an ehlo-line are skipped: a client should not fail on a
 * capability it cannot read. Keywords are upper-cased (they compare case-insensitively).
 *
 * @throws {WireError} `ERR_WIRE_EHLO_REPLY` when the reply is not a 250.
 * @example
 * ```ts
 * const ehlo = parseEhloReply({ code: 250, lines: ['mx.example hi', 'SIZE 1000', 'AUTH=PLAIN LOGIN'] });
 * ehlo.capabilities.get('SIZE'); // ['1000']
 * ehlo.capabilities.get('AUTH'); // ['PLAIN', 'LOGIN']
 * ```
 */
export function parseEhloReply(reply: Reply): EhloReply {
  if (reply.code !== C250Ok) {
    throw new WireError('ERR_WIRE_EHLO_REPLY', `EHLO was answered with ${reply.code}, not 250`);
  }
  const [first = '', ...rest] = reply.lines;
  const space = first.indexOf(' ');
  const domain = space < 0 ? first : first.slice(0, space);
  const greeting = space < 0 ? '' : first.slice(space + 1);
  const capabilities = new Map<string, string[]>();
  for (const line of rest) {
    const capability = ehloLine(line);
    if (capability === undefined) continue;
    const known = capabilities.get(capability.keyword);
    if (known === undefined) capabilities.set(capability.keyword, capability.params);
    else for (const p of capability.params) if (!known.includes(p)) known.push(p);
  }
  return { domain, greeting, capabilities };
}

/** RFC 5321 §4.1.1.1: `ehlo-line = ehlo-keyword *( SP ehlo-param )`, plus the old `KEYWORD=` form. */
function ehloLine(line: string): { keyword: string; params: string[] } | undefined {
  let end = 0;
  while (end < line.length && line[end] !== ' ' && line[end] !== '=') end++;
  const keyword = line.slice(0, end);
  if (!isEsmtpKeyword(keyword)) return undefined;
  const params = line
    .slice(end + 1)
    .split(' ')
    .filter((p) => p.length > 0 && isEhloParam(p));
  return { keyword: keyword.toUpperCase(), params };
}

/** RFC 5321 §4.1.1.1: `ehlo-param = 1*(%d33-126)`. */
function isEhloParam(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 33 || c > 126) return false;
  }
  return true;
}
