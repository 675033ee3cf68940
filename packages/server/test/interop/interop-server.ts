// Starts @smtpkit/server on loopback for one interop test, with a data hook that keeps every
// message's bytes (unstuffed, as the application sees them) so a test can compare them with what
// the real client was given. Only the agreed public API is used: createServer, listen, close, hooks.
import { formatPath } from '@smtpkit/address';
import { auth, defaultExtensions, startTls } from '@smtpkit/extensions';
import { ReplyException, replies } from '@smtpkit/reply';
import { createMessageLog } from '@smtpkit/testing';
import { createServer } from '../../src/index.js';

/** One message as the data hook received it. */
export interface InteropMessage {
  /** `formatPath(reversePath, 'unicode')`, e.g. `<a@example.com>` or `<>`. */
  readonly from: string;
  readonly to: readonly string[];
  /** The message bytes the hook read from `message.stream`. */
  readonly body: Buffer;
  /** The session was under TLS (STARTTLS or implicit) when DATA arrived. */
  readonly tls: boolean;
  /** The user name the session authenticated as, if any. */
  readonly user: string | undefined;
  /** The session opened with HELO, EHLO or LHLO. */
  readonly greeting: string | undefined;
}

/** Options of {@link startInteropServer}. */
export interface InteropServerOptions {
  /** PEM key and certificate: STARTTLS is offered. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Also listen with implicit TLS (RFC 8314) and report `securePort`. */
  readonly implicitTls?: boolean;
  /** AUTH PLAIN/LOGIN with this account, required before MAIL. */
  readonly account?: { readonly user: string; readonly password: string };
  /** Speak LMTP (RFC 2033). */
  readonly lmtp?: boolean;
  /** RFC 1870 maximum; default 10 MiB. */
  readonly size?: number;
}

/** A running interop server. */
export interface InteropServer {
  readonly port: number;
  /** The implicit-TLS port, when asked for. */
  readonly securePort: number | undefined;
  readonly messages: readonly InteropMessage[];
  /** Resolves once `count` messages arrived; rejects with ERR_PEER_TIMEOUT after `timeoutMs` (10 s). */
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly InteropMessage[]>;
  stop(): Promise<void>;
}

/** Starts the server; `stop()` closes it. */
export async function startInteropServer(
  options: InteropServerOptions = {},
): Promise<InteropServer> {
  const log = createMessageLog<InteropMessage>();
  const account = options.account;
  const server = createServer({
    hostname: 'mx.interop.example',
    extensions: [
      ...defaultExtensions({ size: { max: options.size ?? 10 * 1024 * 1024 } }),
      ...(options.tls === undefined ? [] : [startTls()]),
      ...(account === undefined ? [] : [auth({ mechanisms: ['PLAIN', 'LOGIN'] })]),
    ],
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    lmtp: options.lmtp === true,
    ...(account === undefined
      ? {}
      : {
          auth: {
            verify: async (c) => c.username === account.user && c.password === account.password,
          },
        }),
    hooks: {
      mail: async (ctx) => {
        if (account !== undefined && ctx.user === undefined) {
          throw new ReplyException(replies.R530_5_7_0_AuthenticationRequired);
        }
      },
      data: async (ctx, message) => {
        const chunks: Buffer[] = [];
        for await (const chunk of message.stream) chunks.push(Buffer.from(chunk));
        log.add({
          from: formatPath(message.envelope.reversePath, 'unicode'),
          to: message.envelope.recipients.map((r) => formatPath(r.forwardPath, 'unicode')),
          body: Buffer.concat(chunks),
          tls: ctx.tls,
          user: ctx.user,
          greeting: ctx.greeting ?? undefined,
        });
        return options.lmtp === true ? replies.R250_2_0_0_MessageAccepted : undefined;
      },
    },
  });
  const plain = await server.listen({ host: '127.0.0.1', port: 0 });
  const secure =
    options.implicitTls === true
      ? await server.listen({ host: '127.0.0.1', port: 0, tls: 'implicit' })
      : undefined;
  return {
    port: plain.port,
    securePort: secure?.port,
    messages: log.messages,
    waitForMessages: (count, timeoutMs = 10_000) => log.waitForMessages(count, timeoutMs),
    stop: () => server.close({ graceful: true, timeoutMs: 2000 }),
  };
}
