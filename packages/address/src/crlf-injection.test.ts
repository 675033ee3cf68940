/**
 * Attack: command / header injection through an address. A CR, LF or NUL that got into a parsed
 * address could end an SMTP command line early or forge a header when the address is written
 * back. The parser refuses them everywhere, and the formatter refuses to write them.
 */
import { describe, expect, it } from 'vitest';
import { AddressError } from './address-error.js';
import { formatMailbox } from './mailbox.js';
import { parseForwardPath, scanForwardPath, scanReversePath } from './path.js';

const controls = ['\r', '\n', '\r\n', '\0', '\x7f', '\t', '\x1b'];

describe('CR / LF / NUL injection', () => {
  it.each(controls.map((c) => [JSON.stringify(c), c]))(
    'refuses %s in every part of a path',
    (_n, c) => {
      const places = [
        `<a${c}b@example.com>`,
        `<"a${c}b"@example.com>`,
        `<"a\\${c}b"@example.com>`,
        `<ab@exa${c}mple.com>`,
        `<ab@[192.0.2.1${c}]>`,
        `<ab@[tag:x${c}y]>`,
        `<@r${c}elay.example:ab@example.com>`,
      ];
      for (const p of places) {
        expect(() => parseForwardPath(p, { smtputf8: true }), JSON.stringify(p)).toThrow(
          AddressError,
        );
      }
    },
  );

  it('stops a scan at a CRLF after ">" without swallowing the next command', () => {
    const pipelined = 'MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\n';
    const { end } = scanReversePath(pipelined, 10);
    expect(pipelined.slice(end, end + 2)).toBe('\r\n');
    expect(scanForwardPath(pipelined, end + 10).end).toBe(pipelined.length - 2);
  });

  it('refuses to write a local part holding CR or LF (misuse, no reply, nothing sent)', () => {
    const m = {
      localPart: 'x\r\nRCPT TO:<victim@example.com>',
      domain: { kind: 'domain', ascii: 'example.com', unicode: 'example.com' },
    } as const;
    expect(() => formatMailbox(m)).toThrow(
      expect.objectContaining({
        code: 'ERR_ADDRESS_MISUSE_INJECTION',
        misuse: true,
        reply: undefined,
      }),
    );
  });
});
