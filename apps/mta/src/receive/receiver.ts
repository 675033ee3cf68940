import { BlockList, isIP } from 'node:net';
import type { Readable } from 'node:stream';
import { type ForwardPath, formatMailbox } from '@smtpkit/address';
import { auth, defaultExtensions, type EtrnRequest, etrn, startTls } from '@smtpkit/extensions';
import type { MessageEnvelope, QueuedRecipient, QueueStore } from '@smtpkit/queue';
import { type Reply, ReplyException, replies, withText } from '@smtpkit/reply';
import {
  createServer,
  type HookContext,
  type IncomingMessage,
  type SmtpServer,
} from '@smtpkit/server';
import type { MtaConfig } from '../config/config-schema.js';
import { limitHops } from './hop-limit.js';
import { receivedHeader } from './received-header.js';
import type { Route, Router } from './recipient-router.js';

/** What the receiving side needs from the rest of the MTA. */
export interface ReceiverDeps {
  readonly config: MtaConfig;
  readonly hostname: string;
  readonly router: Router;
  readonly queue: QueueStore;
  readonly tls: { readonly key: string | Buffer; readonly cert: string | Buffer };
  readonly verifyUser: (name: string, password: string) => Promise<boolean>;
  /** A message was queued: wake the scheduler. */
  readonly onQueued: (id: string, envelope: MessageEnvelope) => void;
  /** ETRN (RFC 1985): flush the queue for a domain; answers how many messages were waiting. */
  readonly onEtrn: (request: EtrnRequest) => Promise<number>;
  readonly logger: {
    info(obj: unknown, msg?: string): void;
    warn(obj: unknown, msg?: string): void;
    error(obj: unknown, msg?: string): void;
    debug(obj: unknown, msg?: string): void;
    child(bindings: Record<string, unknown>): ReceiverDeps['logger'];
  };
  readonly clock?: () => number;
}

/** The destination key of a route: local mail, the smarthost, or the recipient's domain. */
export function destinationOf(route: Route, config: MtaConfig): string {
  if (route.kind === 'local') return 'local';
  return config.delivery.relay === undefined ? route.domain : 'relay';
}

function rcptText(path: ForwardPath): string {
  return path.kind === 'postmaster' ? 'postmaster' : formatMailbox(path.mailbox, 'unicode');
}

function networks(list: readonly string[]): BlockList {
  const blocks = new BlockList();
  for (const entry of list) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) blocks.addAddress(address, type);
    else blocks.addSubnet(address, Number(prefix), type);
  }
  return blocks;
}

function inNetworks(blocks: BlockList, address: string | undefined): boolean {
  if (address === undefined) return false;
  const mapped = address.startsWith('::ffff:') ? address.slice(7) : address;
  const type = isIP(mapped) === 6 ? 'ipv6' : 'ipv4';
  return isIP(mapped) !== 0 && blocks.check(mapped, type);
}

/**
 * The two receiving servers: MX (mail for the local domains from anyone; relaying for trusted
 * networks and authenticated users only; STARTTLS offered), and submission (RFC 6409: AUTH
 * required before MAIL; AUTH only under TLS, RFC 4954 §4), listening on the STARTTLS port and on
 * the implicit-TLS port (RFC 8314 §3.3). A message is answered 250 only once the queue says it is
 * durable.
 */
