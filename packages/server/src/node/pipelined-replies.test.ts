// RFC 2920 §3.2: the server SHOULD "store responses to grouped RSET, MAIL FROM, SEND FROM, SOML
// FROM, SAML FROM, and RCPT TO commands in an internal buffer so they can sent as a unit". A
// pipelined group is answered with one write, hooks or not; replies a client waits for go out as
// soon as nothing it sent is left to answer.
import { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer, type SmtpServer } from '../index.js';
import { greetedClientWithWrites } from './greeted-client.test-support.js';

let server: SmtpServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close({ graceful: false });
  server = undefined;
});

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server whose MAIL and RCPT hooks decide after a while, and the writes its sockets make. */
async function start(): Promise<{ c: RawSmtpClient; writes: string[]; port: number }> {
  server = createServer({
    hostname: 'mx.example',
    hooks: {
      mail: async () => {
        await later(5);
      },
      rcpt: async () => {
        await later(5);
      },
      data: async (_ctx, message) => {
        await message.discard();
      },
    },
  });
  const { port } = await server.listen({ port: 0 });
  return { ...(await greetedClientWithWrites(port)), port };
}

describe('pipelined replies (RFC 2920 §3.2)', () => {
  it('MAIL, two RCPTs and DATA in one write, hooks deciding one by one: one write of the four replies', async () => {
    const { c, writes } = await start();
    c.writeNoWait(
      'MAIL FROM:<a@x.example>\r\nRCPT TO:<b@y.example>\r\nRCPT TO:<c@y.example>\r\nDATA\r\n',
    );
    expect(await c.readCodes(4)).toEqual([250, 250, 250, 354]);
    expect(writes).toHaveLength(1);
    expect(writes[0]?.match(/^\d{3}/gm)).toEqual(['250', '250', '250', '354']);
    c.writeNoWait('Subject: t\r\n\r\nbody\r\n.\r\nQUIT\r\n');
    expect(await c.readCodes(2)).toEqual([250, 221]);
    expect(writes).toHaveLength(2);
    c.destroy();
  });

  it('one command at a time: each reply goes out when its hook decides', async () => {
    const { c, writes } = await start();
    await c.write('MAIL FROM:<a@x.example>\r\n');
    expect(await c.readCodes()).toEqual([250]);
    await c.write('RCPT TO:<b@y.example>\r\n');
    expect(await c.readCodes()).toEqual([250]);
    expect(writes).toHaveLength(2);
    c.destroy();
  });

  it('a group cut short by a refusal still gets every reply, in order, in one write', async () => {
    const { c, writes } = await start();
    // RCPT before MAIL is refused at once (503); the MAIL after it waits for its hook.
    c.writeNoWait(
      'RCPT TO:<b@y.example>\r\nMAIL FROM:<a@x.example>\r\nRCPT TO:<b@y.example>\r\nNOOP\r\n',
    );
    expect(await c.readCodes(4)).toEqual([503, 250, 250, 250]);
    expect(writes).toHaveLength(1);
    c.destroy();
  });

  it('two sessions in transactions at once: each group in one write, each reply in its order', async () => {
    const { c, writes, port } = await start();
    const d = await RawSmtpClient.connect(port);
    expect(await d.readCodes()).toEqual([220]);
    await d.write('EHLO d.example\r\n');
    expect(await d.readCodes()).toEqual([250]);
    await c.write('MAIL FROM:<a@x.example>\r\n');
    await d.write('MAIL FROM:<d@x.example>\r\n');
    expect(await c.readCodes()).toEqual([250]);
    expect(await d.readCodes()).toEqual([250]);
    writes.length = 0;
    // Both sessions are past MAIL: replies of one turn of the event loop are written together.
    c.writeNoWait('RCPT TO:<b@y.example>\r\nRCPT TO:<c@y.example>\r\nDATA\r\n');
    d.writeNoWait('RCPT TO:<e@y.example>\r\nRSET\r\nRCPT TO:<f@y.example>\r\n');
    expect(await c.readCodes(3)).toEqual([250, 250, 354]);
    expect(await d.readCodes(3)).toEqual([250, 250, 503]);
    expect(writes).toHaveLength(2);
    c.writeNoWait('Subject: t\r\n\r\nbody\r\n.\r\n');
    expect(await c.readCodes()).toEqual([250]);
    c.destroy();
    d.destroy();
  });
});
