// A budget for unknown commands, apart from the general error budget: a peer that speaks another
// protocol, or probes for verbs, is cut off early.
//
// RFC 5321 §4.2.2: "500 Syntax error, command unrecognized" is the reply to an unknown verb
// (RFC 3463 X.5.2 "Syntax error": "A mail transaction protocol command was issued which could
// not be interpreted, either because the syntax was wrong or the command is unrecognized."); RFC 5321 §4.2.2: "421 <domain> Service not available, closing
// transmission channel".
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

const BUDGET = 3;

describe('unknown commands', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  it('each unknown verb gets 500 5.5.2 until the budget, then 421 and close', async () => {
    s = await startAttackServer({ limits: { unknownCommands: BUDGET, errors: 100 } });
    client = await RawSmtpClient.greeted(s.port);
    const seen: string[] = [];
    for (let i = 0; i < BUDGET + 2; i++) {
      await client.write(`XYZZY${i}\r\n`).catch(() => {});
      const reply = await client.readReplyOrClose(3000);
      if (reply === undefined) break;
      seen.push(replyStatus(reply));
      if (reply.code === 421) break;
    }
    const refusals = seen.filter((x) => x === replyStatus(replies.R500_5_5_2_SyntaxError));
    expect(refusals.length).toBeGreaterThanOrEqual(BUDGET - 1);
    expect(refusals.length).toBeLessThanOrEqual(BUDGET);
    expect(seen.at(-1)?.startsWith('421')).toBe(true);
    expect(await client.waitClose(3000)).toBe(true);
  });

  it('control: a known command is not counted', async () => {
    s = await startAttackServer({ limits: { unknownCommands: BUDGET, errors: 100 } });
    client = await RawSmtpClient.greeted(s.port);
    for (let i = 0; i < BUDGET - 1; i++) {
      await client.write('XYZZY\r\n');
      expect(replyStatus(await client.readReply())).toBe(
        replyStatus(replies.R500_5_5_2_SyntaxError),
      );
    }
    for (let i = 0; i < 5; i++) {
      await client.write('NOOP\r\n');
      expect((await client.readReply()).code).toBe(250);
    }
    expect(client.closed).toBe(false);
  });
});
