// A loopback server that plays a script, for what no real server does on request: never
// answering, answering a byte at a time, dropping the connection mid-DATA, replies injected before
// a TLS handshake.
import net from 'node:net';

/** One connection of a scripted server. */
export interface ScriptedConnection {
  readonly socket: net.Socket;
  /** Writes text as it is (give the CRLFs). */
  send(text: string): void;
  /** The next line from the client, without its CRLF. */
  line(): Promise<string>;
  /** Every byte the client sent so far. */
  received(): Buffer;
}

/** A running scripted server. */
export interface ScriptedServer {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: readonly ScriptedConnection[];
  stop(): Promise<void>;
}

export async function startScriptedServer(
  script: (c: ScriptedConnection) => Promise<void> | void,
): Promise<ScriptedServer> {
  const connections: ScriptedConnection[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const all: Buffer[] = [];
    let buffer = Buffer.alloc(0);
    let waiting: (() => void) | undefined;
    socket.on('data', (d: Buffer) => {
      all.push(d);
      buffer = Buffer.concat([buffer, d]);
      waiting?.();
    });
    const c: ScriptedConnection = {
      socket,
      send: (text) => {
        if (!socket.destroyed) socket.write(text);
      },
      async line() {
        for (;;) {
          const at = buffer.indexOf('\r\n');
          if (at !== -1) {
            const text = buffer.subarray(0, at).toString('latin1');
            buffer = buffer.subarray(at + 2);
            return text;
          }
          if (socket.destroyed || socket.readableEnded) throw new Error('closed');
          await new Promise<void>((resolve) => {
            waiting = resolve;
            socket.once('close', resolve);
          });
          waiting = undefined;
        }
      },
      received: () => Buffer.concat(all),
    };
    connections.push(c);
    Promise.resolve()
      .then(() => script(c))
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    connections,
    stop: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answers EHLO with these keywords after the greeting; returns once the EHLO was answered. */
export async function greetAndHello(
  c: ScriptedConnection,
  keywords: readonly string[] = [],
): Promise<void> {
  c.send('220 scripted.example ESMTP\r\n');
  await c.line();
  const lines = ['scripted.example', ...keywords];
  c.send(lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join(''));
}
