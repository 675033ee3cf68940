import { expect, it } from 'vitest';
import { encodeData } from '../data-encoder.js';
import { runDecoder } from '../run-decoder.js';

/** The chunking helpers of `@smtpkit/testing`, passed in by each test file. */
export interface ChunkKit {
  allTwoWaySplits(bytes: Uint8Array): Uint8Array[][];
  byteByByte(bytes: Uint8Array): Uint8Array[];
  bytes(text: string): Uint8Array;
  concat(chunks: readonly Uint8Array[]): Uint8Array;
  latin1(data: Uint8Array): string;
}

/** The commands an attacker hides after a fake end of data, hoping a server splits the message. */
const SMUGGLED =
  'MAIL FROM:<admin@bank.example>\r\nRCPT TO:<victim@example.net>\r\nDATA\r\nFrom: admin@bank.example\r\n\r\nforged\r\n';
const BARE = /\r(?!\n)|(?<!\r)\n/;

/**
 * The regression tests for one SMTP smuggling variant (CVE-2023-51764, CVE-2023-51765,
 * CVE-2023-51766, CVE-2024-27305): `sequence` is a look-alike of CRLF "." CRLF. RFC 5321 §4.1.1.4
 * ends the data only at "<CRLF>.<CRLF>" and §2.3.8 recognises no other line terminator, so the
 * message must end at the real terminator, keep the smuggled text inside it, and (by default) be
 * refused with 554 after the terminator.
 */
export function smugglingCase(sequence: string, kit: ChunkKit): void {
  const { allTwoWaySplits, byteByByte, bytes, concat, latin1 } = kit;
  const prefixes = ['Subject: hi\r\n\r\nreal body', ''];
  for (const prefix of prefixes) {
    const where = prefix === '' ? 'right after DATA' : 'inside the body';
    const wire = bytes(`${prefix}${sequence}${SMUGGLED}\r\n.\r\nQUIT\r\n`);

    it(`does not end the data at ${JSON.stringify(sequence)} ${where} (reject policy)`, () => {
      for (const chunks of [[wire], byteByByte(wire), ...allTwoWaySplits(wire)]) {
        const run = runDecoder(chunks);
        expect(run.done).toBe(true);
        expect(latin1(Uint8Array.from(run.rest))).toBe('QUIT\r\n');
        expect(latin1(Uint8Array.from(run.body))).toContain('MAIL FROM:<admin@bank.example>');
        expect(run.violations.length).toBeGreaterThan(0);
        expect(run.violations.every((v) => v.kind === 'bare-lf' || v.kind === 'bare-cr')).toBe(
          true,
        );
      }
    });

    it(`normalises ${JSON.stringify(sequence)} ${where} without ending the data (normalize policy)`, () => {
      const run = runDecoder(byteByByte(wire), { bareLineEndings: 'normalize' });
      expect(run.done).toBe(true);
      expect(latin1(Uint8Array.from(run.rest))).toBe('QUIT\r\n');
      expect(run.violations).toEqual([]);
      const body = latin1(Uint8Array.from(run.body));
      expect(BARE.test(body)).toBe(false);
      expect(body).toContain('MAIL FROM:<admin@bank.example>');
    });

    it(`relays the message with ${JSON.stringify(sequence)} ${where} as one message to the next hop`, () => {
      for (const policy of ['reject', 'normalize'] as const) {
        const received = runDecoder([wire], { bareLineEndings: policy });
        const outbound = encodeData(Uint8Array.from(received.body));
        expect(BARE.test(latin1(outbound))).toBe(false);
        const next = runDecoder([concat([outbound, bytes('QUIT\r\n')])]);
        expect(next.done).toBe(true);
        expect(latin1(Uint8Array.from(next.rest))).toBe('QUIT\r\n');
        expect(latin1(Uint8Array.from(next.body))).toContain('MAIL FROM:<admin@bank.example>');
        expect(next.violations).toEqual([]);
      }
    });
  }
}
