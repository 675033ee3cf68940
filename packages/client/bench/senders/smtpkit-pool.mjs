// Our client's pool: createPool with as many connections as messages in flight and its default
// of 100 messages per connection (nodemailer's pool has the same default); with the argument
// `unlimited`, no limit (maxMessagesPerConnection: Infinity), as apps/send's bench mode and
// smtp-source -d keep their connections.
import { FROM, HELO, importClient, inFlight, serve, TO } from './serve.mjs';

const { createPool } = await importClient();
const envelope = { from: FROM, to: TO };
const accepted = (r) => r.message !== undefined && r.message.code < 400 && r.recipients[0].accepted;
const unlimited = process.argv[2] === 'unlimited';

serve(async ({ host, port, count, inflight, message }) => {
  const pool = createPool({
    host,
    port,
    hostname: HELO,
    tls: 'none',
    maxConnections: inflight,
    maxQueued: inflight,
    ...(unlimited ? { maxMessagesPerConnection: Number.POSITIVE_INFINITY } : {}),
  });
  try {
    return await inFlight(count, inflight, async () =>
      accepted(await pool.send(envelope, message)),
    );
  } finally {
    await pool.close();
  }
});
