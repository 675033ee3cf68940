import { auth, createRegistry, defaultExtensions } from '@smtpkit/extensions';
import type { Reply } from '@smtpkit/reply';
import { createServerMechanism } from '@smtpkit/sasl';
import { nodeSaslCrypto } from '@smtpkit/sasl/node';
import {
  type Decision,
  ServerSession,
  type ServerSessionOptions,
  type SessionEvent,
} from '@smtpkit/server';
import type { ClientEvent } from './client-events.js';
import { ClientSession, type ClientSessionOptions } from './client-session.js';

/** The server side of an in-memory pair: options, and how it answers its hooks. */
export interface PairServer {
  readonly options?: Partial<ServerSessionOptions>;
  /** Answers an ask; `undefined` resolves it with no value (the default reply). */
  readonly decide?: (ask: Extract<SessionEvent, { type: 'ask' }>) => Decision | undefined;
  /** Split every byte stream into pieces of this size (tests chunking). */
  readonly chunk?: number;
}

/** What a pair run recorded. */
export interface PairRun {
  readonly client: ClientSession;
  readonly server: ServerSession;
  /** Every client event, in order. */
  readonly events: ClientEvent[];
  /** The bodies the server's data hook received, as text. */
  readonly bodies: Uint8Array[];
  /** Runs one client operation and shuttles bytes until both sides are quiet. */
  run(op: (c: ClientSession) => ClientEvent[]): ClientEvent[];
}

export const serverExtensions = () => [
  ...defaultExtensions({ size: { max: 1_000_000 } }),
  auth({ mechanisms: ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256'], allowWithoutTls: true }),
];

/**
 * A ClientSession and a ServerSession wired back to back in memory: no sockets, every byte
 * exchanged through the two sessions' events (split into `chunk`-sized pieces when asked).
 */
export function pair(server: PairServer = {}, client: Partial<ClientSessionOptions> = {}): PairRun {
  const s = new ServerSession({
    hostname: 'mx.example',
    registry: createRegistry(serverExtensions()),
    hooks: ['data'],
    sasl: (name) =>
      createServerMechanism(name, {
        crypto: nodeSaslCrypto,
        cramMd5: { challenge: '<1896.697170952@mx.example>' },
      }),
    ...server.options,
  });
  const c = new ClientSession({
    hostname: 'client.example',
    registry: createRegistry(defaultExtensions()),
    ...client,
  });
  const events: ClientEvent[] = [];
  const bodies: Uint8Array[] = [];
  const open = new Map<number, Uint8Array[]>();
  const toServer: Uint8Array[] = [];
  const toClient: Uint8Array[] = [];

  const split = (bytes: Uint8Array): Uint8Array[] => {
    const n = server.chunk;
    if (n === undefined || bytes.length <= n) return [bytes];
    const out: Uint8Array[] = [];
    for (let i = 0; i < bytes.length; i += n) out.push(bytes.subarray(i, i + n));
    return out;
  };

  const onServer = (list: readonly SessionEvent[]): void => {
    const queue = [...list];
    while (queue.length > 0) {
      const e = queue.shift() as SessionEvent;
      switch (e.type) {
        case 'write':
          toClient.push(...split(e.bytes));
          break;
        case 'ask': {
          if (e.hook === 'data') open.set(e.id, []);
          const d = server.decide?.(e);
          if (e.hook !== 'data') queue.push(...s.decide(e.id, d ?? { kind: 'resolved' }));
          else if (d !== undefined) queue.push(...s.decide(e.id, d));
          break;
        }
        case 'body':
          open.get(e.id)?.push(e.chunk);
          break;
        case 'body-end': {
          bodies.push(concat(open.get(e.id) ?? []));
          queue.push(...s.decide(e.id, { kind: 'resolved' }));
          break;
        }
        default:
          break;
      }
    }
  };

  const onClient = (list: readonly ClientEvent[]): void => {
    for (const e of list) {
      events.push(e);
      if (e.type === 'write') toServer.push(...split(e.bytes));
    }
  };

  const pump = (): void => {
    for (let guard = 0; guard < 100_000; guard++) {
      const up = toServer.shift();
      if (up !== undefined) {
        onServer(s.receive(up));
        continue;
      }
      const down = toClient.shift();
      if (down !== undefined) {
        onClient(c.receive(down));
        continue;
      }
      return;
    }
    throw new Error('pair did not settle');
  };

  onServer(s.start());
  pump();
  return {
    client: c,
    server: s,
    events,
    bodies,
    run(op) {
      const from = events.length;
      onClient(op(c));
      pump();
      return events.slice(from);
    },
  };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The codes of the replies in a list of events of a kind. */
export function codesOf(replies: readonly (Reply | undefined)[]): (number | undefined)[] {
  return replies.map((r) => r?.code);
}
