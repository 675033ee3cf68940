// Internationalised addresses only inside an SMTPUTF8 transaction: a non-ASCII mailbox in a
// transaction that did not ask for SMTPUTF8 is refused (553, the "mailbox name not allowed" code).
//
// RFC 6531 §3.7.4.1 (on that refusal): "When the SMTPUTF8-aware SMTP server supports enhanced mail
// system status codes [RFC3463], reply-code "X.6.7" [RFC5248] (see Section 4) is used, meaning
// "Non-ASCII addresses not permitted for that sender/recipient"."
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, pathText, startAttackServer } from './attack-server.js';

const UTF8_SENDER = 'δοκιμή@παράδειγμα.δοκιμή';
const UTF8_RCPT = '用户@例子.广告';

describe('SMTPUTF8 enforced', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  it('non-ASCII reverse path without SMTPUTF8: 553 5.6.7, the mail hook is not called', async () => {
    s = await startAttackServer();
    client = await RawSmtpClient.greeted(s.port);
    await client.write(`MAIL FROM:<${UTF8_SENDER}>\r\n`);
    expect(replyStatus(await client.readReply())).toBe(
      replyStatus(replies.R553_5_6_7_Utf8AddressNotPermitted),
    );
    expect(s.log.mail).toEqual([]);
  });

  it('non-ASCII forward path in a transaction without SMTPUTF8: 553 5.6.7', async () => {
    s = await startAttackServer();
    client = await RawSmtpClient.greeted(s.port);
    await client.write('MAIL FROM:<alice@sender.example>\r\n');
    expect((await client.readReply()).code).toBe(250);
    await client.write(`RCPT TO:<${UTF8_RCPT}>\r\n`);
    expect(replyStatus(await client.readReply())).toBe(
      replyStatus(replies.R553_5_6_7_Utf8AddressNotPermitted),
    );
    expect(s.log.rcpt).toEqual([]);
  });

  it('with SMTPUTF8: accepted and delivered with the Unicode envelope', async () => {
    s = await startAttackServer();
    client = await RawSmtpClient.greeted(s.port);
    await client.write(`MAIL FROM:<${UTF8_SENDER}> SMTPUTF8\r\n`);
    expect(replyStatus(await client.readReply())).toBe(replyStatus(replies.R250_2_1_0_SenderOk));
    await client.write(`RCPT TO:<${UTF8_RCPT}>\r\n`);
    expect(replyStatus(await client.readReply())).toBe(replyStatus(replies.R250_2_1_5_RecipientOk));
    await client.write('DATA\r\n');
    expect((await client.readReply()).code).toBe(354);
    await client.write('Subject: ünïcödé\r\n\r\nbody\r\n.\r\n');
    expect(replyStatus(await client.readReply())).toBe(
      replyStatus(replies.R250_2_0_0_MessageAccepted),
    );
    expect(s.log.mail).toEqual([UTF8_SENDER]);
    expect(s.log.rcpt).toEqual([UTF8_RCPT]);
    expect(pathText(s.log.data[0]?.reversePath)).toBe(UTF8_SENDER);
  });

  it('SMTPUTF8 is not in effect after HELO: the parameter is refused (555 5.5.4)', async () => {
    s = await startAttackServer();
    client = await RawSmtpClient.connect(s.port);
    expect((await client.readReply()).code).toBe(220);
    await client.write('HELO client.example\r\n');
    expect((await client.readReply()).code).toBe(250);
    await client.write(`MAIL FROM:<${UTF8_SENDER}> SMTPUTF8\r\n`);
    const reply = await client.readReply();
    expect(reply.code).toBeGreaterThanOrEqual(500);
    expect(s.log.mail).toEqual([]);
  });
});
