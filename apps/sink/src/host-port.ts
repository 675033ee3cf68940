import { isIP } from 'node:net';
import { SinkError } from './sink-error.js';

/**
 * A listening address as given on the command line.
 *
 * @example
 * ```ts
 * const address: HostPort = { host: '::1', port: 2525 }; // written [::1]:2525
 * ```
 */
export interface HostPort {
  /** An IPv4 address, an IPv6 address (without brackets) or a host name. */
  readonly host: string;
  /** 0 asks the system for a free port. */
  readonly port: number;
}

const MAX_PORT = 65_535;

/** What is wrong with a `HOST:PORT`: thrown inside, turned into a usage error at the edge. */
class HostPortProblem extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function problem(reason: string): HostPortProblem {
  return new HostPortProblem(reason);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isLetDig(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

// port = 1*5DIGIT, 0..65535 (0: any free port).
function parsePort(text: string): number {
  if (text.length === 0 || text.length > 5) throw problem('port must be 0..65535');
  for (let i = 0; i < text.length; i++) {
    if (!isDigit(text.charCodeAt(i))) throw problem('port must be 0..65535');
  }
  const port = Number(text);
  if (port > MAX_PORT) throw problem('port must be 0..65535');
  return port;
}

// RFC 1123 §2.1 host name: labels of letters, digits and hyphens, no hyphen at either end of a
// label, each at most 63 octets, the whole at most 253. A name made only of digits and dots must be
// a dotted-quad IPv4 address instead.
function isHostName(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  let labelStart = 0;
  for (let i = 0; i <= host.length; i++) {
    const c = i === host.length ? 0x2e : host.charCodeAt(i);
    if (c === 0x2e) {
      const length = i - labelStart;
      if (length === 0 || length > 63) return false;
      if (host.charCodeAt(labelStart) === 0x2d || host.charCodeAt(i - 1) === 0x2d) return false;
      labelStart = i + 1;
    } else if (!isLetDig(c) && c !== 0x2d) {
      return false;
    }
  }
  return true;
}

function isAllDigitsAndDots(host: string): boolean {
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (!isDigit(c) && c !== 0x2e) return false;
  }
  return true;
}

/**
 * Parses `HOST:PORT`: `127.0.0.1:2525`, `localhost:2525`, or an IPv6 address in brackets,
 * `[::1]:2525` (the RFC 3986 §3.2.2 notation). Throws a {@link SinkError} `ERR_SINK_USAGE` whose
 * message names `option` (when given), the text, what is wrong and what is expected.
 *
 * @example
 * ```ts
 * parseHostPort('[::1]:2525'); // { host: '::1', port: 2525 }
 * parseHostPort('::1:25', 'listen'); // throws: invalid --listen "::1:25": an IPv6 address goes in brackets, …
 * ```
 */
export function parseHostPort(text: string, option?: string): HostPort {
  try {
    return readHostPort(text);
  } catch (e) {
    if (!(e instanceof HostPortProblem)) throw e;
    const what = option === undefined ? 'HOST:PORT' : `--${option}`;
    throw new SinkError(
      'ERR_SINK_USAGE',
      `invalid ${what} ${JSON.stringify(text)}: ${e.reason} ` +
        '(expected HOST:PORT such as 127.0.0.1:2525 or [::1]:2525)',
    );
  }
}

function readHostPort(text: string): HostPort {
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close === -1 || text.charCodeAt(close + 1) !== 0x3a) {
      throw problem('expected [IPv6]:PORT, the port after the bracket');
    }
    const host = text.slice(1, close);
    if (isIP(host) !== 6) throw problem('not an IPv6 address');
    return { host, port: parsePort(text.slice(close + 2)) };
  }
  const colon = text.lastIndexOf(':');
  if (colon === -1) throw problem('missing :PORT');
  const host = text.slice(0, colon);
  if (host.includes(':')) throw problem('an IPv6 address goes in brackets');
  if (isAllDigitsAndDots(host) ? isIP(host) !== 4 : !isHostName(host)) {
    throw problem('not an IPv4 address or host name');
  }
  return { host, port: parsePort(text.slice(colon + 1)) };
}

/**
 * Formats a listening address the way {@link parseHostPort} reads it (IPv6 in brackets).
 *
 * @example
 * ```ts
 * formatHostPort({ host: '::1', port: 2525 }); // '[::1]:2525'
 * ```
 */
export function formatHostPort(address: HostPort): string {
  return address.host.includes(':')
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}
