// The floor for any Node SMTP server on this machine: a node:net sink that answers smtp-source's
// fixed dialogue with canned replies, parses nothing beyond line ends and the end-of-data marker,
// and checks nothing. Not an SMTP server (no limits, no validation): it only shows how much of a
// Node server's cost per message is Node and the kernel rather than the server's own work.
// Plain JavaScript, so that no loader runs in the measured process:
// `node --expose-gc bench/node-floor-sink.mjs <port> [host]`
import { createServer } from 'node:net';

const port = Number(process.argv[2]);
const host = process.argv[3] ?? '127.0.0.1';
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: node-floor-sink.mjs <port> [host]\n');
  process.exit(2);
}

const GREETING = Buffer.from('220 floor.bench.example ESMTP\r\n');
const EHLO = Buffer.from('250-floor.bench.example\r\n250 PIPELINING\r\n');
const OK = Buffer.from('250 2.0.0 Ok\r\n');
const GO = Buffer.from('354 go\r\n');
const BYE = Buffer.from('221 2.0.0 Bye\r\n');
const END = Buffer.from('\r\n.\r\n');

/** @param {import('node:net').Socket} socket */
function serve(socket) {
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  let inData = false;
  let pending = Buffer.alloc(0);
  socket.write(GREETING);
  socket.on('data', (/** @type {Buffer} */ chunk) => {
    let buf = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    /** @type {Buffer[]} */
    const out = [];
    for (;;) {
      if (inData) {
        // The marker may follow the DATA line's CRLF directly (an empty message) or a body line.
        const end = buf.indexOf(END);
        if (end < 0) {
          buf = buf.subarray(Math.max(0, buf.length - 4));
          break;
        }
        buf = buf.subarray(end + END.length);
        inData = false;
        out.push(OK);
        continue;
      }
      const lf = buf.indexOf(0x0a);
      if (lf < 0) break;
      const verb = buf.subarray(0, 4).toString('latin1').toUpperCase();
      buf = buf.subarray(lf + 1);
      if (verb === 'EHLO' || verb === 'HELO') out.push(EHLO);
      else if (verb === 'DATA') {
        out.push(GO);
        inData = true;
        // Make the CRLF before "." findable for an empty body.
        buf = Buffer.concat([Buffer.from('\r\n'), buf]);
      } else if (verb === 'QUIT') {
        out.push(BYE);
        socket.end(Buffer.concat(out));
        return;
      } else out.push(OK);
    }
    pending = Buffer.from(buf);
    if (out.length === 1) socket.write(out[0]);
    else if (out.length > 1) socket.write(Buffer.concat(out));
  });
}

const server = createServer(serve);
server.listen(port, host, () => process.stdout.write(`listening ${host}:${port}\n`));
process.on('SIGUSR2', () => globalThis.gc?.());
const stop = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
