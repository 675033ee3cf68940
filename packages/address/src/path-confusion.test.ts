/**
 * Attack: parser differentials around "<", ">", "@" and quotes, where one program reads a
 * different mailbox or domain than the next (e.g. a filter checks one domain, the MTA delivers to
 * another). The scanner follows the ABNF exactly; ambiguous text is refused, not guessed.
 */
import { describe, expect, it } from 'vitest';
import { AddressError } from './address-error.js';
import { parseMailbox } from './mailbox.js';
import { parseForwardPath, scanForwardPath } from './path.js';

describe('path confusion', () => {
  it('reads a quoted ">" or "@" as part of the local part, and the real domain after it', () => {
    const p = parseForwardPath('<"victim@good.example>"@evil.example>');
    expect(p).toMatchObject({
      kind: 'mailbox',
      mailbox: { localPart: 'victim@good.example>', domain: { ascii: 'evil.example' } },
    });
  });

  it('refuses text that other parsers read in different ways', () => {
    for (const bad of [
      '<a@good.example>@evil.example>',
      '<a@good.example@evil.example>',
      '<Foo <a@good.example>>',
      '<a@good.example,b@evil.example>',
      '<a@good.example> <b@evil.example>',
      '<a@good.example\\@evil.example>',
      '<a@[good.example]>',
      '<a@good.example.>',
      '<"a"b@good.example>',
      '<a"b"@good.example>',
      '<(comment)a@good.example>',
      '<a@good.example(comment)>',
    ]) {
      expect(() => parseForwardPath(bad), bad).toThrow(AddressError);
    }
  });

  it('ends a scan exactly at the ">" that closes the path', () => {
    const line = 'RCPT TO:<a@good.example>@evil.example>';
    const { end } = scanForwardPath(line, 8);
    expect(line.slice(end)).toBe('@evil.example>');
  });

  it('refuses a second "@" in a bare mailbox instead of choosing one', () => {
    expect(() => parseMailbox('foo@example.com+bob@attacker.com')).toThrow(AddressError);
  });
});
