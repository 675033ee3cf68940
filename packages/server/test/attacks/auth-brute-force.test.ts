// Password guessing over one connection: a client that may retry AUTH forever tests a dictionary
// at the speed of the link. Failed AUTH attempts count against the session's error budget
// (limits.errors), so the connection ends with 421 after a bounded number of guesses.
//
// RFC 4954 §4 (summary): a failed authentication is answered 535 5.7.8 and the client may try
// again; RFC 4954 §9 (summary) warns that servers should defend against password guessing. The
// budget that bounds it here is the server's own (DESIGN.md: "every line, count and size bounded").
import { auth, defaultExtensions } from '@smtpkit/extensions';
import { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

const BUDGET = 3;

describe('AUTH brute force on one connection', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  let attempts = 0;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
    attempts = 0;
  });

  it(`failed AUTH attempts end the session after the error budget (${BUDGET})`, async () => {
    s = await startAttackServer({
      extensions: [...defaultExtensions(), auth({ mechanisms: ['PLAIN'], allowWithoutTls: true })],
      policy: { authWithoutTls: true },
      limits: { errors: BUDGET },
      auth: {
        verify: async () => {
          attempts += 1;
          return false;
        },
      },
    });
    client = await RawSmtpClient.greeted(s.port);
    const codes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const guess = Buffer.from(`\0alice\0guess-${i}`).toString('base64');
      await client.write(`AUTH PLAIN ${guess}\r\n`).catch(() => {});
      const reply = await client.readReplyOrClose(3000);
      if (reply === undefined) break;
      codes.push(reply.code);
      if (reply.code === 421) break;
    }
    // limits.errors is the number of errors answered; the next one ends the session with 421.
    expect(codes.filter((c) => c === 535).length).toBeLessThanOrEqual(BUDGET);
    expect(codes.at(-1)).toBe(421);
    expect(attempts).toBeLessThanOrEqual(BUDGET + 1);
    expect(await client.waitClose(3000)).toBe(true);
  });
});
