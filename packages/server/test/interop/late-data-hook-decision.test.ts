// Regression found by the sink's tests (apps/sink, "grows past --size"): when a message is refused
// during DATA (here: over SIZE, RFC 1870 552), the server answers at once and the session goes
// on, while the data hook may still be finishing (a store cleaning up its temporary file). The
// hook's late decision must not touch the *next* message's stream: before the fix it resumed that
// stream before its hook read it, so the next message's bytes flowed away and it arrived empty.
import { defaultExtensions } from '@smtpkit/extensions';
import { dotStuff, RawSmtpClient } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/index.js';

describe('a data hook that decides after its message was refused', () => {
  const bodies: Buffer[] = [];
  let calls = 0;
  let server: ReturnType<typeof createServer>;
  let port: number;

  beforeAll(async () => {
    server = createServer({
      hostname: 'mx.interop.example',
      extensions: defaultExtensions({ size: { max: 1000 } }),
      hooks: {
        data: async (_ctx, message) => {
          calls += 1;
          // The second message's hook is like a store that opens its file first: its stream is
          // not read for a while, and the first hook decides in that while.
          if (calls === 2) await new Promise((r) => setTimeout(r, 600));
          const chunks: Buffer[] = [];
          try {
            for await (const chunk of message.stream) chunks.push(Buffer.from(chunk));
          } catch (e) {
            // Slow cleanup after the refusal, long enough for the next transaction to start.
            await new Promise((r) => setTimeout(r, 200));
            throw e;
          }
          bodies.push(Buffer.concat(chunks));
        },
      },
    });
    port = (await server.listen({ host: '127.0.0.1', port: 0 })).port;
  });
  afterAll(async () => {
    await server?.close({ graceful: false, timeoutMs: 1000 });
  });

  it('the next message on the same connection reaches its hook whole', async () => {
    const c = await RawSmtpClient.connect(port, { timeoutMs: 10_000 });
    expect((await c.readReply()).code).toBe(220);
    expect((await c.command('EHLO client.example')).code).toBe(250);
    const big = Buffer.from(`Subject: big\r\n\r\n${'y'.repeat(2000)}\r\n`);
    expect((await c.command('MAIL FROM:<a@example.com>')).code).toBe(250);
    expect((await c.command('RCPT TO:<b@example.com>')).code).toBe(250);
    expect((await c.command('DATA')).code).toBe(354);
    c.writeNoWait(Buffer.concat([dotStuff(big), Buffer.from('.\r\n')]));
    expect((await c.readReply()).code).toBe(552);
    const small = Buffer.from('Subject: small\r\n\r\n.dot\r\nok\r\n');
    expect((await c.command('MAIL FROM:<a@example.com>')).code).toBe(250);
    expect((await c.command('RCPT TO:<b@example.com>')).code).toBe(250);
    expect((await c.command('DATA')).code).toBe(354);
    // The refused hook decides while this message's hook has not started reading yet.
    c.writeNoWait(Buffer.concat([dotStuff(small), Buffer.from('.\r\n')]));
    expect((await c.readReply()).code).toBe(250);
    c.destroy();
    expect(bodies).toEqual([small]);
  });
});
