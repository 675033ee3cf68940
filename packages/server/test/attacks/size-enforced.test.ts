// Message size limits are enforced on what arrives, not only on what the client declares.
//
// RFC 1870 §4: "If a numeric parameter follows the SIZE keyword value of the EHLO response, it
// indicates the size of the largest message that the server is willing to accept. Any attempt by
// a client to transfer a message which is larger than this limit will be rejected with a
// permanent failure (552) reply code." The SIZE a client declares is only "an estimate", so the
// server counts the octets itself; §5: "The message size is defined as the number of octets,
// including CR-LF pairs, but not the SMTP DATA command's terminating dot or doubled quoting dots".
// RFC 3463 X.3.4: "Message too big for system".

import { defaultExtensions } from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

const MAX = 10_000;
const TOO_BIG = `Subject: big\r\n\r\n${`${'x'.repeat(98)}\r\n`.repeat(200)}`; // 20 KB

describe('SIZE enforced', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  const start = () => startAttackServer({ extensions: defaultExtensions({ size: { max: MAX } }) });

  async function transaction(mailParams: string): Promise<RawSmtpClient> {
    if (s === undefined) throw new Error('no server');
    const c = await RawSmtpClient.greeted(s.port);
    await c.write(`MAIL FROM:<alice@sender.example>${mailParams}\r\n`);
    expect(replyStatus(await c.readReply())).toBe(replyStatus(replies.R250_2_1_0_SenderOk));
    await c.write('RCPT TO:<bob@rcpt.example>\r\n');
    expect(replyStatus(await c.readReply())).toBe(replyStatus(replies.R250_2_1_5_RecipientOk));
    return c;
  }

  /** The message was not delivered: no data hook ended with the whole body. */
  function notDelivered(): void {
    const whole = s?.log.data.filter((m) => m.completed && m.body.length >= TOO_BIG.length) ?? [];
    expect(whole).toEqual([]);
  }

  it('SIZE declared small, body over the maximum: 552 5.3.4 after the data, not delivered', async () => {
    s = await start();
    client = await transaction(' SIZE=100');
    await client.write('DATA\r\n');
    expect((await client.readReply()).code).toBe(354);
    await client.write(`${TOO_BIG}.\r\n`);
    const answers = await client.drain(500);
    expect(answers.map(replyStatus)).toEqual([replyStatus(replies.R552_5_3_4_MessageTooBig)]);
    notDelivered();
    await client.write('RSET\r\n');
    expect((await client.readReply()).code).toBe(250);
  });

  it('no SIZE declared, body over the maximum: 552 5.3.4 after the data, not delivered', async () => {
    s = await start();
    client = await transaction('');
    await client.write('DATA\r\n');
    expect((await client.readReply()).code).toBe(354);
    await client.write(`${TOO_BIG}.\r\n`);
    const answers = await client.drain(500);
    expect(answers.map(replyStatus)).toEqual([replyStatus(replies.R552_5_3_4_MessageTooBig)]);
    notDelivered();
    await client.write('NOOP\r\n');
    expect((await client.readReply()).code).toBe(250);
  });

  it('BDAT chunks over the maximum: 552 5.3.4, not delivered', async () => {
    s = await start();
    client = await transaction('');
    const half = TOO_BIG.slice(0, TOO_BIG.length / 2);
    const rest = TOO_BIG.slice(half.length);
    await client.write(`BDAT ${half.length}\r\n${half}BDAT ${rest.length} LAST\r\n${rest}`);
    const answers = await client.drain(500);
    // The first chunk (10 KB) may already exceed the limit; either way the message is refused.
    expect(answers.map(replyStatus)).toContain(replyStatus(replies.R552_5_3_4_MessageTooBig));
    expect(
      answers.filter((r) => r.code === 250 && answers.indexOf(r) === answers.length - 1),
    ).toEqual([]);
    notDelivered();
    await client.write('NOOP\r\n');
    expect((await client.readReply()).code).toBe(250);
  });

  it('declared SIZE over the maximum: 552 5.3.4 at MAIL, the mail hook is not called', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    await client.write(`MAIL FROM:<alice@sender.example> SIZE=${MAX + 1}\r\n`);
    expect(replyStatus(await client.readReply())).toBe(
      replyStatus(replies.R552_5_3_4_MessageTooBig),
    );
    expect(s.log.mail).toEqual([]);
    await client.write('MAIL FROM:<alice@sender.example> SIZE=100\r\n');
    expect((await client.readReply()).code).toBe(250);
  });

  it('one octet over the maximum: 552 5.3.4', async () => {
    s = await start();
    client = await transaction('');
    await client.write('DATA\r\n');
    expect((await client.readReply()).code).toBe(354);
    const head = 'Subject: over\r\n\r\n';
    const lines = `${'y'.repeat(98)}\r\n`.repeat(Math.floor((MAX - head.length) / 100));
    const body = `${head}${lines}${'z'.repeat(MAX + 1 - head.length - lines.length - 2)}\r\n`;
    expect(body.length).toBe(MAX + 1);
    await client.write(`${body}.\r\n`);
    expect(replyStatus(await client.readReply())).toBe(
      replyStatus(replies.R552_5_3_4_MessageTooBig),
    );
    expect(s.log.data.filter((m) => m.completed && m.body.length > MAX)).toEqual([]);
  });

  it('control: a body at the maximum is accepted and delivered whole', async () => {
    s = await start();
    client = await transaction(` SIZE=${MAX}`);
    await client.write('DATA\r\n');
    expect((await client.readReply()).code).toBe(354);
    // Lines of 100 octets (RFC 5321 §4.5.3.1.6 caps a text line at 1000 with CRLF).
    const head = 'Subject: ok\r\n\r\n';
    const lines = `${'y'.repeat(98)}\r\n`.repeat(Math.floor((MAX - head.length) / 100));
    const body = `${head}${lines}${'z'.repeat(MAX - head.length - lines.length - 2)}\r\n`;
    expect(body.length).toBe(MAX);
    await client.write(`${body}.\r\n`);
    expect(replyStatus(await client.readReply())).toBe(
      replyStatus(replies.R250_2_0_0_MessageAccepted),
    );
    expect(s.log.data[0]?.body.length).toBe(MAX);
  });
});
