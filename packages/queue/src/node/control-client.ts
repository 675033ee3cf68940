import { connect, type Socket } from 'node:net';
import { QueueError, type QueueErrorCode } from '../queue-error.js';
import type {
  Lease,
  QueuedMessage,
  QueueSelector,
  QueueStats,
  QueueStore,
} from '../queue-store.js';
import type { ControlRequest } from './control-server.js';

interface Call {
  readonly item: (v: unknown) => void;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
}

/** Connects to a spool owner's control socket. */
export function connectControl(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/**
 * The admin view of a spool whose owner runs in another process: every admin action is a request
 * on the owner's control socket, so it acts on the owner's live state (its leases, its index) and
 * goes through its journal. Work (enqueue, lease, renew, settle) stays with the owner.
 */
export class ControlClient implements QueueStore {
  readonly #socket: Socket;
  readonly #calls = new Map<number, Call>();
  #n = 0;
  #closed = false;

  constructor(socket: Socket) {
    this.#socket = socket;
    let pending = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      pending += text;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const msg = JSON.parse(line) as {
          n: number;
          item?: unknown;
          ok?: boolean;
          value?: unknown;
          code?: QueueErrorCode;
          message?: string;
        };
        const call = this.#calls.get(msg.n);
        if (call === undefined) continue;
        if ('item' in msg) call.item(msg.item);
        else {
          this.#calls.delete(msg.n);
          if (msg.ok) call.resolve(msg.value);
          else call.reject(new QueueError(msg.code ?? 'ERR_QUEUE_CONTROL', msg.message ?? ''));
        }
      }
    });
    const fail = (error?: unknown) => {
      const calls = [...this.#calls.values()];
      this.#calls.clear();
      for (const c of calls)
        c.reject(
          new QueueError('ERR_QUEUE_CONTROL', 'the spool owner closed the control connection', {
            cause: error,
          }),
        );
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
  }

  #call(op: ControlRequest['op'], args: unknown[], item: (v: unknown) => void = () => {}) {
    if (this.#closed) throw new QueueError('ERR_QUEUE_MISUSE_CLOSED', 'the store is closed');
    const n = ++this.#n;
    return new Promise<unknown>((resolve, reject) => {
      this.#calls.set(n, { item, resolve, reject });
      this.#socket.write(`${JSON.stringify({ n, op, args })}\n`);
    });
  }

  async #stream<T>(op: ControlRequest['op'], args: unknown[]): Promise<T[]> {
    const items: T[] = [];
    await this.#call(op, args, (v) => items.push(v as T));
    return items;
  }

  #work(): never {
    throw new QueueError(
      'ERR_QUEUE_MISUSE_OPTION',
      'an admin store does not take work: open the spool as its owner',
    );
  }

  async enqueue(): Promise<string> {
    this.#work();
  }
  async lease(): Promise<Lease[]> {
    this.#work();
  }
  async renew(): Promise<boolean> {
    this.#work();
  }
  async settle(): Promise<void> {
    this.#work();
  }

  read(id: string): AsyncIterable<Uint8Array> {
    const items = this.#stream<string>('read', [id]);
    items.catch(() => {});
    return (async function* () {
      for (const b64 of await items) yield new Uint8Array(Buffer.from(b64, 'base64'));
    })();
  }

  list(selector: QueueSelector = {}): AsyncIterable<QueuedMessage> {
    const items = this.#stream<QueuedMessage>('list', [selector]);
    items.catch(() => {});
    return (async function* () {
      yield* await items;
    })();
  }

  async get(id: string): Promise<QueuedMessage | undefined> {
    return ((await this.#call('get', [id])) as QueuedMessage | null) ?? undefined;
  }

  async reschedule(selector: QueueSelector, at: number): Promise<number> {
    return (await this.#call('reschedule', [selector, at])) as number;
  }

  async remove(selector: QueueSelector): Promise<number> {
    return (await this.#call('remove', [selector])) as number;
  }

  async requestBounce(selector: QueueSelector, at: number): Promise<number> {
    return (await this.#call('requestBounce', [selector, at])) as number;
  }

  async stats(): Promise<QueueStats> {
    return (await this.#call('stats', [])) as QueueStats;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await new Promise<void>((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.end();
    });
  }
}
