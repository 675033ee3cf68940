// Garbage on the command channel: any bytes, in any split, get well-formed replies (or a close by
// a budget or policy), never a crash, a hang or a malformed reply; and the server goes on serving
// other clients. Inputs come from the protocol's alphabet (so they reach the deeper states: verbs,
// paths, parameters, DATA, BDAT) and from arbitrary octets.

import { RawSmtpClient } from '@smtpkit/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

const TOKENS = [
  'EHLO a.example',
  'HELO a',
  'MAIL FROM:',
  'RCPT TO:',
  '<a@b.example>',
  '<>',
  '<Postmaster>',
  ' SIZE=10',
  ' BODY=8BITMIME',
  ' SMTPUTF8',
  'DATA',
  'BDAT 3',
  'BDAT 0 LAST',
  ' LAST',
  'RSET',
  'NOOP',
  'VRFY x',
  'EXPN x',
  'HELP',
  'STARTTLS',
  'AUTH PLAIN',
  '.',
  '\r\n',
  '\r',
  '\n',
  ' ',
  ':',
  '=',
  '"',
  '\\',
  ',',
  ';',
  '@',
  'x',
  '\0',
  'é',
];

const alphabetInput = fc
  .array(fc.constantFrom(...TOKENS), { maxLength: 60 })
  .map((t) => Buffer.from(t.join(''), 'utf8'));
const byteInput = fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b));
const withSplits = (input: fc.Arbitrary<Buffer>) =>
  input.chain((b) =>
    fc.tuple(
      fc.constant(b),
      fc.uniqueArray(fc.nat({ max: Math.max(0, b.length) }), { maxLength: 5 }),
    ),
  );

async function feed(s: AttackServer, input: Buffer, cuts: readonly number[]): Promise<void> {
  const c = await RawSmtpClient.greeted(s.port);
  try {
    const at = [...cuts].filter((x) => x > 0 && x < input.length).sort((a, b) => a - b);
    let from = 0;
    for (const cut of [...at, input.length]) {
      if (cut > from) await c.write(input.subarray(from, cut)).catch(() => {});
      from = cut;
    }
    // Whatever state the garbage left, the replies that come parse (the client throws on a
    // malformed one) and the connection ends or stays usable.
    await c.drain(50, 2000);
  } finally {
    c.destroy();
  }
}

describe('command channel fuzz (property)', () => {
  let s: AttackServer;
  beforeAll(async () => {
    s = await startAttackServer({
      limits: {
        connections: 200,
        connectionsPerIp: 200,
        timeouts: { dataBlock: 500, command: 2000 },
      },
    });
  });
  afterAll(async () => {
    await s?.stop();
  });

  async function stillServes(): Promise<void> {
    const c = await RawSmtpClient.greeted(s.port);
    await c.write('NOOP\r\n');
    expect((await c.readReply()).code).toBe(250);
    c.destroy();
  }

  it('protocol-alphabet input never breaks the server', async () => {
    await fc.assert(
      fc.asyncProperty(withSplits(alphabetInput), async ([input, cuts]) => {
        await feed(s, input, cuts);
      }),
      { numRuns: 60 },
    );
    await stillServes();
  });

  it('arbitrary octets never break the server', async () => {
    await fc.assert(
      fc.asyncProperty(withSplits(byteInput), async ([input, cuts]) => {
        await feed(s, input, cuts);
      }),
      { numRuns: 60 },
    );
    await stillServes();
  });
});
