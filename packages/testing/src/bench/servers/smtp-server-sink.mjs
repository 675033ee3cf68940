// nodemailer's smtp-server configured as a sink, for the server benchmark: accepts every message and
// discards it. Run as its own process: `node smtp-server-sink.mjs <port> [host]`. Settings chosen to be
// its fastest sane ones: no AUTH, no STARTTLS, no logger, no reverse DNS lookup, a size limit, and
// the message stream drained without buffering.
import { SMTPServer } from 'smtp-server';

const port = Number(process.argv[2]);
const host = process.argv[3] ?? '127.0.0.1';
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: smtp-server-sink.mjs <port> [host]\n');
  process.exit(2);
}

const server = new SMTPServer({
  disabledCommands: ['AUTH', 'STARTTLS'],
  hideSTARTTLS: true,
  authOptional: true,
  logger: false,
  disableReverseLookup: true,
  size: 50 * 1024 * 1024,
  // Long enough that idle connections held for the memory test are not closed under it.
  socketTimeout: 120_000,
  onData(stream, _session, callback) {
    stream.on('end', () => callback());
    stream.resume();
  },
});

server.on('error', (err) => {
  process.stderr.write(`smtp-server error: ${err.message}\n`);
});

server.listen(port, host, () => {
  process.stdout.write(`listening ${host}:${port}\n`);
});

// The benchmark asks for a full collection before reading RSS (started with --expose-gc).
process.on('SIGUSR2', () => globalThis.gc?.());

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
