// Reply-line injection: an application hook builds reply text from attacker-controlled input (a
// recipient address, a header) and that text carries CR LF: "550 no such user\r\n250 2.0.0 Ok"
// would forge a second reply and desynchronise the client. RFC 5321 §4.2: "Reply-line =
// *( Reply-code "-" [ textstring ] CRLF ) Reply-code [ SP textstring ] CRLF" with
// "textstring = 1*(%d09 / %d32-126)": no CR or LF inside the text.
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

/** A Reply-shaped object built by hand, bypassing createReply's checks. */
const FORGED = {
  code: 550,
  lines: ['No such user\r\n250 2.1.5 Recipient OK'],
} as const;

describe('reply-line injection from a hook', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  it('a hand-made reply with CR LF in its text: never written, and never turned into a 250', async () => {
    s = await startAttackServer({
      hooks: {
        rcpt: async () => {
          // biome-ignore lint/suspicious/noExplicitAny: the attack is a value outside the type.
          return FORGED as any;
        },
      },
    });
    client = await RawSmtpClient.greeted(s.port);
    await client.write('MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\n');
    const mail = await client.readReply();
    expect(replyStatus(mail)).toBe(replyStatus(replies.R250_2_1_0_SenderOk));
    const rcpt = await client.readReply();
    // The hook meant to refuse; its reply is unusable. Failing open (the default 250, the
    // recipient accepted) turns a refusal into an acceptance: the hook misbehaved, so the answer
    // is the misbehaving-hook reply, 451 4.3.0 (DESIGN.md: "any other throw becomes 451 4.3.0").
    expect(replyStatus(rcpt)).toBe(replyStatus(replies.R451_4_3_0_LocalError));
    expect(s.log.data).toEqual([]);
    expect(rcpt.lines.join('\n')).not.toContain('Recipient OK');
    // Nothing else arrived: no forged second reply.
    expect((await client.drain(300)).map(replyStatus)).toEqual([]);
    await client.write('NOOP\r\n');
    expect((await client.readReply()).code).toBe(250);
  });

  it('a thrown reply with an LF in its text is not sent as written', async () => {
    s = await startAttackServer({
      hooks: {
        mail: async () => {
          const e = new Error('refused') as Error & { reply?: unknown };
          e.reply = { code: 550, lines: ['bad\n250 forged'] };
          throw e;
        },
      },
    });
    client = await RawSmtpClient.greeted(s.port);
    await client.write('MAIL FROM:<alice@sender.example>\r\n');
    const reply = await client.readReply();
    expect(reply.code).toBeGreaterThanOrEqual(400);
    expect((await client.drain(300)).map(replyStatus)).toEqual([]);
  });
});
