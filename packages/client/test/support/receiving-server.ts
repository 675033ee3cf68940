// @smtpkit/server on loopback as the receiving end of client tests: a data hook keeps every
// message's bytes (unstuffed, as the application sees them) with its envelope, so a test can
// compare what arrived with what the client was given. Only the server's public API is used.
import { formatPath } from '@smtpkit/address';
import { type AnyExtension, auth, defaultExtensions, startTls } from '@smtpkit/extensions';
import { ReplyException, replies } from '@smtpkit/reply';
import { scramCredentials, verifyCramMd5 } from '@smtpkit/sasl';
import { nodeSaslCrypto } from '@smtpkit/sasl/node';
import { createServer, type SmtpServer } from '@smtpkit/server';
import { createMessageLog } from '@smtpkit/testing';

/** One message as the data hook received it. */
export interface StoredMessage {
  /** `formatPath(reversePath, 'unicode')`: `<a@example.com>` or `<>`. */
  readonly from: string;
  readonly to: readonly string[];
  readonly mailParams: Readonly<Record<string, unknown>>;
  readonly body: Buffer;
  readonly via: 'DATA' | 'BDAT';
  readonly tls: boolean;
  readonly user: string | undefined;
}

/** Options of {@link startReceivingServer}. */
export interface ReceivingServerOptions {
  /** PEM key and certificate: STARTTLS offered. */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Also listen with implicit TLS (RFC 8314) on `securePort`. */
  readonly implicitTls?: boolean;
  /** AUTH with this account, required before MAIL; XOAUTH2 takes `token`. */
  readonly account?: { readonly user: string; readonly password: string; readonly token?: string };
  /** The AUTH mechanisms offered; default SCRAM-SHA-256, CRAM-MD5, PLAIN, LOGIN, XOAUTH2. */
  readonly mechanisms?: readonly string[];
  /** AUTH offered without TLS too. */
  readonly authWithoutTls?: boolean;
  readonly lmtp?: boolean;
  /** Leave these extensions out (by name: 'CHUNKING', 'PIPELINING', 'SMTPUTF8'...). */
  readonly without?: readonly string[];
  /** RFC 1870 maximum; default 64 MiB. */
  readonly size?: number;
  /** The data hook waits this long before it reads the body (backpressure tests). */
  readonly readDelayMs?: number;
  /** Refuse these paths (as `<a@example.com>`): MAIL with 550 5.7.1, RCPT with 550 5.1.1. */
  readonly refuse?: readonly string[];
  /** Called with each chunk the data hook reads (progress of a streamed body). */
  readonly onChunk?: (chunk: Buffer) => void;
}

/** A running receiving server. */
export interface ReceivingServer {
  readonly port: number;
  readonly securePort: number | undefined;
  readonly messages: readonly StoredMessage[];
  readonly server: SmtpServer;
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly StoredMessage[]>;
  stop(): Promise<void>;
}

export async function startReceivingServer(
  options: ReceivingServerOptions = {},
): Promise<ReceivingServer> {
  const log = createMessageLog<StoredMessage>();
  const account = options.account;
  const without = new Set(options.without ?? []);
  const refused = new Set(options.refuse ?? []);
  // BINARYMIME requires CHUNKING.
  if (without.has('CHUNKING')) without.add('BINARYMIME');
  const extensions: readonly AnyExtension[] = [
    ...defaultExtensions({ size: { max: options.size ?? 64 * 1024 * 1024 } }),
    ...(options.tls === undefined ? [] : [startTls()]),
    ...(account === undefined
      ? []
      : [
          auth({
            mechanisms: options.mechanisms ?? [
              'SCRAM-SHA-256',
              'CRAM-MD5',
              'PLAIN',
              'LOGIN',
              'XOAUTH2',
            ],
            allowWithoutTls: options.authWithoutTls === true,
          }),
        ]),
  ].filter((e) => !without.has(e.name));
  const scram =
    account === undefined
      ? undefined
      : scramCredentials(account.password, new Uint8Array(16).fill(7), 4096, nodeSaslCrypto);
  const server = createServer({
    hostname: 'mx.client-test.example',
    extensions,
    ...(options.tls === undefined ? {} : { tls: options.tls }),
    lmtp: options.lmtp === true,
    ...(account === undefined
      ? {}
      : {
          auth: {
            verify: async (c) => {
              if (c.username !== account.user) return false;
              switch (c.mechanism) {
                case 'CRAM-MD5':
                  return verifyCramMd5(
                    account.password,
                    c.challenge ?? '',
                    c.digest ?? '',
                    nodeSaslCrypto,
                  );
                case 'XOAUTH2':
                  return account.token !== undefined && c.token === account.token;
                case 'SCRAM-SHA-256':
                  return c.scram?.proofVerified === true;
                default:
                  return c.password === account.password;
              }
            },
            lookup: (username) => (username === account.user ? scram : undefined),
          },
        }),
    hooks: {
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
        if (options.readDelayMs !== undefined) {
          await new Promise((r) => setTimeout(r, options.readDelayMs));
        }
        const chunks: Buffer[] = [];
        for await (const chunk of message.stream) {
          const b = Buffer.from(chunk);
          options.onChunk?.(b);
          chunks.push(b);
        }
        log.add({
          from: formatPath(message.envelope.reversePath, 'unicode'),
          to: message.envelope.recipients.map((r) => formatPath(r.forwardPath, 'unicode')),
          mailParams: message.envelope.mailParams as Record<string, unknown>,
          body: Buffer.concat(chunks),
          via: message.via,
          tls: ctx.tls,
          user: ctx.user,
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
    server,
    waitForMessages: (count, timeoutMs = 10_000) => log.waitForMessages(count, timeoutMs),
    stop: () => server.close({ graceful: false }),
  };
}
