import { isIP } from 'node:net';
import { SendError } from './send-error.js';

/**
 * A server as given on the command line: a host name or address, and a port when one was given.
 *
 * @example
 * ```ts
 * const a: ServerAddress = { host: '::1', port: 2525 }; // written [::1]:2525
 * ```
 */
export interface ServerAddress {
  /** A host name, an IPv4 address or an IPv6 address (without brackets). */
  readonly host: string;
  /** Absent: the default of the mode (25, or 465 with implicit TLS). */
  readonly port: number | undefined;
}

// RFC 1123 §2.1: labels of letters, digits and hyphens, no hyphen at either end, at most 63
// octets each, 253 in all; a trailing dot (the root) is allowed.
const HOST_NAME =
  /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;

function port(text: string): number | undefined {
  if (!/^[0-9]{1,5}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65_535 ? n : undefined;
}

/**
 * Reads `HOST`, `HOST:PORT`, `[IPv6]` or `[IPv6]:PORT` (RFC 3986 §3.2.2 brackets). Throws a
 * {@link SendError} `ERR_SEND_USAGE` naming `option`, the text and what was expected.
 *
 * @example
 * ```ts
 * parseServerAddress('[::1]:2525', 'server'); // { host: '::1', port: 2525 }
 * parseServerAddress('mx.example', 'server'); // { host: 'mx.example', port: undefined }
 * ```
 */
export function parseServerAddress(text: string, option: string): ServerAddress {
  const bad = (reason: string) =>
    new SendError(
      'ERR_SEND_USAGE',
      `invalid --${option} ${JSON.stringify(text)}: ${reason} ` +
        '(expected HOST[:PORT] such as 127.0.0.1:2525, mx.example or [::1]:2525)',
    );
  let host: string;
  let rest: string;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1) throw bad('no closing bracket');
    host = text.slice(1, close);
    if (isIP(host) !== 6) throw bad('not an IPv6 address in the brackets');
    rest = text.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) throw bad('expected :PORT after the bracket');
  } else {
    const colon = text.indexOf(':');
    if (colon !== text.lastIndexOf(':')) throw bad('an IPv6 address goes in brackets');
    host = colon === -1 ? text : text.slice(0, colon);
    rest = colon === -1 ? '' : text.slice(colon);
    if (isIP(host) === 0 && !HOST_NAME.test(host)) throw bad('not a host name or address');
    if (/^[0-9.]+$/.test(host) && isIP(host) !== 4) throw bad('not an IPv4 address');
  }
  if (rest === '') return { host, port: undefined };
  const p = port(rest.slice(1));
  if (p === undefined) throw bad('the port must be a number from 1 to 65535');
  return { host, port: p };
}
