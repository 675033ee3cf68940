// Our client, connect()ed connections: one per message in flight, each sending its messages one
// after another (RFC 5321 §4.1.4: the next MAIL right after the previous message's 250).
import { FROM, HELO, importClient, inFlight, serve, TO } from './serve.mjs';

const { connect } = await importClient();
const envelope = { from: FROM, to: TO };
const accepted = (r) => r.message !== undefined && r.message.code < 400 && r.recipients[0].accepted;

serve(async ({ host, port, count, inflight, message }) => {
  const clients = await Promise.all(
    Array.from({ length: Math.min(inflight, count) }, () =>
      connect({ host, port, hostname: HELO, tls: 'none' }),
    ),
  );
  try {
    return await inFlight(count, clients.length, async (slot) =>
      accepted(await clients[slot].send(envelope, message)),
    );
  } finally {
    await Promise.all(clients.map((c) => c.quit().catch(() => c.close())));
  }
});
