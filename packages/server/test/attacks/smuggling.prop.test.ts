// Property form of the SMTP smuggling regression tests (see smuggling-scenario.ts): for any body
// built from the protocol's alphabet, including bare CR, bare LF, dots and whole command lines, sent
// in any split into TCP segments and followed by the real "<CRLF>.<CRLF>", the server answers the
// body with exactly one reply, delivers at most one message, and no command hidden in the body
// runs (RFC 5321 §4.1.1.4: the data end only at "<CRLF>.<CRLF>"; §2.3.8: CR and LF alone are not
// line endings).
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

const FRAGMENTS = [
  '\r',
  '\n',
  '\r\n',
  '.',
  '..',
  ' ',
  ':',
  '<',
  '>',
  '@',
  'x',
  'Subject: s',
  'MAIL FROM:<hidden@evil.example>',
  'RCPT TO:<victim@rcpt.example>',
  'DATA',
  'RSET',
  'QUIT',
  'BDAT 5 LAST',
  '\0',
];

/** A body and the places where it is cut into separate writes. */
const bodyAndSplits = fc
  .array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 40 })
  .map((parts) => parts.join(''))
  // Only bodies whose one real end is the terminator appended after them: a body that contains
  // "<CRLF>.<CRLF>" itself (or starts with ".<CRLF>", right after DATA's own CRLF) really ends
  // there, and what follows is rightly read as commands.
  .filter((body) => {
    const stream = `\r\n${body}\r\n.\r\n`;
    return stream.indexOf('\r\n.\r\n') === stream.length - 5;
  })
  .chain((body) =>
    fc.tuple(
      fc.constant(body),
      fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, body.length + 4) }), { maxLength: 6 }),
    ),
  );

/** The body, then the real terminator, cut at `cuts` (offsets into the whole). */
function pieces(body: string, cuts: readonly number[]): string[] {
  const whole = `${body}\r\n.\r\n`;
  const at = [...new Set(cuts.filter((c) => c > 0 && c < whole.length))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const c of at) {
    out.push(whole.slice(from, c));
    from = c;
  }
  out.push(whole.slice(from));
  return out;
}

/** Runs one transaction; returns the replies that answered the body (up to VRFY's 252). */
async function run(s: AttackServer, body: string, cuts: readonly number[]) {
  const before = { mail: s.log.mail.length, data: s.log.data.length };
  const c = await RawSmtpClient.greeted(s.port);
  try {
    await c.write('MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n');
    const codes = (await c.readReplies(3)).map((r) => r.code);
    expect(codes).toEqual([250, 250, 354]);
    for (const piece of pieces(body, cuts)) await c.write(piece);
    // VRFY's 252 (policy 'cannot-verify') marks the end: every reply before it answered the body.
    await c.write('VRFY postmaster\r\n');
    const answers = [];
    for (;;) {
      const r = await c.readReply(5000);
      if (r.code === 252) break;
      answers.push(r);
    }
    return {
      answers,
      mail: s.log.mail.slice(before.mail),
      data: s.log.data.slice(before.data),
    };
  } finally {
    c.destroy();
  }
}

describe('SMTP smuggling, any body and any split (property)', () => {
  let reject: AttackServer;
  let normalize: AttackServer;
  beforeAll(async () => {
    const limits = { connections: 100, connectionsPerIp: 100 };
    reject = await startAttackServer({ limits });
    normalize = await startAttackServer({ limits, policy: { bareLineEndings: 'normalize' } });
  });
  afterAll(async () => {
    await reject?.stop();
    await normalize?.stop();
  });

  it('default policy: one reply, no hidden command, a bare CR/LF never delivered', async () => {
    await fc.assert(
      fc.asyncProperty(bodyAndSplits, async ([body, cuts]) => {
        const r = await run(reject, body, cuts);
        expect(r.answers).toHaveLength(1);
        expect(r.mail).toEqual(['alice@sender.example']);
        const bare = /\r(?!\n)|(?<!\r)\n/.test(`${body}\r\n`);
        const [answer] = r.answers;
        if (bare) {
          expect([
            replyStatus(replies.R554_5_6_0_BareLineFeed),
            replyStatus(replies.R554_5_6_0_BareCarriageReturn),
          ]).toContain(replyStatus(answer));
        } else if (answer?.code === 250) {
          expect(r.data).toHaveLength(1);
        }
        expect(r.data.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 100 },
    );
  });

  it('normalize policy: one reply, one message with only CRLF line ends, no hidden command', async () => {
    await fc.assert(
      fc.asyncProperty(bodyAndSplits, async ([body, cuts]) => {
        const r = await run(normalize, body, cuts);
        expect(r.answers).toHaveLength(1);
        expect(r.mail).toEqual(['alice@sender.example']);
        expect(r.data.length).toBeLessThanOrEqual(1);
        if (r.answers[0]?.code === 250) {
          expect(r.data).toHaveLength(1);
          const delivered = r.data[0]?.body.toString('latin1') ?? '';
          expect(/\r(?!\n)|(?<!\r)\n/.test(delivered)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });
});
