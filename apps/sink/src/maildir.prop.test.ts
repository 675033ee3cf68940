import { readFile } from 'node:fs/promises';
import { makeTempDir, type TempDir } from '@smtpkit/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Maildir } from './maildir.js';

let dir: TempDir;
beforeAll(async () => {
  dir = await makeTempDir('sink-maildir-prop');
});
afterAll(async () => {
  await dir.remove();
});

const protocolByte = fc.constantFrom(
  ...Buffer.from('<>:@.,;="\\\r\n azAZ09', 'latin1'),
  0x00,
  0x80,
  0xff,
);
const body = fc.oneof(
  fc.uint8Array({ maxLength: 4096 }),
  fc.array(protocolByte, { maxLength: 2048 }).map((a) => Uint8Array.from(a)),
);

/** Splits `bytes` at the given cut points (sorted, deduplicated, in range). */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(start, p));
    start = p;
  }
  return out;
}

describe('Maildir.deliver properties', () => {
  it('any chunking of any bytes stores exactly those bytes', async () => {
    const maildir = await Maildir.open(dir.path, { noSync: true });
    await fc.assert(
      fc.asyncProperty(body, fc.array(fc.nat(), { maxLength: 20 }), async (bytes, cuts) => {
        const stored = await maildir.deliver(chunk(bytes, cuts));
        expect(stored.bytes).toBe(bytes.length);
        expect(new Uint8Array(await readFile(stored.path))).toEqual(bytes);
      }),
      { numRuns: 150 },
    );
  });
});
