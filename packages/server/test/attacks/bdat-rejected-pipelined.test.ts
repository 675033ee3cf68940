// A rejected BDAT in a pipelined group must still consume its chunk: otherwise the chunk's octets
// (which the client controls, and which a filter in front of the server took for message data)
// are read as commands, a desynchronisation like SMTP smuggling.
//
// Summary, not a quotation: RFC 3030 §2 gives BDAT the chunk size as its first argument and has
// the chunk follow the command line, whatever the server answers; RFC 2920 requires replies in
// the order of the pipelined commands. RFC 5321 §3.3, on DATA: "If there was no MAIL, or no RCPT,
// command, or all such commands were rejected, the server MAY return a "command out of sequence"
// (503) or "no valid recipients" (554) reply" — BDAT is answered the same way here.
import { ReplyException, replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

/** Looks like commands; must be swallowed as the chunk's octets. */
const CHUNK = 'RSET\r\nMAIL FROM:<smuggled@evil.example>\r\nRCPT TO:<victim@rcpt.example>\r\n';

describe('rejected BDAT in a pipelined group', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  const rejectingRcpt = () =>
    startAttackServer({
      hooks: {
        rcpt: async (_ctx: unknown, path: unknown) => {
          const p = path as { mailbox?: { localPart?: string } };
          if (p.mailbox?.localPart === 'nobody')
            throw new ReplyException(replies.R550_5_1_1_NoSuchUser);
        },
      },
    });

  it('RCPT rejected: BDAT LAST is refused, its chunk consumed, replies in order', async () => {
    s = await rejectingRcpt();
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\n' +
        'RCPT TO:<nobody@rcpt.example>\r\n' +
        `BDAT ${Buffer.byteLength(CHUNK)} LAST\r\n${CHUNK}` +
        'NOOP\r\n',
    );
    const answers = await client.drain(500);
    expect(answers.map((r) => r.code)).toHaveLength(4);
    const [mail, rcpt, bdat, noop] = answers;
    expect(replyStatus(mail)).toBe(replyStatus(replies.R250_2_1_0_SenderOk));
    expect(replyStatus(rcpt)).toBe(replyStatus(replies.R550_5_1_1_NoSuchUser));
    expect([503, 554]).toContain(bdat?.code);
    expect(replyStatus(noop)).toBe(replyStatus(replies.R250_2_0_0_Ok));
    expect(s.log.mail).toEqual(['alice@sender.example']);
    expect(s.log.rcpt).toEqual(['nobody@rcpt.example']);
    expect(s.log.data).toEqual([]);
  });

  it('MAIL rejected: RCPT and both BDAT chunks refused, chunks consumed', async () => {
    s = await startAttackServer({
      hooks: {
        mail: async () => {
          throw new ReplyException(replies.R550_5_7_1_DeliveryNotAuthorized);
        },
      },
    });
    client = await RawSmtpClient.greeted(s.port);
    const n = Buffer.byteLength(CHUNK);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\n' +
        'RCPT TO:<bob@rcpt.example>\r\n' +
        `BDAT ${n}\r\n${CHUNK}` +
        `BDAT ${n} LAST\r\n${CHUNK}` +
        'NOOP\r\n',
    );
    const answers = await client.drain(500);
    expect(answers.map((r) => r.code)).toHaveLength(5);
    const [mail, rcpt, bdat1, bdat2, noop] = answers;
    expect(replyStatus(mail)).toBe(replyStatus(replies.R550_5_7_1_DeliveryNotAuthorized));
    expect(rcpt?.code).toBe(503);
    expect([503, 554]).toContain(bdat1?.code);
    expect([503, 554]).toContain(bdat2?.code);
    expect(replyStatus(noop)).toBe(replyStatus(replies.R250_2_0_0_Ok));
    expect(s.log.mail).toEqual(['alice@sender.example']);
    expect(s.log.rcpt).toEqual([]);
    expect(s.log.data).toEqual([]);
  });

  it('control: the same group with an accepted recipient delivers exactly the chunk', async () => {
    s = await rejectingRcpt();
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\n' +
        'RCPT TO:<bob@rcpt.example>\r\n' +
        `BDAT ${Buffer.byteLength(CHUNK)} LAST\r\n${CHUNK}` +
        'NOOP\r\n',
    );
    const answers = await client.drain(500);
    expect(answers.map((r) => r.code)).toEqual([250, 250, 250, 250]);
    expect(s.log.data).toHaveLength(1);
    expect(s.log.data[0]?.body.toString('latin1')).toBe(CHUNK);
    expect(s.log.mail).toEqual(['alice@sender.example']);
  });
});
