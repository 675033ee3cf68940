// @smtpkit/server configured as a sink for the server benchmark: accepts every message, reads its
// stream to the end and discards it. Run as its own process so its CPU time and RSS can be read
// from /proc: `node --expose-gc --import tsx bench/smtpkit-sink.ts <port> [host]`.
// It imports the package by name, so it measures the built dist/ that users get; the name is
// held in a variable so that typechecking (which runs before this package is built) takes the
// types from src/ instead of resolving the not-yet-built dist/.
import { defaultExtensions } from '@smtpkit/extensions';

const packageName = '@smtpkit/server';
const server = (await import(packageName)) as typeof import('../src/index.js');

const port = Number(process.argv[2]);
const host = process.argv[3] ?? '127.0.0.1';
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: smtpkit-sink.ts <port> [host]\n');
  process.exit(2);
}

type Listening = {
  listen(o: { host: string; port: number }): Promise<unknown>;
  close(o?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
};
const create = (server as unknown as { createServer?: (options: unknown) => Listening })
  .createServer;
if (typeof create !== 'function') {
  process.stderr.write('@smtpkit/server (dist) does not export createServer\n');
  process.exit(3);
}

const sink = create({
  hostname: 'smtpkit.bench.example',
  extensions: defaultExtensions({ size: { max: 50 * 1024 * 1024 } }),
  // The load comes from one address (127.0.0.1): the per-IP limit is raised with the total, so the
  // 1,000 idle connections of the memory test are held, as the other servers hold them.
  limits: { connections: 5000, connectionsPerIp: 5000 },
  hooks: {
    async data(_ctx: unknown, message: { stream: AsyncIterable<Uint8Array> }) {
      for await (const _chunk of message.stream) {
        // discard
      }
    },
  },
});

await sink.listen({ host, port });
process.stdout.write(`listening ${host}:${port}\n`);

// The benchmark asks for a full collection before reading RSS (started with --expose-gc).
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
const stop = (): void => {
  void sink.close({ graceful: false, timeoutMs: 1000 }).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
