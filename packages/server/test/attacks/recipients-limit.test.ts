// A cap on recipients per transaction.
//
// RFC 5321 §4.5.3.1.10: "If an SMTP server has an implementation limit on the number of RCPT
// commands and this limit is exhausted, it MUST use a response code of 452 (but the client SHOULD
// also be prepared for a 552, as noted above)." RFC 3463 X.5.3 "Too many recipients".
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, pathText, startAttackServer } from './attack-server.js';

const LIMIT = 3;

describe('recipients limit', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  it(`452 4.5.3 past ${LIMIT} recipients; the message goes to the first ${LIMIT}`, async () => {
    s = await startAttackServer({ limits: { recipients: LIMIT } });
    client = await RawSmtpClient.greeted(s.port);
    let group = 'MAIL FROM:<alice@sender.example>\r\n';
    for (let i = 1; i <= LIMIT + 2; i++) group += `RCPT TO:<r${i}@rcpt.example>\r\n`;
    await client.write(group);
    const answers = await client.readReplies(LIMIT + 3);
    expect(answers.map(replyStatus)).toEqual([
      replyStatus(replies.R250_2_1_0_SenderOk),
      ...Array.from({ length: LIMIT }, () => replyStatus(replies.R250_2_1_5_RecipientOk)),
      replyStatus(replies.R452_4_5_3_TooManyRecipients),
      replyStatus(replies.R452_4_5_3_TooManyRecipients),
    ]);
    // The hook never saw the excess recipients.
    expect(s.log.rcpt).toEqual(['r1@rcpt.example', 'r2@rcpt.example', 'r3@rcpt.example']);
    await client.write('DATA\r\n');
    expect((await client.readReply()).code).toBe(354);
    await client.write('Subject: x\r\n\r\nbody\r\n.\r\n');
    expect(replyStatus(await client.readReply())).toBe(
      replyStatus(replies.R250_2_0_0_MessageAccepted),
    );
    const delivered = s.log.data[0]?.recipients.map((r) =>
      pathText((r as { forwardPath: unknown }).forwardPath),
    );
    expect(delivered).toEqual(['r1@rcpt.example', 'r2@rcpt.example', 'r3@rcpt.example']);
  });

  it('the count starts again with the next transaction', async () => {
    s = await startAttackServer({ limits: { recipients: LIMIT } });
    client = await RawSmtpClient.greeted(s.port);
    for (let round = 0; round < 2; round++) {
      await client.write('MAIL FROM:<alice@sender.example>\r\n');
      expect((await client.readReply()).code).toBe(250);
      for (let i = 1; i <= LIMIT; i++) {
        await client.write(`RCPT TO:<r${i}@rcpt.example>\r\n`);
        expect((await client.readReply()).code).toBe(250);
      }
      await client.write('RSET\r\n');
      expect((await client.readReply()).code).toBe(250);
    }
  });
});
