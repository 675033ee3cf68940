import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import {
  type ForwardPath,
  isAddressError,
  parseForwardPath,
  parseReversePath,
  type ReversePath,
} from '@smtpkit/address';
import { type DsnNotify, parseNotify } from '@smtpkit/extensions';
import { BENCH_DEFAULTS, type Mode, OPTIONS, type OptionSpec } from './option-table.js';
import { SendError } from './send-error.js';
import { parseServerAddress, type ServerAddress } from './server-address.js';

/**
 * How to connect, common to both modes.
 *
 * @example
 * ```ts
 * const c: ConnectionSettings = parseSendOptions(['--server', 'mx.example', '--from', 'a@b.c', '--to', 'd@e.f']);
 * ```
 */
export interface ConnectionSettings {
  /** Absent only with `--mx`. */
  readonly server: ServerAddress | undefined;
  /** `--starttls`: required; `--tls`: implicit; neither: opportunistic. */
  readonly tls: 'opportunistic' | 'required' | 'implicit';
  /** `--ca` files, in the order given. */
  readonly ca: readonly string[];
  readonly auth: { readonly user: string; readonly password: string } | undefined;
  readonly authWithoutTls: boolean;
  readonly helo: string | undefined;
  /** `--bdat`: CHUNKING required. */
  readonly bdat: boolean;
  /** The addresses as given (`''` for the null sender) and as parsed. */
  readonly from: string;
  readonly reversePath: ReversePath;
  readonly to: readonly string[];
  readonly forwardPaths: readonly ForwardPath[];
}

/** What the command line of the sender asked for. */
export interface SendOptions extends ConnectionSettings {
  readonly mode: 'send';
  /** A file, `-` for standard input, absent for the generated message. */
  readonly data: string | undefined;
  readonly mx: boolean;
  readonly mxPort: number | undefined;
  /** `IP:PORT` or `[IPv6]:PORT`, as `Resolver.setServers` takes it. */
  readonly dnsServer: string | undefined;
  readonly dsnNotify: DsnNotify | undefined;
  readonly verbose: boolean;
  readonly help: boolean;
}

/** What the command line of the load mode asked for. */
export interface BenchOptions extends ConnectionSettings {
  readonly mode: 'bench';
  readonly count: number;
  readonly size: number;
  readonly concurrency: number;
  /** Absent: no limit. */
  readonly messagesPerConnection: number | undefined;
  readonly help: boolean;
}

function usage(message: string): SendError {
  return new SendError('ERR_SEND_USAGE', message);
}

/** `text` as it is when it is plain printable ASCII, else quoted (a message stays one line). */
function shown(text: string): string {
  return /^[\x21-\x7e]+$/.test(text) ? text : JSON.stringify(text);
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function unknownOption(raw: string, mode: Mode): SendError {
  const name = raw.replace(/^-+/, '');
  let best: OptionSpec | undefined;
  let bestDistance = 3;
  for (const option of OPTIONS) {
    if (!option.modes.includes(mode)) continue;
    const d = distance(name, option.name);
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  const hint = best === undefined || name.length < 3 ? '' : ` (did you mean --${best.name}?)`;
  const help = mode === 'bench' ? 'smtpkit-send bench --help' : 'smtpkit-send --help';
  return usage(`unknown option ${shown(raw)}${hint}; ${help} lists the options`);
}

const BY_NAME = new Map(OPTIONS.map((o) => [o.name, o]));
const SHORT_NAMES = new Set(OPTIONS.flatMap((o) => (o.short === undefined ? [] : [`-${o.short}`])));

/** A separate value that is really the next option: the option before it was given no value. */
function looksLikeOption(value: string): boolean {
  return (value.startsWith('--') && value.length > 2) || SHORT_NAMES.has(value) || value === '--';
}

/**
 * The values of each option given (`''` for a flag), in order. Refuses unknown options, options
 * of the other mode, missing values, values for flags, positional arguments, a single-valued
 * option given twice, and any value with CR, LF or NUL (RFC 5321 §2.3.8: it would end the
 * command it is put in, and the rest would be read as a command of its own).
 */
function tokenize(argv: readonly string[], mode: Mode): Map<string, string[]> {
  const { tokens } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    tokens: true,
    options: Object.fromEntries(
      OPTIONS.map((o) => [
        o.name,
        {
          type: o.value === undefined ? ('boolean' as const) : ('string' as const),
          multiple: true,
          ...(o.short === undefined ? {} : { short: o.short }),
        },
      ]),
    ),
  });
  const given = new Map<string, string[]>();
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) {
    given.set('help', ['']);
    return given;
  }
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw usage(
        `unexpected argument ${JSON.stringify(token.value)}: every setting is an option ` +
          `(--to ADDRESS, …)${mode === 'send' ? '; the load mode is "bench", first' : ''}`,
      );
    }
    const option = BY_NAME.get(token.name);
    if (option === undefined) throw unknownOption(token.rawName, mode);
    if (!option.modes.includes(mode)) {
      throw usage(
        mode === 'bench'
          ? `--${option.name} is not an option of bench; smtpkit-send bench --help lists them`
          : `--${option.name} belongs to the load mode: smtpkit-send bench --${option.name} …`,
      );
    }
    let value = '';
    if (option.value === undefined) {
      if (token.value !== undefined) {
        throw usage(`--${option.name} takes no value (given ${JSON.stringify(token.value)})`);
      }
    } else {
      if (token.value === undefined) throw usage(`--${option.name} needs a value: ${option.value}`);
      if (!token.inlineValue && looksLikeOption(token.value)) {
        throw usage(
          `--${option.name} needs a value: ${option.value} (found the option ` +
            `${shown(token.value)}; write --${option.name}=${shown(token.value)} if that is the value)`,
        );
      }
      value = token.value;
      if (/[\r\n\0]/.test(value)) {
        throw usage(
          `--${option.name} ${JSON.stringify(value)}: a value with CR, LF or NUL would end a ` +
            'command on the wire and start another; refused',
        );
      }
    }
    const values = given.get(option.name) ?? [];
    if (values.length > 0 && option.repeatable !== true) {
      throw usage(
        option.value === undefined
          ? `--${option.name} is given twice: give it once`
          : `--${option.name} is given twice (${JSON.stringify(values[0])}, then ` +
              `${JSON.stringify(value)}): give it once`,
      );
    }
    values.push(value);
    given.set(option.name, values);
  }
  return given;
}

