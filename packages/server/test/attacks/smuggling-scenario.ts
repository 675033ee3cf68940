// SMTP smuggling (CVE-2023-51764 Postfix, CVE-2023-51765 Sendmail, CVE-2023-51766 Exim): a client
// ends DATA with a sequence that some server takes for the end of data while an outbound relay does
// not, so a second, forged transaction hidden in the body runs on the receiving side.
//
// RFC 5321 §4.1.1.4: "The mail data are terminated by a line containing only a period, that is,
// the character sequence "<CRLF>.<CRLF>", where the first <CRLF> is actually the terminator of the
// previous line". RFC 5321 §2.3.8: "Conforming implementations MUST NOT recognize or generate any
// other character or character sequence as a line terminator."
//
// Each variant has its own test file (named after it); they all run this scenario: one DATA whose
// body holds the variant, then a hidden MAIL/RCPT/DATA with a second message, then the real
// terminator. Exactly one message may reach the data hook (none when the default policy rejects
// the message after the real terminator); the hidden MAIL never reaches the mail hook; exactly one
// reply answers the whole body.
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

const HIDDEN_SENDER = 'hidden@evil.example';

/** The body sent after `354`: first message, the variant, the forged transaction, the real end. */
export function smugglingBody(variant: string): string {
  return (
    'From: alice@sender.example\r\nTo: bob@rcpt.example\r\nSubject: first\r\n\r\nfirst body' +
    variant +
    `MAIL FROM:<${HIDDEN_SENDER}>\r\n` +
    'RCPT TO:<victim@rcpt.example>\r\n' +
    'DATA\r\n' +
    'From: ceo@rcpt.example\r\nSubject: forged\r\n\r\nsecond body\r\n' +
    '.\r\n'
  );
}

async function sendSmuggled(port: number, variant: string): Promise<RawSmtpClient> {
  const c = await RawSmtpClient.greeted(port);
  await c.write('MAIL FROM:<alice@sender.example>\r\n');
  expect(replyStatus(await c.readReply())).toMatch(/^250/);
  await c.write('RCPT TO:<bob@rcpt.example>\r\n');
  expect(replyStatus(await c.readReply())).toMatch(/^250/);
  await c.write('DATA\r\n');
  expect((await c.readReply()).code).toBe(354);
  await c.write(smugglingBody(variant));
  return c;
}

/** Every LF is preceded by CR and every CR followed by LF. */
function onlyCrlf(bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a && bytes[i - 1] !== 0x0d) return false;
    if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) return false;
  }
  return true;
}

/**
 * Registers the regression tests for one smuggling variant (`\n.\n`, `\r.\r\n`, …) under the
 * default policy (reject) and under `policy.bareLineEndings: 'normalize'`.
 */
export function describeSmuggling(name: string, variant: string): void {
  describe(`SMTP smuggling with ${name}`, () => {
    let s: AttackServer | undefined;
    let client: RawSmtpClient | undefined;
    afterEach(async () => {
      client?.destroy();
      await s?.stop();
      s = undefined;
    });

    it('default policy: one reply, at most one message, the hidden MAIL never runs', async () => {
      s = await startAttackServer();
      client = await sendSmuggled(s.port, variant);
      const answers = await client.drain(500);
      // One reply answers the body; no 250/354 for a hidden MAIL, RCPT or DATA.
      expect(answers.map(replyStatus)).toHaveLength(1);
      const [answer] = answers;
      expect(answers.some((r) => r.code === 354)).toBe(false);
      expect(s.log.mail).toEqual(['alice@sender.example']);
      expect(s.log.mail).not.toContain(HIDDEN_SENDER);
      expect(s.log.data.length).toBeLessThanOrEqual(1);
      // Safe by default (DESIGN.md): a bare CR or LF in DATA rejects the message after the real
      // terminator with 554 5.6.0.
      expect([
        replyStatus(replies.R554_5_6_0_BareLineFeed),
        replyStatus(replies.R554_5_6_0_BareCarriageReturn),
      ]).toContain(replyStatus(answer));
      // A rejected message is not delivered: the hook may have read it, but it never got a 250.
      // The session goes on: the next command gets its own reply and nothing else.
      if (!client.closed) {
        await client.write('NOOP\r\n');
        const after = await client.drain(300);
        expect(after.map(replyStatus)).toEqual([replyStatus(replies.R250_2_0_0_Ok)]);
      }
      expect(s.log.mail).toEqual(['alice@sender.example']);
    });

    it('normalize policy: one message with the forged text as content, the hidden MAIL never runs', async () => {
      s = await startAttackServer({ policy: { bareLineEndings: 'normalize' } });
      client = await sendSmuggled(s.port, variant);
      const answers = await client.drain(500);
      expect(answers.map(replyStatus)).toEqual([replyStatus(replies.R250_2_0_0_MessageAccepted)]);
      expect(s.log.mail).toEqual(['alice@sender.example']);
      expect(s.log.data).toHaveLength(1);
      const [message] = s.log.data;
      expect(message?.completed).toBe(true);
      const body = message?.body ?? Buffer.alloc(0);
      // The forged transaction is message content, not commands.
      expect(body.includes(`MAIL FROM:<${HIDDEN_SENDER}>`)).toBe(true);
      expect(body.includes('second body')).toBe(true);
      // Normalised: the hook never sees a bare CR or LF.
      expect(onlyCrlf(body)).toBe(true);
      await client.write('NOOP\r\n');
      expect((await client.drain(300)).map(replyStatus)).toEqual([
        replyStatus(replies.R250_2_0_0_Ok),
      ]);
    });
  });
}
