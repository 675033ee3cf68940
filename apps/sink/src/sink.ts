import { createHash, timingSafeEqual } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import { auth, defaultExtensions, startTls } from '@smtpkit/extensions';
import { ReplyException, replies } from '@smtpkit/reply';
import { createServer, type IncomingMessage } from '@smtpkit/server';
import {
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_MAX_CONNECTIONS_PER_IP,
  DEFAULT_MESSAGE_SIZE,
  type SinkAccount,
} from './cli-options.js';
import type { HostPort } from './host-port.js';
import { refusalOf, replyFields } from './log-fields.js';
import { Maildir } from './maildir.js';
import { SinkError } from './sink-error.js';

/**
 * The logger the server library accepts (pino fits).
 *
 * @example
 * ```ts
 * const logger: SinkLogger = pino({ level: 'debug' }, pino.destination(2));
 * ```
 */
export interface SinkLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
  debug(obj: unknown, msg?: string): void;
  child(bindings: Record<string, unknown>): SinkLogger;
}

/**
 * Options of {@link startSink}.
 *
 * @example
 * ```ts
 * const options: SinkOptions = { listen: [{ host: '127.0.0.1', port: 0 }], maildir: './mail', lmtp: true };
 * ```
 */
export interface SinkOptions {
  /** Plain listeners (STARTTLS offered when `tls` is given), bound in this order. */
  readonly listen?: readonly HostPort[];
  /** Implicit-TLS listeners (RFC 8314), bound after the plain ones; need `tls`. */
  readonly tlsListen?: readonly HostPort[];
  /** Store every message here; absent: discard (still counted). */
  readonly maildir?: string;
  /**
   * RFC 1870 fixed maximum message size in bytes; absent: {@link DEFAULT_MESSAGE_SIZE} (10240000,
   * as Postfix); 0: bare `SIZE`, no fixed maximum (the explicit opt-out).
   */
  readonly size?: number;
  /** PEM key and certificate for STARTTLS and implicit TLS. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /** When non-empty, AUTH PLAIN/LOGIN with one of these is required before MAIL. */
  readonly accounts?: readonly SinkAccount[];
  /** Offer AUTH before TLS. Default false (RFC 4954 §4: credentials only under TLS). */
  readonly authWithoutTls?: boolean;
  /** LMTP (RFC 2033) instead of SMTP: LHLO, one reply per recipient after DATA. */
  readonly lmtp?: boolean;
  /** Banner and EHLO name; default `os.hostname()`. */
  readonly hostname?: string;
  /** Most connections open at once; default {@link DEFAULT_MAX_CONNECTIONS} (1000). */
  readonly maxConnections?: number;
  /** Most connections from one client address; default {@link DEFAULT_MAX_CONNECTIONS_PER_IP} (50). */
  readonly maxConnectionsPerIp?: number;
  /**
   * Where the server's and the data hook's log lines go (messages stored, discarded, refused).
   * Connections, commands and replies come from the server's diagnostics channels instead: see
   * `logServerEvents`.
   */
  readonly logger?: SinkLogger;
  /** Skip the Maildir fsyncs (tests and benchmarks only). */
  readonly noSync?: boolean;
}

/**
 * What the sink has accepted so far (LMTP: one message per DATA, whatever the recipients).
 *
 * @example
 * ```ts
 * const { messages, bytes }: SinkStats = sink.stats();
 * ```
 */
export interface SinkStats {
  /** Messages accepted (a 250 was or will be sent for them). */
  readonly messages: number;
  /** Body bytes of those messages, after dot-unstuffing. */
  readonly bytes: number;
}

/**
 * A running sink.
 *
 * @example
 * ```ts
 * const sink: Sink = await startSink({ listen: [{ host: '127.0.0.1', port: 0 }] });
 * await sink.close(5000);
 * ```
 */
