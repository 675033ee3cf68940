import { parseArgs } from 'node:util';
import { formatHostPort, type HostPort, parseHostPort } from './host-port.js';
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
 * o.listen; // [DEFAULT_LISTEN]
 * ```
 */
export interface CliOptions {
  /**
   * Plain SMTP listeners (STARTTLS when a certificate is given), in the order given;
   * `[DEFAULT_LISTEN]` when neither `--listen` nor `--tls-listen` is given.
   */
  readonly listen: readonly HostPort[];
  /** Implicit-TLS listeners, RFC 8314 port-465 style. */
  readonly tlsListen: readonly HostPort[];
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
  /** Most connections open at once; absent: {@link DEFAULT_MAX_CONNECTIONS}. */
  readonly maxConnections: number | undefined;
  /** Most connections open at once from one address; absent: {@link DEFAULT_MAX_CONNECTIONS_PER_IP}. */
  readonly maxConnectionsPerIp: number | undefined;
  /** Log connections, commands, replies and messages to stderr (pino JSON lines); silent otherwise. */
  readonly verbose: boolean;
  /** `--help` / `-h`: print {@link HELP} and exit 0 (whatever else the line holds). */
  readonly help: boolean;
}

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

/**
 * Most connections open at once when `--max-connections` is not given (the server's own default,
 * passed explicitly so the help tells the truth).
 *
 * @example
 * ```ts
 * parseCliOptions([]).maxConnections ?? DEFAULT_MAX_CONNECTIONS; // 1000
 * ```
 */
export const DEFAULT_MAX_CONNECTIONS = 1000;

/**
 * Most connections open at once from one client address when `--max-connections-per-ip` is not
 * given (the server's own default).
 *
 * @example
 * ```ts
 * parseCliOptions([]).maxConnectionsPerIp ?? DEFAULT_MAX_CONNECTIONS_PER_IP; // 50
 * ```
 */
export const DEFAULT_MAX_CONNECTIONS_PER_IP = 50;

/**
 * One command-line option: the parser, `--help` and the README's table are all written from this
 * list, so none of them can forget an option.
 *
 * @example
 * ```ts
 * const lmtp: OptionSpec = { name: 'lmtp', description: 'speak LMTP (RFC 2033) instead of SMTP' };
 * ```
 */
export interface OptionSpec {
  /** The long name, without `--`. */
  readonly name: string;
  /** A one-letter alias (`-v`), if any. */
  readonly short?: string;
  /** What the value stands for (`HOST:PORT`); absent for a flag that takes none. */
  readonly value?: string;
  /** May be given more than once (each occurrence counts); others must be given once. */
  readonly repeatable?: boolean;
  /** What it does, for `--help`. */
  readonly description: string;
  /** The default as `--help` states it. */
  readonly default?: string;
}

/**
 * The sink's options, in the order `--help` lists them.
 *
 * @example
 * ```ts
 * OPTIONS.map((o) => `--${o.name}`); // ['--listen', '--tls-listen', …]
 * ```
 */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'listen',
    value: 'HOST:PORT',
    repeatable: true,
    description:
      'listen for SMTP (STARTTLS too with --tls-cert); repeat it to listen on several addresses. ' +
      'IPv6 in brackets ([::1]:2525); port 0 picks a free port',
    default: `${formatHostPort(DEFAULT_LISTEN)}, none when only --tls-listen is given`,
  },
  {
    name: 'tls-listen',
    value: 'HOST:PORT',
    repeatable: true,
    description:
      'also listen with implicit TLS (RFC 8314, port 465 style); repeatable; ' +
      'needs --tls-cert and --tls-key',
    default: 'none',
  },
  {
    name: 'maildir',
    value: 'DIR',
    description:
      'store each message, byte for byte, in this Maildir (created when missing); ' +
      'the 250 is sent once the file is in DIR/new',
    default: 'none: messages are counted and discarded',
  },
  {
    name: 'size',
    value: 'BYTES',
    description:
      'largest message accepted (RFC 1870 SIZE); a larger one gets 552 5.3.4. ' +
      '0: no fixed maximum',
    default: String(DEFAULT_MESSAGE_SIZE),
  },
  {
    name: 'tls-cert',
    value: 'FILE',
    description: 'PEM certificate (chain); with --tls-key, STARTTLS is offered (RFC 3207)',
    default: 'none',
  },
  { name: 'tls-key', value: 'FILE', description: 'PEM private key of --tls-cert', default: 'none' },
  {
    name: 'auth',
    value: 'USER:PASS',
    repeatable: true,
    description:
      'offer AUTH PLAIN and LOGIN (RFC 4954) and require it before MAIL; repeat for more ' +
      "accounts; the password is what follows the first ':'. Needs TLS unless --auth-without-tls",
    default: 'no AUTH, anyone may send',
  },
  {
    name: 'auth-without-tls',
    description: 'offer AUTH on connections without TLS too (passwords then cross in the clear)',
    default: 'off',
  },
  {
    name: 'lmtp',
    description: 'speak LMTP (RFC 2033) instead of SMTP: LHLO, one reply per recipient',
    default: 'off',
  },
  {
    name: 'hostname',
    value: 'NAME',
    description: 'name in the banner and the EHLO reply, and the host part of Maildir file names',
    default: "this machine's host name",
  },
  {
    name: 'max-connections',
    value: 'N',
    description: 'most connections open at once; more are answered 421 and closed',
    default: String(DEFAULT_MAX_CONNECTIONS),
  },
  {
    name: 'max-connections-per-ip',
    value: 'N',
    description: 'most connections open at once from one client address; more get 421',
    default: String(DEFAULT_MAX_CONNECTIONS_PER_IP),
  },
  {
    name: 'verbose',
    short: 'v',
    description:
      'log connections (with the peer address), commands, replies and messages to stderr as ' +
      'JSON lines; AUTH data is never logged',
    default: 'off: nothing on stderr but errors',
  },
  { name: 'help', short: 'h', description: 'print this help and exit' },
];

const HELP_WIDTH = 100;
const HELP_INDENT = 4;

/** Words of `text` laid out from column `indent`, lines at most {@link HELP_WIDTH} wide. */
function wrap(text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent + line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(' '.repeat(indent) + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(' '.repeat(indent) + line);
  return lines;
}

function helpEntry(option: OptionSpec): string[] {
  const flag = `${option.short === undefined ? '' : `-${option.short}, `}--${option.name}`;
  const head = `  ${flag}${option.value === undefined ? '' : ` ${option.value}`}`;
  const text = `${option.description}${option.default === undefined ? '' : `. Default: ${option.default}`}.`;
  return [head, ...wrap(text, HELP_INDENT + 2)];
}

/**
 * The text `--help` prints (on stdout): what the sink is, every option with what it does and its
 * default, what it prints, its exit statuses and examples.
 *
 * @example
 * ```ts
 * process.stdout.write(`${HELP}\n`);
 * ```
 */
export const HELP = [
  'smtpkit-sink: a mail catcher for development and tests. An SMTP (or LMTP) server that accepts',
  'every message and stores it raw in a Maildir, or counts and discards it.',
  '',
  'usage: smtpkit-sink [options]',
  '',
  'Options (--name=value works too):',
  ...OPTIONS.flatMap(helpEntry),
  '',
  'Output: stdout has one "listening on HOST:PORT" line per listener once all are bound (plain',
  'ones first, in the order given), and "messages=N bytes=B" after SIGTERM or SIGINT. Everything',
  'else goes to stderr.',
  '',
  'Exit status: 0 after SIGTERM or SIGINT (in-flight messages finish first) and for --help;',
  '1 when the sink cannot start (port taken, Maildir not writable); 2 for a bad command line or',
  'TLS files that cannot be read (one line on stderr says which option and why).',
  '',
  'Examples:',
  '  smtpkit-sink --maildir /tmp/mail',
  '    (127.0.0.1:2525; keep every message in /tmp/mail/new)',
  '  smtpkit-sink --listen 127.0.0.1:2525 --listen [::1]:2525 --size 0 -v',
  '    (both loopbacks, no size limit, log each connection, command and reply)',
  '  smtpkit-sink --listen 127.0.0.1:0 --tls-cert cert.pem --tls-key key.pem --auth alice:secret',
  '    (a free port, printed on stdout; STARTTLS, then AUTH as alice before MAIL)',
].join('\n');

function usage(message: string): SinkError {
  return new SinkError('ERR_SINK_USAGE', message);
}

/** `text` as it is when it is plain printable ASCII, else quoted (a message stays one line). */
function shown(text: string): string {
  return /^[\x21-\x7e]+$/.test(text) ? text : JSON.stringify(text);
}

function invalid(option: string, value: string, expected: string): SinkError {
  return usage(`invalid --${option} ${JSON.stringify(value)}: ${expected}`);
}

// RFC 1870 §3: size-value ::= 1*20DIGIT. Bounded here to what a JavaScript number holds exactly.
function parseSize(text: string): number {
  const digits = /^[0-9]+$/.test(text);
  if (!digits) {
    throw invalid('size', text, 'expected a byte count, digits only (0: no fixed maximum)');
  }
  const size = Number(text);
  if (text.length > 16 || !Number.isSafeInteger(size)) {
    throw invalid('size', text, `too large, expected at most ${Number.MAX_SAFE_INTEGER}`);
  }
  return size;
}

// A connection count: 1 or more, decimal digits only.
function parseCount(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]{0,8}$/.test(text)) {
    throw invalid(option, text, 'expected a whole number from 1 to 999999999');
  }
  return Number(text);
}

function parseAccount(text: string): SinkAccount {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    // Everything after the first ':' is a password: not repeated in the message.
    const shown = colon === -1 ? text : `${text.slice(0, colon)}:…`;
    throw invalid('auth', shown, 'expected USER:PASS, a user name, a colon and a password');
  }
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
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

function unknownOption(raw: string): SinkError {
  const name = raw.replace(/^-+/, '');
  let best: OptionSpec | undefined;
  let bestDistance = 3;
  for (const option of OPTIONS) {
    const d = distance(name, option.name);
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  const hint = best === undefined || name.length < 3 ? '' : ` (did you mean --${best.name}?)`;
  return usage(`unknown option ${shown(raw)}${hint}; smtpkit-sink --help lists the options`);
}

const BY_NAME = new Map(OPTIONS.map((o) => [o.name, o]));
const SHORT_NAMES = new Set(OPTIONS.flatMap((o) => (o.short === undefined ? [] : [`-${o.short}`])));

/** A separate value that is really the next option: the option before it was given no value. */
function looksLikeOption(value: string): boolean {
  return (value.startsWith('--') && value.length > 2) || SHORT_NAMES.has(value) || value === '--';
}

/** The values of each option given, as strings (`''` for a flag), in order. */
function tokenize(argv: readonly string[]): Map<string, string[]> {
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
  // --help wins over everything else on the line, errors included.
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) {
    given.set('help', ['']);
    return given;
  }
  for (const token of tokens) {
    if (token.kind === 'option-terminator') continue;
    if (token.kind === 'positional') {
      throw usage(
        `unexpected argument ${JSON.stringify(token.value)}: every setting is an option ` +
          '(--maildir DIR, …); smtpkit-sink --help lists them',
      );
    }
    const option = BY_NAME.get(token.name);
    if (option === undefined) throw unknownOption(token.rawName);
    let value = '';
    if (option.value === undefined) {
      if (token.value !== undefined) {
        throw usage(`--${option.name} takes no value (given ${JSON.stringify(token.value)})`);
      }
    } else {
      if (token.value === undefined) {
        throw usage(`--${option.name} needs a value: ${option.value}`);
      }
      if (!token.inlineValue && looksLikeOption(token.value)) {
        throw usage(
          `--${option.name} needs a value: ${option.value} (found the option ` +
            `${shown(token.value)}; write --${option.name}=${shown(token.value)} if that is the value)`,
        );
      }
      value = token.value;
    }
    const values = given.get(option.name) ?? [];
    if (values.length > 0 && option.value !== undefined && option.repeatable !== true) {
      throw usage(
        `--${option.name} is given twice (${JSON.stringify(values[0])}, then ` +
          `${JSON.stringify(value)}): give it once`,
      );
    }
    values.push(value);
    given.set(option.name, values);
  }
  return given;
}

/** Two listeners on one address and port would fail to bind: say so before trying. */
function checkDistinct(listeners: readonly { option: string; address: HostPort }[]): void {
  const seen = new Map<string, string>();
  for (const { option, address } of listeners) {
    if (address.port === 0) continue;
    const key = formatHostPort(address);
    const first = seen.get(key);
    if (first !== undefined) {
      throw usage(
        first === option
          ? `--${option} ${key} is given twice: one listener per address`
          : `${key} is given to both --${first} and --${option}: one listener per address`,
      );
    }
    seen.set(key, option);
  }
}

/**
 * Reads the sink's command line (`process.argv.slice(2)`) with node's `util.parseArgs`. Throws a
 * {@link SinkError} `ERR_SINK_USAGE` whose one-line message names the option, the value and what
 * was expected: an unknown option, a missing value, a value for a flag, a positional argument, a
 * bad `HOST:PORT`, size, count or account, an option that may be given once given twice, one
 * address listened on twice, a certificate without its key, `--tls-listen` without a
 * certificate, `--auth` without TLS (unless `--auth-without-tls`). `--listen`, `--tls-listen` and
 * `--auth` may be repeated. With `--help` or `-h` anywhere, only `help` is set.
 *
 * @example
 * ```ts
 * const o = parseCliOptions(['--listen', '[::1]:0', '--maildir', 'mail', '--size', '1048576']);
 * o.listen; // [{ host: '::1', port: 0 }]
 * ```
 */
export function parseCliOptions(argv: readonly string[]): CliOptions {
  const given = tokenize(argv);
  const one = (name: string): string | undefined => given.get(name)?.[0];
  const flag = (name: string): boolean => given.has(name);
  const help = flag('help');
  const tlsListen = (given.get('tls-listen') ?? []).map((t) => parseHostPort(t, 'tls-listen'));
  const listenGiven = (given.get('listen') ?? []).map((t) => parseHostPort(t, 'listen'));
  const listen =
    listenGiven.length === 0 && tlsListen.length === 0 ? [DEFAULT_LISTEN] : listenGiven;
  checkDistinct([
    ...listen.map((address) => ({ option: 'listen', address })),
    ...tlsListen.map((address) => ({ option: 'tls-listen', address })),
  ]);
  const size = one('size');
  const maxConnections = parseCount('max-connections', one('max-connections'));
  const maxConnectionsPerIp = parseCount('max-connections-per-ip', one('max-connections-per-ip'));
  const maildir = one('maildir');
  if (maildir === '') throw invalid('maildir', maildir, 'expected a directory');
  const hostname = one('hostname');
  if (hostname !== undefined && (hostname === '' || /[\s\0]/.test(hostname))) {
    throw invalid('hostname', hostname, 'expected one word, without spaces or control characters');
  }
  const accounts = (given.get('auth') ?? []).map(parseAccount);
  const tlsCert = one('tls-cert');
  const tlsKey = one('tls-key');
  if (tlsCert !== undefined && tlsKey === undefined) {
    throw usage('--tls-cert needs --tls-key (the private key of the certificate)');
  }
  if (tlsKey !== undefined && tlsCert === undefined) {
    throw usage('--tls-key needs --tls-cert (the certificate of the key)');
  }
  const tls = tlsCert !== undefined;
  if (tlsListen.length > 0 && !tls) throw usage('--tls-listen needs --tls-cert and --tls-key');
  const authWithoutTls = flag('auth-without-tls');
  if (accounts.length > 0 && !tls && !authWithoutTls) {
    throw usage(
      '--auth needs --tls-cert and --tls-key (AUTH is offered only under TLS), ' +
        'or --auth-without-tls',
    );
  }
  return {
    listen,
    tlsListen,
    maildir,
    size: size === undefined ? undefined : parseSize(size),
    tlsCert,
    tlsKey,
    accounts,
    authWithoutTls,
    lmtp: flag('lmtp'),
    hostname,
    maxConnections,
    maxConnectionsPerIp,
    verbose: flag('verbose'),
    help,
  };
}
