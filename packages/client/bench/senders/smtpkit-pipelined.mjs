// Our client, one connect()ed connection given every message in flight at once: send() queues
// them on the client, which runs one transaction at a time. Each transaction goes as one RFC 2920
// group (MAIL, RCPT and DATA in one write; the body after the 354); the next transaction's group
// is written when the previous message's reply has arrived, without a round trip of the caller.
import { FROM, HELO, importClient, inFlight, serve, TO } from './serve.mjs';

const { connect } = await importClient();
const envelope = { from: FROM, to: TO };
const accepted = (r) => r.message !== undefined && r.message.code < 400 && r.recipients[0].accepted;

serve(async ({ host, port, count, inflight, message }) => {
  const client = await connect({ host, port, hostname: HELO, tls: 'none' });
  try {
    return await inFlight(count, inflight, async () =>
      accepted(await client.send(envelope, message)),
    );
  } finally {
    await client.quit().catch(() => client.close());
  }
});
