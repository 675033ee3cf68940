import { unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { isQueueError } from '../queue-error.js';
import type { QueueSelector, QueueStore } from '../queue-store.js';

/** The owner's admin socket in a spool directory. */
export const CONTROL_SOCKET = 'control.sock';

/** The longest request line the owner reads (an admin request is a few hundred bytes). */
const MAX_REQUEST = 64 * 1024;

/**
 * A request on the control socket: one JSON object a line, `n` chosen by the client to match
 * the answers (`{n, item}` lines for a listing or the bytes of a message, then `{n, ok, value}` or
 * `{n, ok: false, code, message}`).
 */
export interface ControlRequest {
  readonly n: number;
  readonly op: 'list' | 'get' | 'reschedule' | 'remove' | 'requestBounce' | 'stats' | 'read';
  readonly args: readonly unknown[];
}

function selector(v: unknown): QueueSelector {
  const s = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  return {
    ...(typeof s['id'] === 'string' ? { id: s['id'] } : {}),
    ...(typeof s['destination'] === 'string' ? { destination: s['destination'] } : {}),
  };
}

async function answer(store: QueueStore, request: ControlRequest, send: (v: unknown) => boolean) {
  const { n, op, args } = request;
  switch (op) {
    case 'list':
      for await (const item of store.list(selector(args[0]))) send({ n, item });
      return null;
    case 'get':
      return (await store.get(String(args[0]))) ?? null;
    case 'reschedule':
      return store.reschedule(selector(args[0]), Number(args[1]));
    case 'remove':
      return store.remove(selector(args[0]));
    case 'requestBounce':
      return store.requestBounce(selector(args[0]), Number(args[1]));
    case 'stats':
      return store.stats();
    case 'read':
      for await (const chunk of store.read(String(args[0])))
        send({
          n,
          item: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length).toString('base64'),
        });
      return null;
    default:
      throw new Error(`unknown operation ${String(op)}`);
  }
}

function serveConnection(store: QueueStore, socket: Socket): void {
  let pending = '';
  const send = (v: unknown) => socket.write(`${JSON.stringify(v)}\n`);
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('data', (text: string) => {
    pending += text;
    if (pending.length > MAX_REQUEST && !pending.includes('\n')) {
      socket.destroy();
      return;
    }
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      let request: ControlRequest;
      try {
        request = JSON.parse(line) as ControlRequest;
        if (typeof request.n !== 'number' || !Array.isArray(request.args)) throw new Error();
      } catch {
        socket.destroy();
        return;
      }
      answer(store, request, send).then(
        (value) => send({ n: request.n, ok: true, value }),
        (error: unknown) =>
          send({
            n: request.n,
            ok: false,
            code: isQueueError(error) ? error.code : 'ERR_QUEUE_CONTROL',
            message: error instanceof Error ? error.message : String(error),
          }),
      );
    }
  });
}

/**
 * Serves a store's admin actions on a unix socket (`control.sock` in the spool directory), so the
 * queue CLI acts through the process that owns the spool instead of beside it. Access is the
 * socket file's: the spool directory's permissions decide who may administer the queue.
 */
export async function serveControl(store: QueueStore, path: string): Promise<Server> {
  // The caller holds the spool's lock: a socket file left here is a dead owner's.
  await unlink(path).catch(() => {});
  const server = createServer((socket) => serveConnection(store, socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  return server;
}

/** Stops serving and removes the socket file. */
export async function stopControl(server: Server, path: string): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await unlink(path).catch(() => {});
}
