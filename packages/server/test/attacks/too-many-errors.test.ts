// An error budget per session: a client that keeps sending bad commands (address harvesting,
// fuzzing, a broken bot) is disconnected instead of being answered forever.
//
// RFC 5321 §4.2.2: the server closes with "421 <domain> Service not available, closing
// transmission channel" when it must shut the session down; RFC 3463 X.7.0 "Other or undefined
// security status" is the catalogue's enhanced code for this refusal.
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

const BUDGET = 3;

describe('too many errors', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  it(`421 4.7.0 and close once ${BUDGET} errors are spent`, async () => {
    s = await startAttackServer({ limits: { errors: BUDGET, unknownCommands: 100 } });
    client = await RawSmtpClient.greeted(s.port);
    const seen: string[] = [];
    let closedAfter = 0;
    for (let i = 1; i <= BUDGET + 2; i++) {
      await client.write('MAIL FROM:not-an-address\r\n').catch(() => {});
      const reply = await client.readReplyOrClose(3000);
      if (reply === undefined) break;
      seen.push(replyStatus(reply));
      if (reply.code === 421) {
        closedAfter = i;
        break;
      }
      expect(reply.code).toBe(501);
    }
    // Errors below the budget get their own reply; the budget ends the session with 421 4.7.0.
    expect(seen.slice(0, BUDGET - 1).every((x) => x.startsWith('501'))).toBe(true);
    expect(seen.at(-1)).toBe(replyStatus(replies.R421_4_7_0_TooManyErrors));
    expect(closedAfter).toBeGreaterThanOrEqual(BUDGET);
    expect(closedAfter).toBeLessThanOrEqual(BUDGET + 1);
    expect(await client.waitClose(3000)).toBe(true);
  });

  it('pipelined errors in one packet are counted too', async () => {
    s = await startAttackServer({ limits: { errors: BUDGET, unknownCommands: 100 } });
    client = await RawSmtpClient.greeted(s.port);
    await client.write('RCPT TO:<a@b.example>\r\n'.repeat(50));
    const answers = await client.drain(500);
    expect(answers.at(-1) && replyStatus(answers.at(-1))).toBe(
      replyStatus(replies.R421_4_7_0_TooManyErrors),
    );
    expect(answers.length).toBeLessThanOrEqual(BUDGET + 1);
    expect(await client.waitClose(3000)).toBe(true);
  });

  it('control: good commands do not spend the budget', async () => {
    s = await startAttackServer({ limits: { errors: BUDGET } });
    client = await RawSmtpClient.greeted(s.port);
    for (let i = 0; i < BUDGET * 3; i++) {
      await client.write('NOOP\r\n');
      expect((await client.readReply()).code).toBe(250);
    }
    expect(client.closed).toBe(false);
  });
});
