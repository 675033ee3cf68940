// Pipelined commands whose hooks finish out of order: the replies must still come in command
// order, or a client matches the wrong reply to a recipient (and delivers to, or bounces, the wrong
// one).
//
// Summary, not a quotation: RFC 2920 (PIPELINING) lets the client send MAIL, RCPT and DATA
// without waiting, and the client matches the replies to its commands by position, so the server
// sends them in command order.
import { ReplyException, replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, sleep, startAttackServer } from './attack-server.js';

describe('pipelined replies stay in order', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  it('a slow accepted recipient before a fast rejected one', async () => {
    s = await startAttackServer({
      hooks: {
        rcpt: async (_ctx: unknown, path: unknown) => {
          const local = (path as { mailbox?: { localPart?: string } }).mailbox?.localPart ?? '';
          if (local.startsWith('slow')) await sleep(200);
          if (local.startsWith('bad')) throw new ReplyException(replies.R550_5_1_1_NoSuchUser);
        },
      },
    });
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\n' +
        'RCPT TO:<slow1@rcpt.example>\r\n' +
        'RCPT TO:<bad1@rcpt.example>\r\n' +
        'RCPT TO:<slow2@rcpt.example>\r\n' +
        'RCPT TO:<fast@rcpt.example>\r\n' +
        'RCPT TO:<bad2@rcpt.example>\r\n' +
        'DATA\r\n',
    );
    const answers = await client.readReplies(7);
    expect(answers.map(replyStatus)).toEqual([
      replyStatus(replies.R250_2_1_0_SenderOk),
      replyStatus(replies.R250_2_1_5_RecipientOk),
      replyStatus(replies.R550_5_1_1_NoSuchUser),
      replyStatus(replies.R250_2_1_5_RecipientOk),
      replyStatus(replies.R250_2_1_5_RecipientOk),
      replyStatus(replies.R550_5_1_1_NoSuchUser),
      replyStatus(replies.R354_StartMailInput),
    ]);
    // The hooks ran in command order too (a later hook never overtakes an earlier one).
    expect(s.log.rcpt).toEqual([
      'slow1@rcpt.example',
      'bad1@rcpt.example',
      'slow2@rcpt.example',
      'fast@rcpt.example',
      'bad2@rcpt.example',
    ]);
    await client.write('Subject: x\r\n\r\nbody\r\n.\r\n');
    expect(replyStatus(await client.readReply())).toBe(
      replyStatus(replies.R250_2_0_0_MessageAccepted),
    );
    const recipients = s.log.data[0]?.recipients.length;
    expect(recipients).toBe(3);
  });
});
