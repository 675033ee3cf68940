// Test double for the MTA's next hop: an SMTP server of @smtpkit/server in the test process whose
// answers a test scripts per attempt (4xx then 250, 5xx at RCPT or at the end of DATA, a greeting
// that never comes), recording every transaction it sees.
import type { ForwardPath, ReversePath } from '@smtpkit/address';
import { formatMailbox } from '@smtpkit/address';
import { defaultExtensions } from '@smtpkit/extensions';
import { type Reply, ReplyException, replies } from '@smtpkit/reply';
import { createServer, type HookContext, type SmtpServer } from '@smtpkit/server';

/** What the destination does at one step: accept, refuse with this reply, or say nothing at all. */
export type Verdict = 'accept' | 'hang' | Reply;

/** One RCPT as the destination saw it. */
export interface RcptCall {
  readonly address: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** How many RCPTs for this address the destination has seen, this one included (1-based). */
  readonly attempt: number;
}

/** One end of DATA as the destination saw it. */
export interface DataCall {
  readonly from: string;
  readonly recipients: readonly string[];
  readonly message: Buffer;
  /** How many messages reached the end of DATA here, this one included (1-based). */
  readonly attempt: number;
}

/** One transaction: the envelope, each RCPT's answer, the message and its answer. */
export interface Transaction {
  readonly session: string;
  /** The reverse-path mailbox, `''` for `<>`. */
  from: string;
  mailParams: Readonly<Record<string, unknown>>;
  mailCode?: number | 'hang';
  readonly recipients: {
    readonly address: string;
    readonly params: Readonly<Record<string, unknown>>;
    readonly code: number | 'hang';
  }[];
  message?: Buffer;
  /** The answer to the message (LMTP: 250 when every recipient got 250). */
  code?: number | 'hang' | undefined;
  /** LMTP: the answer for each accepted recipient. */
  codes?: readonly (number | 'hang')[];
  readonly at: number;
}

export interface ScriptedDestinationOptions {
  /** Default 127.0.0.1; other 127.0.0.0/8 addresses stand for other hosts. */
  readonly host?: string;
  /** Default 0 (a free one). */
  readonly port?: number;
  /** The name in the banner and EHLO reply (default `dest.example`). */
  readonly hostname?: string;
  /** Offer the DSN extension (RFC 3461)? Default true; false makes a hop that cannot carry NOTIFY. */
  readonly dsn?: boolean;
  /** Offer ENHANCEDSTATUSCODES (RFC 2034)? Default true; false sends replies without them. */
  readonly enhancedStatusCodes?: boolean;
  /** Speak LMTP (RFC 2033): `data` may then answer each recipient on its own. */
  readonly lmtp?: boolean;
  /** `hang`: accept the TCP connection and never send the greeting. */
  readonly greeting?: 'hang';
  /** The answer to MAIL (default accept). */
  mail?(call: { readonly from: string; readonly attempt: number }): Verdict | undefined;
  /** The answer to a RCPT (default accept). */
  rcpt?(call: RcptCall): Verdict | undefined;
  /** The answer to the end of DATA (default accept); with LMTP, a list answers per recipient. */
  data?(call: DataCall): Verdict | readonly Verdict[] | undefined;
}