function reversePath(text: string): ReversePath {
  if (text === '' || text === '<>') return { kind: 'null' };
  try {
    return parseReversePath(text.startsWith('<') ? text : `<${text}>`, { smtputf8: true });
  } catch (e) {
    if (isAddressError(e)) throw usage(`invalid --from ${JSON.stringify(text)}: ${e.message}`);
    throw e;
  }
}

function forwardPath(text: string): ForwardPath {
  try {
    return parseForwardPath(text.startsWith('<') ? text : `<${text}>`, { smtputf8: true });
  } catch (e) {
    if (isAddressError(e)) throw usage(`invalid --to ${JSON.stringify(text)}: ${e.message}`);
    throw e;
  }
}

function parseAuth(text: string): { user: string; password: string } {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    // Everything after the first ':' is a password: not repeated in the message.
    const what = colon === -1 ? JSON.stringify(text) : `"${text.slice(0, colon)}:…"`;
    throw usage(`invalid --auth ${what}: expected USER:PASS, a user name, a colon and a password`);
  }
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

function count(option: string, text: string | undefined, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(text) || Number(text) > max) {
    throw usage(
      `invalid --${option} ${JSON.stringify(text)}: expected a whole number from 1 to ${max}`,
    );
  }
  return Number(text);
}

function connection(given: Map<string, string[]>, mode: Mode): ConnectionSettings {
  const one = (name: string): string | undefined => given.get(name)?.[0];
  const server = one('server');
  if (given.has('starttls') && given.has('tls')) {
    throw usage(
      '--starttls and --tls exclude each other: STARTTLS upgrades a plain connection, --tls starts with TLS',
    );
  }
  const auth = one('auth');
  if (given.has('auth-without-tls') && auth === undefined) {
    throw usage('--auth-without-tls needs --auth USER:PASS');
  }
  const helo = one('helo');
  if (helo === '') throw usage('invalid --helo "": expected a domain or an address literal');
  const from = one('from') ?? (mode === 'bench' ? BENCH_DEFAULTS.from : undefined);
  if (from === undefined)
    throw usage("--from ADDRESS is required ('' or '<>' for the null sender)");
  const to = given.get('to') ?? (mode === 'bench' ? [BENCH_DEFAULTS.to] : []);
  if (to.length === 0) throw usage('--to ADDRESS is required (repeat it for more recipients)');
  return {
    server: server === undefined ? undefined : parseServerAddress(server, 'server'),
    tls: given.has('starttls') ? 'required' : given.has('tls') ? 'implicit' : 'opportunistic',
    ca: given.get('ca') ?? [],
    auth: auth === undefined ? undefined : parseAuth(auth),
    authWithoutTls: given.has('auth-without-tls'),
    helo,
    bdat: given.has('bdat'),
    from,
    reversePath: reversePath(from),
    to,
    forwardPaths: to.map(forwardPath),
  };
}

