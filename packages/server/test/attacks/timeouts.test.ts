// Slow or silent clients (slowloris) must not hold a connection forever: every wait of the server
// has a timeout, and when it fires the server says why and closes.
//
// RFC 5321 §4.5.3.2: "An SMTP server SHOULD have a timeout of at least 5 minutes while it is
// awaiting the next command from the sender" (§4.5.3.2.7); the tests shorten the timeouts through
// `limits.timeouts`. RFC 5321 §4.2.2: "421 <domain> Service not available, closing transmission
// channel"; RFC 3463 X.4.2 "Bad connection".
import { defaultExtensions, startTls } from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import {
  createSelfSignedCert,
  RawSmtpClient,
  replyStatus,
  type SelfSignedCert,
} from '@smtpkit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

const SHORT = 300;

describe('timeouts', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  let cert: SelfSignedCert;
  beforeAll(async () => {
    cert = await createSelfSignedCert();
  });
  afterAll(async () => {
    await cert?.remove();
  });
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  it('silent after the greeting: 421 4.4.2, then closed', async () => {
    s = await startAttackServer({ limits: { timeouts: { command: SHORT } } });
    client = await RawSmtpClient.connect(s.port);
    expect((await client.readReply()).code).toBe(220);
    const started = Date.now();
    const reply = await client.readReply(SHORT * 10);
    expect(reply.code).toBe(421);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SHORT - 50);
    expect(await client.waitClose(3000)).toBe(true);
  });

  it('silent after EHLO: 421 4.4.2 (with the enhanced code), then closed', async () => {
    s = await startAttackServer({ limits: { timeouts: { command: SHORT } } });
    client = await RawSmtpClient.greeted(s.port);
    expect(replyStatus(await client.readReply(SHORT * 10))).toBe(
      replyStatus(replies.R421_4_4_2_Timeout),
    );
    expect(await client.waitClose(3000)).toBe(true);
  });

  it('activity resets the timer: NOOPs every half timeout keep the session', async () => {
    s = await startAttackServer({ limits: { timeouts: { command: SHORT * 2 } } });
    client = await RawSmtpClient.greeted(s.port);
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, SHORT));
      await client.write('NOOP\r\n');
      expect((await client.readReply()).code).toBe(250);
    }
  });

  it('a command dripped an octet at a time does not reset the command timeout', async () => {
    s = await startAttackServer({ limits: { timeouts: { command: SHORT * 3 } } });
    client = await RawSmtpClient.greeted(s.port);
    // §4.5.3.2.7 is a wait for the next command: the octets of a line that never ends must not
    // re-arm it, or one 512-octet line could hold a connection for hours.
    const started = Date.now();
    const end = started + SHORT * 20;
    const line = 'NOOP xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
    for (let i = 0; !client.closed && client.pending === 0 && Date.now() < end; i++) {
      await client.write(line[i % line.length] ?? 'x').catch(() => {});
      await new Promise((r) => setTimeout(r, SHORT / 2));
    }
    expect(client.closed || client.pending > 0).toBe(true);
    expect(Date.now() - started).toBeLessThan(SHORT * 10);
    const reply = await client.readReplyOrClose(1000);
    if (reply !== undefined)
      expect(replyStatus(reply)).toBe(replyStatus(replies.R421_4_4_2_Timeout));
  });

  it('a message slower than one data block in total is not cut while blocks keep coming', async () => {
    s = await startAttackServer({ limits: { timeouts: { dataBlock: SHORT * 2 } } });
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n',
    );
    expect((await client.readReplies(3)).map((r) => r?.code)).toEqual([250, 250, 354]);
    // Lines every half block for four blocks' time: the per-block timeout never fires, and the
    // transfer limit (1 hour by default) is far away.
    for (let i = 0; i < 8; i++) {
      await client.write(`line ${i}\r\n`);
      await new Promise((r) => setTimeout(r, SHORT));
    }
    await client.write('.\r\n');
    expect((await client.readReply(SHORT * 10)).code).toBe(250);
  });

  it('a stalled DATA block: 421 4.4.2, the message is not accepted', async () => {
    s = await startAttackServer({ limits: { timeouts: { dataBlock: SHORT } } });
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n',
    );
    const [mail, rcpt, data] = await client.readReplies(3);
    expect([mail?.code, rcpt?.code, data?.code]).toEqual([250, 250, 354]);
    await client.write('Subject: slow\r\n\r\nhalf a bo');
    expect(replyStatus(await client.readReply(SHORT * 10))).toBe(
      replyStatus(replies.R421_4_4_2_Timeout),
    );
    expect(await client.waitClose(3000)).toBe(true);
    expect(s.log.data.filter((m) => m.completed)).toEqual([]);
  });

  it('a byte at a time in DATA still ends at the data termination timeout', async () => {
    s = await startAttackServer({
      limits: { timeouts: { dataBlock: SHORT * 3, messageTransfer: SHORT * 3 } },
    });
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n',
    );
    await client.readReplies(3);
    // RFC 5321 §4.5.3.2.5: the block timeout is per read, so a slowloris client sends just enough
    // to reset it; `messageTransfer` bounds the whole transfer.
    const end = Date.now() + SHORT * 20;
    while (!client.closed && client.pending === 0 && Date.now() < end) {
      await client.write('x').catch(() => {});
      await new Promise((r) => setTimeout(r, SHORT / 2));
    }
    expect(client.closed || client.pending > 0).toBe(true);
    const reply = await client.readReplyOrClose(1000);
    if (reply !== undefined) expect(reply.code).toBe(421);
  });

  it('STARTTLS without a handshake: the connection is closed after the handshake timeout', async () => {
    s = await startAttackServer({
      extensions: [...defaultExtensions(), startTls()],
      tls: { key: cert.key, cert: cert.cert },
      limits: { timeouts: { tlsHandshake: SHORT } },
    });
    client = await RawSmtpClient.greeted(s.port);
    await client.write('STARTTLS\r\n');
    expect((await client.readReply()).code).toBe(220);
    // Say nothing (no ClientHello).
    expect(await client.waitClose(SHORT * 10)).toBe(true);
  });
});
