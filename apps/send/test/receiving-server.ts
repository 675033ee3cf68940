// @smtpkit/server on loopback as the receiving end of the sender's tests: it keeps every message
// with its envelope, counts connections (and the most open at once), and can offer STARTTLS,
// implicit TLS, AUTH, or leave extensions out. Only the server's public API is used.
import { formatPath } from '@smtpkit/address';
import { type AnyExtension, auth, defaultExtensions, startTls } from '@smtpkit/extensions';
import { ReplyException, replies } from '@smtpkit/reply';
import { createServer, type SmtpServer } from '@smtpkit/server';

export interface StoredMessage {
  /** The server's id of the connection that carried it. */
  readonly session: string;
  readonly from: string;
  readonly to: readonly string[];
  /** RCPT parameters by recipient (NOTIFY comes back as a list). */
  readonly rcptParams: readonly Readonly<Record<string, unknown>>[];
  readonly body: Buffer;
  readonly via: 'DATA' | 'BDAT';
  readonly tls: boolean;
  readonly user: string | undefined;
}

export interface ReceivingServerOptions {
  readonly host?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** PEM key and certificate: STARTTLS offered. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Also listen with implicit TLS (RFC 8314). */
  readonly implicitTls?: boolean;
  /** AUTH PLAIN and LOGIN with this account, required before MAIL. */
  readonly account?: { readonly user: string; readonly password: string };
  /** Offer AUTH on connections without TLS too. */
  readonly authWithoutTls?: boolean;
  /** Leave these extensions out, by name ('CHUNKING', 'DSN', …). */
  readonly without?: readonly string[];
  /** Refuse these paths (`<a@example.com>`): MAIL with 550 5.7.1, RCPT with 550 5.1.1. */
  readonly refuse?: readonly string[];
}

export interface ReceivingServer {
  readonly port: number;
  readonly securePort: number | undefined;
  readonly messages: StoredMessage[];
  /** Connections accepted so far. */
  connections: number;
  /** Most connections open at once. */
  peak: number;
  readonly server: SmtpServer;
  stop(): Promise<void>;
}

export async function startReceivingServer(
  options: ReceivingServerOptions = {},
): Promise<ReceivingServer> {
  const without = new Set(options.without ?? []);
  if (without.has('CHUNKING')) without.add('BINARYMIME');
  const refused = new Set(options.refuse ?? []);
  const account = options.account;
  const extensions: readonly AnyExtension[] = [
    ...defaultExtensions(),
    ...(options.tls === undefined ? [] : [startTls()]),
    ...(account === undefined
      ? []
      : [
          auth({
            mechanisms: ['PLAIN', 'LOGIN'],
            allowWithoutTls: options.authWithoutTls === true,
          }),
        ]),
  ].filter((e) => !without.has(e.name));
  const messages: StoredMessage[] = [];
  const server = createServer({
    hostname: 'mx.send-test.example',
    extensions,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    ...(account === undefined
      ? {}
      : {
          auth: {
            verify: async (c) => c.username === account.user && c.password === account.password,
          },
        }),
    hooks: {
      connect: async () => {
        receiving.connections++;
        receiving.peak = Math.max(receiving.peak, server.connections);
      },
      mail: async (ctx, from) => {
        if (account !== undefined && ctx.user === undefined) {
          throw new ReplyException(replies.R530_5_7_0_AuthenticationRequired);
        }
        if (refused.has(formatPath(from, 'unicode'))) {
          throw new ReplyException(replies.R550_5_7_1_DeliveryNotAuthorized);
        }
      },
      rcpt: async (_ctx, to) => {
        if (refused.has(formatPath(to, 'unicode'))) {
          throw new ReplyException(replies.R550_5_1_1_NoSuchUser);
        }
      },
      data: async (ctx, message) => {
        const chunks: Buffer[] = [];
        for await (const chunk of message.stream) chunks.push(Buffer.from(chunk));
        messages.push({
          session: ctx.id,
          from: formatPath(message.envelope.reversePath, 'unicode'),
          to: message.envelope.recipients.map((r) => formatPath(r.forwardPath, 'unicode')),
          rcptParams: message.envelope.recipients.map((r) => r.params as Record<string, unknown>),
          body: Buffer.concat(chunks),
          via: message.via,
          tls: ctx.tls,
          user: ctx.user,
        });
      },
    },
  });
  const host = options.host ?? '127.0.0.1';
  const plain = await server.listen({ host, port: options.port ?? 0 });
  const secure =
    options.implicitTls === true
      ? await server.listen({ host, port: 0, tls: 'implicit' })
      : undefined;
  const receiving: ReceivingServer = {
    port: plain.port,
    securePort: secure?.port,
    messages,
    connections: 0,
    peak: 0,
    server,
    stop: () => server.close({ graceful: false }),
  };
  return receiving;
}