export function createReceivers(deps: ReceiverDeps): { mx: SmtpServer; submission: SmtpServer } {
  const { config, router, queue } = deps;
  const trusted = networks(config.relayNetworks);
  const clock = deps.clock ?? Date.now;

  /** RFC 5321 §3.6.2 / RFC 6409 §5: relaying only for clients we know. */
  const mayRelay = (ctx: HookContext): boolean =>
    ctx.user !== undefined || inNetworks(trusted, ctx.remoteAddress);

  const rcpt = async (ctx: HookContext, path: ForwardPath): Promise<Reply | undefined> => {
    const routes = router.route(path);
    if (routes === undefined) {
      // A local address nobody receives, or an address literal.
      throw new ReplyException(replies.R550_5_1_1_NoSuchUser);
    }
    if (routes.some((r) => r.kind === 'remote') && !mayRelay(ctx)) {
      deps.logger.info(
        { session: ctx.id, client: ctx.remoteAddress, rcpt: rcptText(path) },
        'relay denied',
      );
      throw new ReplyException(replies.R554_5_7_1_RelayDenied);
    }
    return undefined;
  };

  const data = async (ctx: HookContext, message: IncomingMessage): Promise<Reply> => {
    const env = message.envelope;
    const mailParams = env.mailParams as Record<string, unknown>;
    const recipients: QueuedRecipient[] = [];
    for (const r of env.recipients) {
      const params = r.params as Record<string, unknown>;
      const original = rcptText(r.forwardPath);
      const orcpt = params['ORCPT'] as QueuedRecipient['orcpt'];
      const notify = params['NOTIFY'] as readonly string[] | undefined;
      for (const route of router.route(r.forwardPath) ?? []) {
        recipients.push({
          address: route.address,
          destination: destinationOf(route, config),
          ...(notify === undefined
            ? {}
            : {
                notify:
                  notify[0] === 'NEVER'
                    ? 'NEVER'
                    : (notify as readonly ('SUCCESS' | 'FAILURE' | 'DELAY')[]),
              }),
          ...(orcpt !== undefined
            ? { orcpt }
            : route.address !== original
              ? { orcpt: { addrType: 'rfc822', address: original } }
              : {}),
        });
      }
    }
    const now = clock();
    const smtputf8 = mailParams['SMTPUTF8'] === true;
    const envelope: MessageEnvelope = {
      sender:
        env.reversePath.kind === 'null' ? '' : formatMailbox(env.reversePath.mailbox, 'unicode'),
      recipients,
      receivedAt: now,
      smtputf8,
      ...(typeof mailParams['ENVID'] === 'string' ? { envid: mailParams['ENVID'] } : {}),
      ...(mailParams['RET'] === 'FULL' || mailParams['RET'] === 'HDRS'
        ? { ret: mailParams['RET'] }
        : {}),
      ...(mailParams['BODY'] === '7BIT' ||
      mailParams['BODY'] === '8BITMIME' ||
      mailParams['BODY'] === 'BINARYMIME'
        ? { body: mailParams['BODY'] }
        : {}),
      attrs: {
        client: ctx.remoteAddress ?? '',
        helo: ctx.heloName ?? '',
        ...(ctx.user === undefined ? {} : { user: ctx.user }),
        session: ctx.id,
      },
    };
    const trace = receivedHeader({
      helo: ctx.heloName,
      remoteAddress: ctx.remoteAddress,
      by: deps.hostname,
      esmtp: ctx.greeting !== 'helo',
      smtputf8,
      tls: ctx.tlsInfo,
      user: ctx.user,
      id: ctx.id,
      ...(env.recipients.length === 1 && env.recipients[0] !== undefined
        ? { for: rcptText(env.recipients[0].forwardPath) }
        : {}),
      date: new Date(now),
    });
    // The client's fields are counted, and ours once (it was counted twice when the scan ran
    // over it as well: 99 fields from the client were refused under maxHops 100).
    const body = prefixed(
      Buffer.from(trace, 'utf8'),
      limitHops(message.stream, config.limits.maxHops, 1),
    );
    let id: string;
    try {
      id = await queue.enqueue(envelope, body);
    } catch (e) {
      message.stream.resume();
      if (e instanceof ReplyException) throw e;
      deps.logger.error({ session: ctx.id, error: (e as Error).message }, 'message not queued');
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') {
        throw new ReplyException(replies.R452_4_3_1_InsufficientSystemStorage);
      }
      throw e;
    }
    if (ctx.signal.aborted) {
      // The client was told 421 or is gone before its 250: it will send the message again, so
      // this copy is dropped rather than delivered twice.
      await queue.remove({ id }).catch(() => 0);
      deps.logger.info(
        { queueId: id, session: ctx.id, reason: String(ctx.signal.reason) },
        'message abandoned',
      );
      throw new ReplyException(replies.R451_4_3_0_LocalError);
    }
    deps.logger.info(
      {
        queueId: id,
        session: ctx.id,
        client: ctx.remoteAddress,
        from: envelope.sender,
        recipients: recipients.length,
        size: message.size(),
      },
      'message queued',
    );
    deps.onQueued(id, envelope);
    return withText(replies.R250_2_0_0_MessageAccepted, `Ok: queued as ${id}`);
  };

  const etrnHook = async (_ctx: HookContext, request: EtrnRequest): Promise<Reply> => {
    const waiting = await deps.onEtrn(request);
    return waiting === 0
      ? withText(
          replies.R251_2_0_0_NoMessagesWaiting,
          `OK, no messages waiting for node ${request.node}`,
        )
      : withText(replies.R250_2_0_0_QueuingStarted, `Queuing for node ${request.node} started`);
  };

  const common = {
    hostname: deps.hostname,
    tls: { key: deps.tls.key, cert: deps.tls.cert },
    limits: {
      connections: config.limits.connections,
      connectionsPerIp: config.limits.connectionsPerIp,
      recipients: config.limits.recipients,
    },
    logger: deps.logger,
  };
  const size = config.limits.messageSize === 0 ? {} : { max: config.limits.messageSize };

  const mx = createServer({
    ...common,
    extensions: [...defaultExtensions({ size }), startTls(), etrn()],
    hooks: { rcpt, data, etrn: etrnHook } as never,
  });

  const submission = createServer({
    ...common,
    extensions: [
      ...defaultExtensions({ size }),
      startTls(),
      auth({ mechanisms: ['PLAIN', 'LOGIN'] }),
    ],
    auth: {
      verify: async (credentials) =>
        credentials.password !== undefined &&
        (await deps.verifyUser(credentials.username, credentials.password)),
    },
    hooks: {
      // RFC 6409 §4.3: submission requires authentication.
      mail: async (ctx: HookContext) => {
        if (ctx.user === undefined) {
          throw new ReplyException(replies.R530_5_7_0_AuthenticationRequired);
        }
      },
      rcpt,
      data,
    } as never,
  });
  return { mx, submission };
}

/** The trace field, then the message as received. */
async function* prefixed(
  head: Uint8Array,
  rest: Readable | AsyncIterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  yield head;
  yield* rest;
}
