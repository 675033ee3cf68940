/** The two things the sender does: send one message, or a load of generated ones. */
export type Mode = 'send' | 'bench';

/**
 * One command-line option: the parser and `--help` are both written from this list, so neither
 * can forget an option.
 *
 * @example
 * ```ts
 * const tls: OptionSpec = { name: 'tls', modes: ['send', 'bench'], description: 'implicit TLS' };
 * ```
 */
export interface OptionSpec {
  /** The long name, without `--`. */
  readonly name: string;
  /** A one-letter alias (`-v`), if any. */
  readonly short?: string;
  /** What the value stands for (`HOST:PORT`); absent for a flag that takes none. */
  readonly value?: string;
  /** May be given more than once; others must be given once. */
  readonly repeatable?: boolean;
  /** The modes it belongs to. */
  readonly modes: readonly Mode[];
  /** What it does, for `--help`. */
  readonly description: string;
  /** The default as `--help` states it. */
  readonly default?: string;
}

const BOTH: readonly Mode[] = ['send', 'bench'];
const SEND: readonly Mode[] = ['send'];
const BENCH: readonly Mode[] = ['bench'];

/**
 * Defaults of the load mode.
 *
 * @example
 * ```ts
 * BENCH_DEFAULTS.size; // 1024
 * ```
 */
export const BENCH_DEFAULTS = Object.freeze({
  count: 100,
  size: 1024,
  concurrency: 1,
  from: 'bench@smtpkit-send.invalid',
  to: 'sink@smtpkit-send.invalid',
});

/**
 * The sender's options, in the order `--help` lists them.
 *
 * @example
 * ```ts
 * OPTIONS.filter((o) => o.modes.includes('bench')).map((o) => o.name);
 * ```
 */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'server',
    value: 'HOST[:PORT]',
    modes: BOTH,
    description:
      'the server to send to: a name, an IPv4 address or an IPv6 address in brackets ' +
      '([::1]:2525); required unless --mx',
    default: 'port 25, 465 with --tls',
  },
  {
    name: 'from',
    value: 'ADDRESS',
    modes: BOTH,
    description:
      "the envelope sender (MAIL FROM); '' or '<>' for the null sender of a bounce. Required, " +
      'except by bench',
    default: `${BENCH_DEFAULTS.from} for bench`,
  },
  {
    name: 'to',
    value: 'ADDRESS',
    repeatable: true,
    modes: BOTH,
    description: 'a recipient (RCPT TO); repeat it for more. Required, except by bench',
    default: `${BENCH_DEFAULTS.to} for bench`,
  },
  {
    name: 'data',
    value: 'FILE|-',
    modes: SEND,
    description:
      'the message, headers and body, from FILE or from standard input (-), sent as it is ' +
      '(by DATA, line ends become CRLF)',
    default: 'a short generated message (Date, From, To, Subject, Message-ID)',
  },
  {
    name: 'helo',
    value: 'NAME',
    modes: BOTH,
    description: 'the name given in EHLO: a domain or an address literal ([192.0.2.1])',
    default: "this machine's host name",
  },
  {
    name: 'starttls',
    modes: BOTH,
    description:
      'STARTTLS is required (RFC 3207): a server that does not offer it or refuses it gets ' +
      'nothing, never a fall back to plain text',
    default: 'STARTTLS when the server offers it, plain text otherwise',
  },
  {
    name: 'tls',
    modes: BOTH,
    description: 'TLS from the first byte (implicit TLS, RFC 8314, port 465 style)',
    default: 'off',
  },
  {
    name: 'ca',
    value: 'FILE',
    repeatable: true,
    modes: BOTH,
    description:
      'PEM certificates to trust besides the ones Node trusts (its bundled roots and ' +
      'NODE_EXTRA_CA_CERTS); certificates are always verified',
    default: 'none',
  },
  {
    name: 'auth',
    value: 'USER:PASS',
    modes: BOTH,
    description:
      'authenticate (RFC 4954) with the strongest mechanism both sides know (SCRAM-SHA-256, ' +
      "CRAM-MD5, PLAIN, LOGIN); the password is what follows the first ':'. Only under TLS " +
      'unless --auth-without-tls',
    default: 'no AUTH',
  },
  {
    name: 'auth-without-tls',
    modes: BOTH,
    description: 'allow --auth on a connection without TLS (the password may cross in clear)',
    default: 'off',
  },
  {
    name: 'bdat',
    modes: BOTH,
    description:
      'CHUNKING is required: the message goes by BDAT (RFC 3030), and a server that does not ' +
      'offer CHUNKING gets nothing. Without it BDAT is still preferred when offered, DATA used ' +
      'otherwise',
    default: 'BDAT when offered',
  },
  {
    name: 'dsn-notify',
    value: 'WHEN',
    modes: SEND,
    description:
      'ask for delivery status notifications (RFC 3461 NOTIFY): NEVER, or a comma-separated ' +
      'list of SUCCESS, FAILURE, DELAY; not sent (and said so) when the server lacks DSN',
    default: "the server's choice",
  },
  {
    name: 'mx',
    modes: SEND,
    description:
      "deliver by MX (RFC 5321 §5.1) instead of to --server: each recipient's domain is looked " +
      'up, its mail exchangers tried in preference order',
    default: 'off',
  },
  {
    name: 'mx-port',
    value: 'PORT',
    modes: SEND,
    description: 'with --mx, the SMTP port of the mail exchangers',
    default: '25',
  },
  {
    name: 'dns-server',
    value: 'IP[:PORT]',
    modes: SEND,
    description: "with --mx, the DNS server to ask instead of the system's",
    default: "the system's resolvers",
  },
  {
    name: 'count',
    value: 'N',
    modes: BENCH,
    description: 'messages to send',
    default: String(BENCH_DEFAULTS.count),
  },
  {
    name: 'size',
    value: 'BYTES',
    modes: BENCH,
    description: 'size of each generated message, headers included',
    default: String(BENCH_DEFAULTS.size),
  },
  {
    name: 'concurrency',
    value: 'C',
    modes: BENCH,
    description: 'transactions in flight at once, each on its own pooled connection',
    default: String(BENCH_DEFAULTS.concurrency),
  },
  {
    name: 'messages-per-connection',
    value: 'N',
    modes: BENCH,
    description: 'messages sent over one connection before it says QUIT and is replaced',
    default: 'no limit',
  },
  {
    name: 'verbose',
    short: 'v',
    modes: SEND,
    description:
      'print the transcript on stderr: C: each command by its verb, S: each reply by its codes ' +
      '(AUTH data is never shown); the full replies of the transaction are printed anyway',
    default: 'off',
  },
  { name: 'help', short: 'h', modes: BOTH, description: 'print this help and exit' },
];
