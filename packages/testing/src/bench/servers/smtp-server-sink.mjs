// nodemailer's smtp-server configured as a sink, for the server benchmark: accepts every message and
// discards it. Run as its own process: `node smtp-server-sink.mjs <port> [host] [--no-greeting-wait]`.
// Settings chosen to be its fastest sane ones: no AUTH, no STARTTLS, no logger, no reverse DNS
// lookup, a size limit, and the message stream drained without buffering.
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

const args = process.argv.slice(2).filter((a) => a !== '--no-greeting-wait');
const port = Number(args[0]);
const host = args[1] ?? '127.0.0.1';
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: smtp-server-sink.mjs <port> [host] [--no-greeting-wait]\n');
  process.exit(2);
}

// --no-greeting-wait: every connection's session starts as soon as its listeners are set, instead
// of after the fixed 100 ms that SMTPConnection.init() waits to catch early talkers (not an option
// of smtp-server). Patched at run time on the class the server itself imports (the same module:
// the package's `./lib/*.js` export is the file smtp-server.js imports); nothing in node_modules
// changes. The check of maxClients that init() makes first is kept.
if (process.argv.includes('--no-greeting-wait')) {
  SMTPConnection.prototype.init = function initWithoutWait() {
    this._setListeners(() => {
      const limit = this._server.options.maxClients;
      if (limit && this._server.connections.size > limit) {
        this.send(421, `${this.name} Too many connected clients, try again in a moment`, false);
        return;
      }
      this.connectionReady();
    });
  };
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
