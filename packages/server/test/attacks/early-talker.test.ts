// Early talkers: spam software that sends its commands without waiting for the greeting (a
// pipelining violation that real MTAs never commit).
//
// Summary, not a quotation: RFC 5321 §3.1 and §4.3.2 make the 220 greeting the first step of a
// session, and RFC 2920 §3.1 allows a client to pipeline only once EHLO has offered PIPELINING, so
// bytes before the greeting come from a client that ignores the protocol. With
// policy.earlyTalkers 'reject' (the default) the server refuses the session (554 5.5.0, RFC 3463
// X.5.0 "Other or undefined protocol status").
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, sleep, startAttackServer } from './attack-server.js';

describe('early talker', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  // The connect hook takes 300 ms, so the greeting is due only after it: bytes that arrive
  // before then come from a client that did not wait.
  const slowGreeting = () =>
    startAttackServer({
      policy: { earlyTalkers: 'reject' },
      hooks: { connect: () => sleep(300) },
    });

  it('commands before the greeting: refused with 554, closed, never reach the hooks', async () => {
    s = await slowGreeting();
    client = await RawSmtpClient.connect(s.port);
    await client.write('EHLO spam.example\r\nMAIL FROM:<spam@spam.example>\r\n');
    const answers = await client.drain(1000, 5000);
    expect(answers.map((r) => r.code)).toContain(554);
    const refusal = answers.find((r) => r.code === 554);
    if (refusal?.enhanced !== undefined) {
      expect(replyStatus(refusal)).toBe(replyStatus(replies.R554_5_5_0_EarlyTalker));
    }
    expect(answers.some((r) => r.code === 250)).toBe(false);
    expect(await client.waitClose(5000)).toBe(true);
    expect(s.log.helo).toEqual([]);
    expect(s.log.mail).toEqual([]);
  });

  it('control: a client that waits for the greeting is served', async () => {
    s = await slowGreeting();
    client = await RawSmtpClient.connect(s.port);
    expect((await client.readReply()).code).toBe(220);
    await client.write('EHLO good.example\r\n');
    expect((await client.readReply()).code).toBe(250);
    expect(s.log.helo).toHaveLength(1);
  });

  it('default policy is reject', async () => {
    s = await startAttackServer({ hooks: { connect: () => sleep(300) } });
    client = await RawSmtpClient.connect(s.port);
    await client.write('EHLO spam.example\r\n');
    const answers = await client.drain(1000, 5000);
    expect(answers.some((r) => r.code === 250)).toBe(false);
    expect(await client.waitClose(5000)).toBe(true);
    expect(s.log.helo).toEqual([]);
  });
});
