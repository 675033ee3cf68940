import { parseArgs } from 'node:util';
import { type HostPort, parseHostPort } from './host-port.js';
import { SinkError } from './sink-error.js';

/**
 * A user and password accepted by `AUTH` (`--auth USER:PASS`, may be repeated).
 *
 * @example
 * ```ts
 * parseCliOptions(['--auth', 'alice:pa:ss', '--auth-without-tls']).accounts; // [{ user: 'alice', password: 'pa:ss' }]
 * ```
 */
export interface SinkAccount {
  readonly user: string;
  readonly password: string;
}

/**
 * What the command line asked for. Paths are as given (relative to the working directory).
 *
 * @example
 * ```ts
 * const o: CliOptions = parseCliOptions(['--maildir', 'mail']);
 * o.listen; // DEFAULT_LISTEN
 * ```
 */
export interface CliOptions {
  /** Plain SMTP listener (STARTTLS when a certificate is given). Absent only with `tlsListen` alone. */
  readonly listen: HostPort | undefined;
  /** Implicit-TLS listener, RFC 8314 port-465 style. */
  readonly tlsListen: HostPort | undefined;
  /** Store into this Maildir; absent: discard every message. */
  readonly maildir: string | undefined;
  /**
   * RFC 1870 fixed maximum message size; absent: {@link DEFAULT_MESSAGE_SIZE}; 0 advertises bare
   * `SIZE` (no fixed maximum, the explicit opt-out).
   */
  readonly size: number | undefined;
  readonly tlsCert: string | undefined;
  readonly tlsKey: string | undefined;
  /** When non-empty, MAIL needs a successful AUTH with one of these accounts. */
  readonly accounts: readonly SinkAccount[];
  /** Offer AUTH before TLS too (off by default: RFC 4954 §4 credentials only under TLS). */
  readonly authWithoutTls: boolean;
  /** Speak LMTP (RFC 2033) instead of SMTP. */
  readonly lmtp: boolean;
  /** The banner and EHLO name; default the machine's host name. */
  readonly hostname: string | undefined;
  /** Most connections open at once (the server's default when absent). */
  readonly maxConnections: number | undefined;
  /** Most connections open at once from one client address (the server's default when absent). */
  readonly maxConnectionsPerIp: number | undefined;
  /** Log to stderr (pino JSON lines); silent otherwise. */
  readonly verbose: boolean;
  readonly help: boolean;
}

/**
 * The one-line usage printed (on stderr) with every command-line error, and on stdout by `--help`.
 *
 * @example
 * ```ts
 * process.stderr.write(`${USAGE}\n`);
 * ```
 */
export const USAGE =
  'usage: smtpkit-sink [--listen HOST:PORT] [--tls-listen HOST:PORT] [--maildir DIR] ' +
  '[--size BYTES (default 10240000; 0: no fixed maximum)] ' +
  '[--tls-cert FILE --tls-key FILE] [--auth USER:PASS]... [--auth-without-tls] [--lmtp] ' +
  '[--hostname NAME] [--max-connections N] [--max-connections-per-ip N] [--verbose]';

/**
 * Default plain listener when neither `--listen` nor `--tls-listen` is given.
 *
 * @example
 * ```ts
 * formatHostPort(DEFAULT_LISTEN); // '127.0.0.1:2525'
 * ```
 */
export const DEFAULT_LISTEN: HostPort = { host: '127.0.0.1', port: 2525 };

/**
 * The fixed maximum message size (RFC 1870 `SIZE`) when `--size` is not given: Postfix's
 * `message_size_limit` default, 10240000 bytes. Larger messages get 552 5.3.4.
 *
 * @example
 * ```ts
 * parseCliOptions([]).size ?? DEFAULT_MESSAGE_SIZE; // 10240000
 * ```
 */
export const DEFAULT_MESSAGE_SIZE = 10_240_000;

function usage(message: string): SinkError {
  return new SinkError('ERR_SINK_USAGE', message);
}

// RFC 1870 §3: size-value ::= 1*20DIGIT. Bounded here to what a JavaScript number holds exactly.
function parseSize(text: string): number {
  if (text.length === 0 || text.length > 16) throw usage(`--size must be a byte count: ${text}`);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) throw usage(`--size must be a byte count: ${text}`);
  }
  const size = Number(text);
  if (!Number.isSafeInteger(size)) throw usage(`--size is too large: ${text}`);
  return size;
}

// A connection count: 1 or more, decimal digits only.
function parseCount(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  let ok = text.length > 0 && text.length <= 9 && text.charCodeAt(0) !== 0x30;
  for (let i = 0; ok && i < text.length; i++) {
    const c = text.charCodeAt(i);
    ok = c >= 0x30 && c <= 0x39;
  }
  if (!ok) throw usage(`${flag} must be a count from 1 to 999999999: ${text}`);
  return Number(text);
}

function parseAccount(text: string): SinkAccount {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) throw usage('--auth expects USER:PASS');
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Reads the sink's command line (`process.argv.slice(2)`). Throws a {@link SinkError}
 * `ERR_SINK_USAGE` for an unknown option, a bad `HOST:PORT` or size, a certificate without its key,
 * `--tls-listen` without a certificate, `--auth` without TLS (unless `--auth-without-tls`), or a
 * connection limit that is not a count from 1.
 *
 * @example
 * ```ts
 * const o = parseCliOptions(['--listen', '[::1]:0', '--maildir', 'mail', '--size', '1048576']);
 * o.listen; // { host: '::1', port: 0 }
 * ```
 */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    throw usage((e as Error).message);
  }
  const v = parsed.values;
  const tlsListen = v['tls-listen'] === undefined ? undefined : parseHostPort(v['tls-listen']);
  const listen =
    v.listen === undefined
      ? tlsListen === undefined
        ? DEFAULT_LISTEN
        : undefined
      : parseHostPort(v.listen);
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) {
    throw usage('--tls-cert and --tls-key go together');
  }
  const tls = v['tls-cert'] !== undefined;
  if (tlsListen !== undefined && !tls) throw usage('--tls-listen needs --tls-cert and --tls-key');
  const accounts = (v.auth ?? []).map(parseAccount);
  const authWithoutTls = v['auth-without-tls'] === true;
  if (accounts.length > 0 && !tls && !authWithoutTls) {
    throw usage('--auth needs --tls-cert/--tls-key (AUTH only under TLS) or --auth-without-tls');
  }
  if (v.maildir === '') throw usage('--maildir needs a directory');
  if (v.hostname !== undefined && (v.hostname === '' || /[\s\0]/.test(v.hostname))) {
    throw usage('--hostname must be one word');
  }
  return {
    listen,
    tlsListen,
    maildir: v.maildir,
    size: v.size === undefined ? undefined : parseSize(v.size),
    tlsCert: v['tls-cert'],
    tlsKey: v['tls-key'],
    accounts,
    authWithoutTls,
    lmtp: v.lmtp === true,
    hostname: v.hostname,
    maxConnections: parseCount('--max-connections', v['max-connections']),
    maxConnectionsPerIp: parseCount('--max-connections-per-ip', v['max-connections-per-ip']),
    verbose: v.verbose === true,
    help: v.help === true,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      listen: { type: 'string' },
      'tls-listen': { type: 'string' },
      maildir: { type: 'string' },
      size: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      auth: { type: 'string', multiple: true },
      'auth-without-tls': { type: 'boolean' },
      lmtp: { type: 'boolean' },
      hostname: { type: 'string' },
      'max-connections': { type: 'string' },
      'max-connections-per-ip': { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
