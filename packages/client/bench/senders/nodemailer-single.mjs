// nodemailer's SMTP transport, not pooled: every sendMail opens its own connection (greeting,
// EHLO, the transaction, QUIT). The message goes as `raw` with an explicit envelope.
import nodemailer from 'nodemailer';
import { FROM, HELO, inFlight, serve, TO } from './serve.mjs';

const envelope = { from: FROM, to: [TO] };

serve(async ({ host, port, count, inflight, message }) => {
  const transport = nodemailer.createTransport({ host, port, name: HELO, ignoreTLS: true });
  try {
    return await inFlight(count, inflight, async () => {
      const info = await transport.sendMail({ envelope, raw: message });
      return info.accepted.length === 1 && info.rejected.length === 0;
    });
  } finally {
    transport.close();
  }
});
