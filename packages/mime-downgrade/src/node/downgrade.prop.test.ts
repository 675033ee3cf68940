import { splitAt } from '@smtpkit/testing';
import fc from 'fast-check';
import { Libmime } from 'libmime';
import { describe, expect, it } from 'vitest';
import { isDowngradeError } from '../downgrade-error.js';
import { decodedLeaves, downgrade, expectSevenBit } from './downgrade.test-support.js';

const libmime = new Libmime();

/** Text bodies: any Unicode, with CR, LF, CRLF, tabs, spaces and long runs reached often. */
const textBody = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom(
        '\r\n',
        '\n',
        '\r',
        ' ',
        '\t',
        '=',
        '-',
        '.',
        'From ',
        '--B',
        'x'.repeat(1200),
      ),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

const message = (body: string): Buffer =>
  Buffer.concat([
    Buffer.from(
      'Subject: test\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n',
    ),
    Buffer.from(body, 'utf8'),
  ]);

/** Split offsets inside `length`. */
const splits = (length: number) =>
  fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 12 });

describe('downgradeTo7bit properties', () => {
  it('makes any text body 7-bit, and it decodes back to the same octets', async () => {
    await fc.assert(
      fc.asyncProperty(textBody, async (body) => {
        const out = await downgrade([message(body)]);
        expectSevenBit(out);
        const [leaf] = await decodedLeaves(out);
        expect(leaf?.content.equals(Buffer.from(body, 'utf8'))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same output however the input is split', async () => {
    const input = textBody.chain((body) => {
      const bytes = message(body);
      return fc.tuple(fc.constant(bytes), splits(bytes.length));
    });
    await fc.assert(
      fc.asyncProperty(input, async ([bytes, offsets]) => {
        const whole = await downgrade([bytes]);
        const sorted = [...offsets].filter((o) => o < bytes.length).sort((a, b) => a - b);
        expect((await downgrade(splitAt(bytes, sorted))).equals(whole)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('turns any Unicode Subject into encoded-words that decode to it', async () => {
    const subject = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 120 })
      .map((s) =>
        [...s]
          .filter((c) => c.charCodeAt(0) > 0x1f && c !== '\x7f')
          .join('')
          .trim(),
      )
      .filter((s) => s.length > 0);
    await fc.assert(
      fc.asyncProperty(subject, async (text) => {
        const out = await downgrade([Buffer.from(`Subject: ${text}\r\n\r\nbody\r\n`, 'utf8')]);
        expectSevenBit(out);
        const field = out.toString('latin1').split('\r\n\r\n')[0] as string;
        const value = field.slice('Subject:'.length).replace(/\r\n(?=[ \t])/g, '');
        expect(libmime.decodeWords(value).trim()).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  it('never throws anything but a DowngradeError on arbitrary octets, and what it writes is 7-bit', async () => {
    const octets = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc
        .array(
          fc.constantFrom(
            'Content-Type: multipart/mixed; boundary=B\r\n',
            'Content-Type: message/rfc822\r\n',
            'Content-Type: multipart/signed; boundary=B\r\n',
            'Content-Transfer-Encoding: 8bit\r\n',
            'Content-Transfer-Encoding: base64\r\n',
            'Subject: \u00e9\r\n',
            'From: \u00e9 <a@b>\r\n',
            '\r\n',
            '--B\r\n',
            '--B--\r\n',
            'caf\u00e9\r\n',
            '\u0000',
            'plain\r\n',
          ),
          { maxLength: 25 },
        )
        .map((parts) => new Uint8Array(Buffer.from(parts.join(''), 'utf8'))),
    );
    await fc.assert(
      fc.asyncProperty(octets, async (bytes) => {
        let out: Buffer | undefined;
        try {
          out = await downgrade([bytes]);
        } catch (error) {
          expect(isDowngradeError(error) && !error.misuse, String(error)).toBe(true);
          return;
        }
        expectSevenBit(out);
      }),
      { numRuns: 300 },
    );
  });
});
