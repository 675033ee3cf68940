import { describe, expect, it } from 'vitest';
import { rewriteAddressList } from './address-list.js';
import { isDowngradeError } from './downgrade-error.js';

/** A visible stand-in for the encoder: marks what it was given, 7-bit. */
const mark = (octets: string): string =>
  `[${encodeURIComponent(Buffer.from(octets, 'latin1').toString('utf8'))}]`;
const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
/** What `mark` makes of `text`. */
const m = (text: string): string => mark(utf8(text));

describe('rewriteAddressList', () => {
  it('encodes display names, quoted or not, and leaves the addresses alone', () => {
    expect(rewriteAddressList(utf8(' Jörg Groß <jg@example.com>, b@example.org'), mark)).toBe(
      ` ${m('Jörg Groß')} <jg@example.com>, b@example.org`,
    );
    expect(rewriteAddressList(utf8(' "Groß, Jörg" <jg@example.com>'), mark)).toBe(
      ` ${m('Groß, Jörg')} <jg@example.com>`,
    );
  });

  it('encodes a comment, and a group name', () => {
    expect(rewriteAddressList(utf8(' jg@example.com (Jörg)'), mark)).toBe(
      ` jg@example.com (${m('Jörg')})`,
    );
    expect(rewriteAddressList(utf8(' Équipe: a@example.com, b@example.com;'), mark)).toBe(
      ` ${m('Équipe')}: a@example.com, b@example.com;`,
    );
  });

  it('keeps a 7-bit list as it is', () => {
    const value = ' "A, B" <a@x> (c), d@y, G: e@z;';
    expect(rewriteAddressList(value, mark)).toBe(value);
  });

  it('refuses a UTF-8 address (RFC 6532), bare or in angle brackets', () => {
    for (const value of [' jörg@example.com', ' Jörg <jörg@example.com>', ' "jö"@example.com']) {
      let error: unknown;
      try {
        rewriteAddressList(utf8(value), mark);
      } catch (e) {
        error = e;
      }
      expect(isDowngradeError(error) && error.code).toBe('ERR_MIME_DOWNGRADE_UTF8_ADDRESS');
    }
  });
});