export interface Sink {
  /** The bound addresses (port 0 resolved), in the order of the options. */
  readonly addresses: {
    readonly listen: readonly HostPort[];
    readonly tlsListen: readonly HostPort[];
  };
  stats(): SinkStats;
  /** Stops accepting, lets transactions in flight finish (bounded by `timeoutMs`), closes. */
  close(timeoutMs?: number): Promise<void>;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

// Compare digests of equal length so the time taken tells nothing about the secret.
function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/** The reply for a failed store: a full disk is RFC 3463 X.3.1, anything else the server's 451. */
function storageFailure(e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ReplyException(replies.R452_4_3_1_InsufficientSystemStorage);
  }
  return e;
}

/**
 * One log line for a message that was not accepted: refused by the server (SIZE, bare LF: its
 * reply, no stack trace), abandoned (the connection closed, timed out or was shut down mid-way),
 * or not stored (a storage error).
 */
function logNotAccepted(
  logger: SinkLogger | undefined,
  about: Readonly<Record<string, unknown>>,
  e: unknown,
  signal: AbortSignal,
): void {
  if (logger === undefined) return;
  const reply = refusalOf(e);
  if (reply !== undefined) {
    logger.info({ ...about, ...replyFields(reply) }, 'message refused');
  } else if (signal.aborted || (e as SinkError | undefined)?.code === 'ERR_SINK_ABORTED') {
    logger.info(
      { ...about, reason: String(signal.reason ?? (e as Error).message) },
      'message abandoned',
    );
  } else {
    const error = e as NodeJS.ErrnoException | undefined;
    logger.warn({ ...about, error: error?.message, code: error?.code }, 'message not stored');
  }
}

/**
 * Starts the sink: an SMTP (or LMTP) server that accepts every message and stores it raw in a
 * Maildir, or discards it. The 250 after DATA is sent only once the message is renamed into
 * `new/` and synced.
 *
 * @example
 * ```ts
 * const sink = await startSink({ listen: [{ host: '127.0.0.1', port: 0 }], maildir: './mail' });
 * console.log(sink.addresses.listen); // [{ host: '127.0.0.1', port: 40123 }]
 * await sink.close();
 * console.log(sink.stats());          // { messages: 0, bytes: 0 }
 * ```
 */
