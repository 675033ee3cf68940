// Our client's pool: createPool with as many connections as messages in flight and its defaults
// (connections reused with no limit by count, renewed after 300 s, as Postfix does); with the
// argument `per100`, 100 messages per connection, nodemailer's pool default.
import { FROM, HELO, importClient, inFlight, serve, TO } from './serve.mjs';

const { createPool } = await importClient();
const envelope = { from: FROM, to: TO };
const accepted = (r) => r.message !== undefined && r.message.code < 400 && r.recipients[0].accepted;
const per100 = process.argv[2] === 'per100';

serve(async ({ host, port, count, inflight, message }) => {
  const pool = createPool({
    host,
    port,
    hostname: HELO,
    tls: 'none',
    maxConnections: inflight,
    maxQueued: inflight,
    ...(per100 ? { maxMessagesPerConnection: 100 } : {}),
  });
  try {
    return await inFlight(count, inflight, async () =>
      accepted(await pool.send(envelope, message)),
    );
  } finally {
    await pool.close();
  }
});
