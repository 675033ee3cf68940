// Starts an @smtpkit/server on a loopback port for one attack test and records what reached the
// application hooks, so a test can say "the hidden MAIL never ran" or "exactly one message was
// delivered". Only the agreed public API (createServer, listen, close, hooks) is used.
import { defaultExtensions } from '@smtpkit/extensions';
import { createServer, type ServerOptions } from '../../src/index.js';

/** The options a test passes: anything of `createServer`'s options. */
export type AttackServerOptions = ServerOptions;
type Server = ReturnType<typeof createServer>;
type Hooks = NonNullable<ServerOptions['hooks']>;
type HookFn = (...args: unknown[]) => unknown;
type UserHooks = Partial<Record<'connect' | 'helo' | 'mail' | 'rcpt' | 'data' | 'close', HookFn>> &
  Record<string, unknown>;

/** One call of the data hook, as the hook saw it. */
export interface DeliveredMessage {
  readonly reversePath: unknown;
  readonly recipients: readonly unknown[];
  /** The unstuffed bytes the hook read from `message.stream` (all of them, when `completed`). */
  body: Buffer;
  /** Octets read so far (grows while the hook reads; `body` is set when it stops). */
  received: number;
  /** The stream ended normally (false when it errored or the hook was cut off). */
  completed: boolean;
  /** The error the stream gave, if any. */
  error?: unknown;
}

/** What the application saw. */
export interface HookLog {
  readonly connect: Array<{ remoteAddress: unknown; proxied: unknown }>;
  readonly helo: Array<{ domain: unknown; remoteAddress: unknown; tls: unknown; proxied: unknown }>;
  /** Every reverse path the mail hook was called with (formatted as the test's `pathText`). */
  readonly mail: string[];
  readonly rcpt: string[];
  readonly data: DeliveredMessage[];
  readonly close: number[];
}

/** How the recording data hook reads the message (to play a slow application). */
export interface RecordingOptions {
  /** Awaited before the first read of `message.stream`. */
  readonly beforeDataRead?: () => Promise<void>;
  /** A pause after each chunk read. */
  readonly chunkDelayMs?: number;
}

/** A started server and the log of its hooks. */
export interface AttackServer {
  readonly server: Server;
  readonly port: number;
  readonly log: HookLog;
  /** Stops it (not gracefully: the tests' connections are cut). */
  stop(): Promise<void>;
}

/** Local part and domain of a parsed path, e.g. `a@example.org`, `<>` or `Postmaster`. */
export function pathText(path: unknown): string {
  const p = path as {
    kind?: string;
    mailbox?: { localPart?: string; domain?: { ascii?: string; unicode?: string; text?: string } };
  };
  if (p?.kind === 'null') return '<>';
  if (p?.kind === 'postmaster') return 'Postmaster';
  const d = p?.mailbox?.domain;
  return `${p?.mailbox?.localPart ?? '?'}@${d?.unicode ?? d?.text ?? d?.ascii ?? '?'}`;
}

/**
 * A server with the default extensions (SIZE 10 MiB), recording hooks. `overrides.hooks` replace
 * the recording ones of the same name (they are still recorded first).
 */
export async function startAttackServer(
  overrides: Partial<AttackServerOptions> = {},
  recording: RecordingOptions = {},
): Promise<AttackServer> {
  const log: HookLog = { connect: [], helo: [], mail: [], rcpt: [], data: [], close: [] };
  const user = ((overrides as { hooks?: unknown }).hooks ?? {}) as UserHooks;
  const hooks = {
    ...user,
    connect: async (ctx: { remoteAddress?: unknown; proxied?: unknown }) => {
      log.connect.push({ remoteAddress: ctx.remoteAddress, proxied: ctx.proxied });
      // The user's hook decides: its value (a Reply, or anything else) is what the server sees.
      return user.connect?.(ctx);
    },
    helo: async (
      ctx: { remoteAddress?: unknown; tls?: unknown; proxied?: unknown },
      domain: unknown,
    ) => {
      log.helo.push({
        domain,
        remoteAddress: ctx.remoteAddress,
        tls: ctx.tls,
        proxied: ctx.proxied,
      });
      // The user's hook decides: its value (a Reply, or anything else) is what the server sees.
      return user.helo?.(ctx, domain);
    },
    mail: async (ctx: unknown, reversePath: unknown, params: unknown) => {
      log.mail.push(pathText(reversePath));
      // The user's hook decides: its value (a Reply, or anything else) is what the server sees.
      return user.mail?.(ctx, reversePath, params);
    },
    rcpt: async (ctx: unknown, forwardPath: unknown, params: unknown) => {
      log.rcpt.push(pathText(forwardPath));
      // The user's hook decides: its value (a Reply, or anything else) is what the server sees.
      return user.rcpt?.(ctx, forwardPath, params);
    },
    data: async (
      ctx: unknown,
      message: {
        envelope: { reversePath: unknown; recipients: readonly unknown[] };
        stream: AsyncIterable<Uint8Array>;
      },
    ) => {
      const delivered: DeliveredMessage = {
        reversePath: message.envelope.reversePath,
        recipients: message.envelope.recipients,
        body: Buffer.alloc(0),
        received: 0,
        completed: false,
      };
      log.data.push(delivered);
      const chunks: Buffer[] = [];
      try {
        await recording.beforeDataRead?.();
        for await (const chunk of message.stream) {
          chunks.push(Buffer.from(chunk));
          delivered.received += chunk.length;
          if (recording.chunkDelayMs !== undefined) await sleep(recording.chunkDelayMs);
        }
        delivered.completed = true;
      } catch (e) {
        delivered.error = e;
        throw e;
      } finally {
        delivered.body = Buffer.concat(chunks);
      }
      if (user.data) return user.data(ctx, message);
      return undefined;
    },
    close: async (ctx: unknown) => {
      log.close.push(Date.now());
      if (user.close) await user.close(ctx);
    },
  } as unknown as Hooks;
  const server = createServer({
    hostname: 'mx.attack.example',
    extensions: defaultExtensions({ size: { max: 10 * 1024 * 1024 } }),
    ...overrides,
    hooks,
  });
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  return {
    server,
    port: address.port,
    log,
    stop: () => server.close({ graceful: false, timeoutMs: 1000 }),
  };
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it is true or `timeoutMs` passes; returns the last value. */
export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() >= end) return false;
    await sleep(20);
  }
  return true;
}
