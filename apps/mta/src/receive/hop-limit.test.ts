import { isReplyException } from '@smtpkit/reply';
import { describe, expect, it } from 'vitest';
import { limitHops } from './hop-limit.js';

async function run(text: string, max: number, split = 7): Promise<string> {
  const bytes = Buffer.from(text);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += split) chunks.push(bytes.subarray(i, i + split));
  const out: Buffer[] = [];
  for await (const c of limitHops(chunks, max)) out.push(Buffer.from(c));
  return Buffer.concat(out).toString();
}

const received = (n: number) =>
  'Received: from a by b; Mon, 7 Dec 2026 00:00:00 +0000\r\n'.repeat(n);

describe('loop detection (RFC 5321 §6.3)', () => {
  it('passes a message with up to maxHops Received: fields through unchanged, whatever the chunking', async () => {
    const message = `${received(3)}Subject: x\r\n\r\nReceived: in the body does not count\r\n`;
    for (const split of [1, 2, 5, 64, 4096]) {
      expect(await run(message, 3, split)).toBe(message);
    }
  });

  it('refuses one more with 554 5.4.6, field names in any case', async () => {
    const message = `${received(2)}RECEIVED: x\r\nreceived: y\r\n\r\nbody\r\n`;
    const error = await run(message, 3).catch((e: unknown) => e);
    expect(isReplyException(error)).toBe(true);
    expect((error as { reply: { code: number } }).reply.code).toBe(554);
  });

  it('counts the fields in the header section only', async () => {
    const message = `Subject: x\r\n\r\n${received(10)}`;
    expect(await run(message, 1, 3)).toBe(message);
  });
});