/** `IP[:PORT]` for `Resolver.setServers` (53 by default). */
function dnsServer(text: string): string {
  const address = parseServerAddress(text, 'dns-server');
  if (isIP(address.host) === 0) {
    throw usage(`invalid --dns-server ${JSON.stringify(text)}: expected an IP address, not a name`);
  }
  const port = address.port ?? 53;
  return isIP(address.host) === 6 ? `[${address.host}]:${port}` : `${address.host}:${port}`;
}

/**
 * Reads the sender's command line (without the leading `node cli.js`) with node's
 * `util.parseArgs`. Throws a {@link SendError} `ERR_SEND_USAGE` whose one-line message names
 * the option, the value and what was expected. With `--help` or `-h` anywhere only `help` counts.
 *
 * @example
 * ```ts
 * const o = parseSendOptions(['--server', '127.0.0.1:2525', '--from', 'a@example.org', '--to', 'b@example.com']);
 * o.server; // { host: '127.0.0.1', port: 2525 }
 * ```
 */
export function parseSendOptions(argv: readonly string[]): SendOptions | { help: true } {
  const given = tokenize(argv, 'send');
  if (given.has('help')) return { help: true };
  const one = (name: string): string | undefined => given.get(name)?.[0];
  const mx = given.has('mx');
  if (mx && given.has('server')) {
    throw usage(
      '--mx and --server exclude each other: by MX, the recipients\u2019 domains say where',
    );
  }
  if (!mx && !given.has('server')) throw usage('--server HOST[:PORT] is required (or --mx)');
  for (const name of ['mx-port', 'dns-server']) {
    if (given.has(name) && !mx) throw usage(`--${name} goes with --mx`);
  }
  if (mx && given.has('bdat')) {
    throw usage('--bdat needs --server: mail exchangers are taken as they come, CHUNKING or not');
  }
  const settings = connection(given, 'send');
  if (mx) {
    for (const [i, path] of settings.forwardPaths.entries()) {
      if (path.kind !== 'mailbox' || path.mailbox.domain.kind !== 'domain') {
        throw usage(
          `--to ${JSON.stringify(settings.to[i])} has no domain to look up: --mx needs user@domain`,
        );
      }
    }
  }
  const notify = one('dsn-notify');
  const dsnNotify = notify === undefined ? undefined : parseNotify(notify);
  if (notify !== undefined && dsnNotify === undefined) {
    throw usage(
      `invalid --dsn-notify ${JSON.stringify(notify)}: expected NEVER, or SUCCESS, FAILURE and ` +
        'DELAY separated by commas (RFC 3461 §4.1)',
    );
  }
  const mxPort = one('mx-port');
  const dns = one('dns-server');
  return {
    ...settings,
    mode: 'send',
    data: one('data'),
    mx,
    mxPort: count('mx-port', mxPort, 65_535),
    dnsServer: dns === undefined ? undefined : dnsServer(dns),
    dsnNotify,
    verbose: given.has('verbose'),
    help: false,
  };
}

/**
 * Reads the load mode's command line (what follows `bench`). Throws like {@link parseSendOptions}.
 *
 * @example
 * ```ts
 * const o = parseBenchOptions(['--server', '127.0.0.1:2525', '--count', '1000', '--concurrency', '20']);
 * o.size; // 1024
 * ```
 */
export function parseBenchOptions(argv: readonly string[]): BenchOptions | { help: true } {
  const given = tokenize(argv, 'bench');
  if (given.has('help')) return { help: true };
  if (!given.has('server')) throw usage('bench needs --server HOST[:PORT]');
  const one = (name: string): string | undefined => given.get(name)?.[0];
  return {
    ...connection(given, 'bench'),
    mode: 'bench',
    count: count('count', one('count'), 10_000_000) ?? BENCH_DEFAULTS.count,
    size: count('size', one('size'), 100 * 1024 * 1024) ?? BENCH_DEFAULTS.size,
    concurrency: count('concurrency', one('concurrency'), 1000) ?? BENCH_DEFAULTS.concurrency,
    messagesPerConnection: count(
      'messages-per-connection',
      one('messages-per-connection'),
      10_000_000,
    ),
    help: false,
  };
}
