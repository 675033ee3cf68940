import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rewriteAddressList } from './address-list.js';
import { isDowngradeError } from './downgrade-error.js';

const encode = (octets: string): string =>
  `=?UTF-8?B?${Buffer.from(octets, 'latin1').toString('base64')}?=`;

/** Field bodies from the address-list alphabet, 8-bit octets included. */
const fieldBody = fc
  .array(
    fc.constantFrom(
      '<',
      '>',
      ':',
      ';',
      '@',
      '.',
      ',',
      '"',
      '(',
      ')',
      '\\',
      ' ',
      '\r\n ',
      'a',
      'b',
      '\xc3\xa9',
      '\xff',
    ),
    {
      maxLength: 40,
    },
  )
  .map((parts) => parts.join(''));

describe('rewriteAddressList properties', () => {
  it('returns 7-bit text or refuses with ERR_MIME_DOWNGRADE_UTF8_ADDRESS, never anything else', () => {
    fc.assert(
      fc.property(fieldBody, (value) => {
        try {
          const out = rewriteAddressList(value, encode);
          expect([...out].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
        } catch (error) {
          expect(isDowngradeError(error) && error.code).toBe('ERR_MIME_DOWNGRADE_UTF8_ADDRESS');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a 7-bit field body as it is', () => {
    fc.assert(
      fc.property(
        fieldBody.map((v) => v.replace(/[\x80-\xff]/g, 'x')),
        (value) => {
          expect(rewriteAddressList(value, encode)).toBe(value);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
