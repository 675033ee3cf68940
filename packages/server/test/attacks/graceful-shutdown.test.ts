// Graceful shutdown: stop accepting, tell idle clients, let a message in flight finish (an MTA
// that restarts must not lose or duplicate a message it was receiving).
//
// RFC 5321 §3.8: "An SMTP server MUST NOT intentionally close the connection under normal
// operational circumstances (see Section 7.8) except: After receiving a QUIT command and
// responding with a 221 reply. After detecting the need to shut down the SMTP service and
// returning a 421 response code." RFC 3463 X.3.2 "System not accepting network messages".
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, sleep, startAttackServer } from './attack-server.js';

describe('graceful shutdown', () => {
  let s: AttackServer | undefined;
  const clients: RawSmtpClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await s?.stop().catch(() => {});
    s = undefined;
  });

  async function inData(port: number): Promise<RawSmtpClient> {
    const c = await RawSmtpClient.greeted(port);
    clients.push(c);
    await c.write('MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n');
    const codes = (await c.readReplies(3)).map((r) => r.code);
    expect(codes).toEqual([250, 250, 354]);
    await c.write('Subject: in flight\r\n\r\nfirst half\r\n');
    return c;
  }

  it('idle clients get 421 4.3.2; the message in flight finishes; new connections are refused', async () => {
    s = await startAttackServer();
    const port = s.port;
    const busy = await inData(port);
    const idle = await RawSmtpClient.greeted(port);
    clients.push(idle);
    let closed = false;
    const closing = s.server.close({ graceful: true, timeoutMs: 10_000 }).then(() => {
      closed = true;
    });
    expect(replyStatus(await idle.readReply())).toBe(replyStatus(replies.R421_4_3_2_ShuttingDown));
    expect(await idle.waitClose(3000)).toBe(true);
    await expect(RawSmtpClient.connect(port, { timeoutMs: 2000 })).rejects.toThrow();
    await sleep(200);
    expect(closed).toBe(false);
    await busy.write('second half\r\n.\r\n');
    expect(replyStatus(await busy.readReply())).toBe(
      replyStatus(replies.R250_2_0_0_MessageAccepted),
    );
    expect(s.log.data).toHaveLength(1);
    expect(s.log.data[0]?.body.toString()).toBe(
      'Subject: in flight\r\n\r\nfirst half\r\nsecond half\r\n',
    );
    // After its transaction the client is told too, or answered QUIT normally.
    const after = await busy.readReplyOrClose(3000);
    if (after !== undefined) expect(after.code).toBe(421);
    await closing;
    expect(closed).toBe(true);
    s = undefined;
  });

  it('timeoutMs bounds the wait for a stalled transaction', async () => {
    s = await startAttackServer();
    const busy = await inData(s.port);
    const started = Date.now();
    await s.server.close({ graceful: true, timeoutMs: 500 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await busy.waitClose(3000)).toBe(true);
    expect(s.log.data.filter((m) => m.completed)).toEqual([]);
    s = undefined;
  });

  it('QUIT during shutdown is still answered 221', async () => {
    s = await startAttackServer();
    const busy = await inData(s.port);
    const closing = s.server.close({ graceful: true, timeoutMs: 10_000 });
    await busy.write('end\r\n.\r\nQUIT\r\n');
    expect((await busy.readReply()).code).toBe(250);
    expect([221, 421]).toContain((await busy.readReply()).code);
    await closing;
    s = undefined;
  });
});