export async function startSink(options: SinkOptions): Promise<Sink> {
  const accounts = options.accounts ?? [];
  const maildir =
    options.maildir === undefined
      ? undefined
      : await Maildir.open(options.maildir, {
          ...(options.hostname === undefined ? {} : { hostname: options.hostname }),
          ...(options.noSync === true ? { noSync: true } : {}),
        });
  let messages = 0;
  let bytes = 0;
  const countDiscarded = (size: number): void => {
    messages += 1;
    bytes += size;
  };
  const ignoreNotAccepted = (): void => {};

  const extensions = [
    ...defaultExtensions({ size: { max: options.size ?? DEFAULT_MESSAGE_SIZE } }),
    ...(options.tls === undefined ? [] : [startTls()]),
    ...(accounts.length === 0
      ? []
      : [
          auth({
            mechanisms: ['PLAIN', 'LOGIN'],
            ...(options.authWithoutTls === true ? { allowWithoutTls: true } : {}),
          }),
        ]),
  ];

  const server = createServer({
    hostname: options.hostname ?? osHostname(),
    extensions,
    ...(options.tls === undefined ? {} : { tls: { key: options.tls.key, cert: options.tls.cert } }),
    lmtp: options.lmtp === true,
    limits: {
      connections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      connectionsPerIp: options.maxConnectionsPerIp ?? DEFAULT_MAX_CONNECTIONS_PER_IP,
    },
    policy: { authWithoutTls: options.authWithoutTls === true },
    ...(accounts.length === 0
      ? {}
      : {
          auth: {
            // `true`: the password is right and the client acts as its own authentication
            // identity. The sink grants no delegation, so a request to act as another
            // authorization identity is refused (RFC 4616 §2: the server checks that the
            // authentication identity may act as the authorization identity).
            verify: async (credentials: {
              username: string;
              password?: string;
            }): Promise<boolean> => {
              const password = credentials.password;
              if (password === undefined) return false;
              let ok = false;
              // Check every account so the time taken does not depend on which one matched.
              for (const account of accounts) {
                const user = sameSecret(credentials.username, account.user);
                const pass = sameSecret(password, account.password);
                ok = (user && pass) || ok;
              }
              return ok;
            },
          },
        }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    hooks: {
      // Only with accounts: a hook that is not configured costs nothing (MAIL answered at once).
      ...(accounts.length === 0
        ? {}
        : {
            mail: async (ctx: { user?: string | undefined }) => {
              if (ctx.user === undefined) {
                throw new ReplyException(replies.R530_5_7_0_AuthenticationRequired);
              }
            },
          }),
      // Not `async`: discarding, the hook decides as it is called (the server then needs no
      // promise for it); storing, it returns the promise of the message stored.
      data: (ctx: { id: string; signal: AbortSignal }, message: IncomingMessage) => {
        // LMTP (RFC 2033 §4.2): one reply per recipient; one value stands for all of them.
        const accepted = options.lmtp === true ? replies.R250_2_0_0_MessageAccepted : undefined;
        if (maildir === undefined && options.logger === undefined) {
          // Discarding without a log: counted as below, through two functions made once rather
          // than closures and a log record made for every message.
          message.discard().then(countDiscarded, ignoreNotAccepted);
          return accepted;
        }
        return keep(ctx, message, accepted);
      },
    },
  });

  /** The data hook storing the message (or discarding it with a log line). */
  async function keep(
    ctx: { id: string; signal: AbortSignal },
    message: IncomingMessage,
    accepted: typeof replies.R250_2_0_0_MessageAccepted | undefined,
  ): Promise<typeof replies.R250_2_0_0_MessageAccepted | undefined> {
    const about = {
      session: ctx.id,
      via: message.via,
      recipients: message.envelope.recipients.length,
    };
    if (maildir === undefined) {
      // Discarding, every message is accepted once it has all arrived: the hook answers now,
      // so the 250 leaves with the end of the body, and the message is counted then. One the
      // server refuses (SIZE, bare LF) or that the connection abandons rejects: not counted.
      message.discard().then(
        (size) => {
          messages += 1;
          bytes += size;
          options.logger?.info({ ...about, bytes: size }, 'message discarded');
        },
        (e: unknown) => logNotAccepted(options.logger, about, e, ctx.signal),
      );
      return accepted;
    }
    let stored: { bytes: number; name: string };
    try {
      // Aborted (data termination timeout, client gone, shutdown): stored nowhere, since
      // the client got no 250 and sends the message again.
      stored = await maildir.deliver(message.stream, ctx.signal);
    } catch (e) {
      logNotAccepted(options.logger, about, e, ctx.signal);
      throw storageFailure(e);
    }
    options.logger?.info({ ...about, bytes: stored.bytes, file: stored.name }, 'message stored');
    messages += 1;
    bytes += stored.bytes;
    return accepted;
  }

  const addresses: { listen: HostPort[]; tlsListen: HostPort[] } = { listen: [], tlsListen: [] };
  try {
    // One at a time, in the order given: the `listening on` lines follow it.
    for (const address of options.listen ?? []) {
      addresses.listen.push(await server.listen({ host: address.host, port: address.port }));
    }
    for (const address of options.tlsListen ?? []) {
      addresses.tlsListen.push(
        await server.listen({ host: address.host, port: address.port, tls: 'implicit' }),
      );
    }
  } catch (e) {
    await server.close({ graceful: false, timeoutMs: 1000 }).catch(() => undefined);
    throw new SinkError('ERR_SINK_LISTEN', `cannot listen: ${(e as Error).message}`, { cause: e });
  }

  return {
    addresses,
    stats: () => ({ messages, bytes }),
    close: (timeoutMs = 10_000) => server.close({ graceful: true, timeoutMs }),
  };
}