/** A running scripted destination. */
export interface ScriptedDestination {
  readonly host: string;
  readonly port: number;
  /** `host:port`, for `delivery.relay`. */
  readonly address: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** Every transaction, in order (a MAIL opens one). */
  readonly transactions: Transaction[];
  /** The transactions whose message was accepted with 250. */
  accepted(): Transaction[];
  /** RCPTs seen for this address. */
  rcptAttempts(address: string): number;
  /** Polls until `predicate()` holds; rejects after `timeoutMs` naming `what`. */
  waitFor(predicate: () => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function pathText(path: ReversePath | ForwardPath): string {
  if (path.kind === 'null') return '';
  if (path.kind === 'postmaster') return 'postmaster';
  return formatMailbox(path.mailbox, 'unicode');
}

/** A promise that settles only when the connection goes away (the server closes it, or the peer). */
function hang(ctx: HookContext): Promise<never> {
  return new Promise((_resolve, reject) => {
    const gone = () => reject(new Error('connection gone while hanging'));
    if (ctx.signal.aborted) gone();
    else ctx.signal.addEventListener('abort', gone, { once: true });
  });
}

/**
 * Fails the first `times` attempts with `reply`, then accepts: the retry script of a greylister
 * or a busy host.
 *
 * @example
 * ```ts
 * startScriptedDestination({ rcpt: ({ attempt }) => failFirst(2, replies.R451_4_7_1_Greylisted)(attempt) });
 * ```
 */
export function failFirst(times: number, reply: Reply): (attempt: number) => Verdict {
  return (attempt) => (attempt <= times ? reply : 'accept');
}

/**
 * Starts a scripted SMTP destination on loopback.
 *
 * @example
 * ```ts
 * const dest = await startScriptedDestination({ rcpt: ({ attempt }) => (attempt === 1 ? replies.R451_4_3_0_LocalError : 'accept') });
 * // MTA config: { delivery: { relay: dest.address } }
 * await dest.close();
 * ```
 */
export async function startScriptedDestination(
  options: ScriptedDestinationOptions = {},
): Promise<ScriptedDestination> {
  const transactions: Transaction[] = [];
  const rcptCounts = new Map<string, number>();
  let connections = 0;
  let messages = 0;
  const current = new Map<string, Transaction>();
  let mails = 0;
  const extensions = defaultExtensions().filter(
    (e) =>
      (options.dsn !== false || e.name !== 'DSN') &&
      (options.enhancedStatusCodes !== false || e.name !== 'ENHANCEDSTATUSCODES'),
  );

  const apply = async (ctx: HookContext, verdict: Verdict | undefined): Promise<undefined> => {
    if (verdict === undefined || verdict === 'accept') return undefined;
    if (verdict === 'hang') return hang(ctx);
    throw new ReplyException(verdict);
  };
  const codeOf = (verdict: Verdict | undefined, ok: number): number | 'hang' =>
    verdict === undefined || verdict === 'accept' ? ok : verdict === 'hang' ? 'hang' : verdict.code;

  const server: SmtpServer = createServer({
    hostname: options.hostname ?? 'dest.example',
    extensions,
    ...(options.lmtp === true ? { lmtp: true } : {}),
    hooks: {
      connect: async (ctx: HookContext) => {
        connections += 1;
        if (options.greeting === 'hang') return hang(ctx);
        return undefined;
      },
      mail: async (ctx: HookContext, reversePath: ReversePath, params: Record<string, unknown>) => {
        const tx: Transaction = {
          session: ctx.id,
          from: pathText(reversePath),
          mailParams: { ...params },
          recipients: [],
          at: Date.now(),
        };
        transactions.push(tx);
        current.set(ctx.id, tx);
        mails += 1;
        const verdict = options.mail?.({ from: tx.from, attempt: mails });
        tx.mailCode = codeOf(verdict, 250);
        return apply(ctx, verdict);
      },
      rcpt: async (ctx: HookContext, forwardPath: ForwardPath, params: Record<string, unknown>) => {
        const address = pathText(forwardPath);
        const attempt = (rcptCounts.get(address.toLowerCase()) ?? 0) + 1;
        rcptCounts.set(address.toLowerCase(), attempt);
        const verdict = options.rcpt?.({ address, params, attempt });
        current
          .get(ctx.id)
          ?.recipients.push({ address, params: { ...params }, code: codeOf(verdict, 250) });
        return apply(ctx, verdict);
      },
      data: async (ctx: HookContext, message: { stream: AsyncIterable<Buffer> }) => {
        const chunks: Buffer[] = [];
        for await (const chunk of message.stream) chunks.push(chunk);
        const tx = current.get(ctx.id);
        messages += 1;
        const bytes = Buffer.concat(chunks);
        const verdict = options.data?.({
          from: tx?.from ?? '',
          recipients: (tx?.recipients ?? []).filter((r) => r.code === 250).map((r) => r.address),
          message: bytes,
          attempt: messages,
        });
        if (Array.isArray(verdict)) {
          const list = verdict as readonly Verdict[];
          if (tx !== undefined) {
            tx.message = bytes;
            tx.codes = list.map((v) => codeOf(v, 250));
            tx.code = tx.codes.every((c) => c === 250) ? 250 : undefined;
          }
          return list.map((v) =>
            v === 'accept' || v === 'hang' ? replies.R250_2_0_0_MessageAccepted : v,
          );
        }
        const one = verdict as Verdict | undefined;
        if (tx !== undefined) {
          tx.message = bytes;
          tx.code = codeOf(one, 250);
        }
        return apply(ctx, one);
      },
    } as never,
  });
  const bound = await server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  return {
    host: bound.host,
    port: bound.port,
    address: `${bound.host}:${bound.port}`,
    connections: () => connections,
    transactions,
    accepted: () => transactions.filter((t) => t.code === 250),
    rcptAttempts: (address) => rcptCounts.get(address.toLowerCase()) ?? 0,
    async waitFor(predicate, what, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > end) {
          throw new Error(
            `destination ${bound.host}:${bound.port}: timed out waiting for ${what}; saw ${JSON.stringify(
              transactions.map((t) => ({
                from: t.from,
                rcpt: t.recipients.map((r) => `${r.address}:${r.code}`),
                code: t.code,
              })),
            )}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => server.close({ graceful: false, timeoutMs: 1000 }),
  };
}
