// @smtpkit/server configured as a sink for the server benchmark, the way a library user writes
// one: every message accepted, its stream read to the end with `for await` and dropped. Run as
// its own process so its CPU time and RSS can be read from /proc; plain JavaScript importing the
// built dist/ that users get, so that no loader runs in the measured process:
// `node --expose-gc bench/smtpkit-sink.mjs <port> [host] [--hooks]`
import { defaultExtensions } from '@smtpkit/extensions';
import { createServer } from '@smtpkit/server';

const args = process.argv.slice(2).filter((a) => a !== '--hooks');
const port = Number(args[0]);
const host = args[1] ?? '127.0.0.1';
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: smtpkit-sink.mjs <port> [host] [--hooks]\n');
  process.exit(2);
}
// --hooks: MAIL and RCPT go through async hooks too (as an MTA's checks would), each deciding
// after a turn of the event loop: a pipelined group then waits on hooks one command at a time.
const turn = () => new Promise((resolve) => setImmediate(resolve));
const envelopeHooks = process.argv.includes('--hooks')
  ? {
      async mail() {
        await turn();
      },
      async rcpt() {
        await turn();
      },
    }
  : {};

const sink = createServer({
  hostname: 'smtpkit.bench.example',
  extensions: defaultExtensions({ size: { max: 50 * 1024 * 1024 } }),
  // The load comes from one address (127.0.0.1): the per-IP limit is raised with the total, so the
  // 1,000 idle connections of the memory test are held, as the other servers hold them.
  limits: { connections: 5000, connectionsPerIp: 5000 },
  hooks: {
    ...envelopeHooks,
    async data(_ctx, message) {
      for await (const _chunk of message.stream) {
        // dropped
      }
    },
  },
});

await sink.listen({ host, port });
process.stdout.write(`listening ${host}:${port}\n`);

// The benchmark asks for a full collection before reading RSS (started with --expose-gc).
process.on('SIGUSR2', () => globalThis.gc?.());
const stop = () => {
  void sink.close({ graceful: false, timeoutMs: 1000 }).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
