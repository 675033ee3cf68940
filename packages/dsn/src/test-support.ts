/** Helpers shared by the tests (not part of the package: the name marks it as test code). */
import { expect } from 'vitest';
import type { BuildDsnOptions } from './build-dsn.js';
import { isDsnError } from './dsn-error.js';

export const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
export const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** A failed delivery of one recipient, as an MTA would report it. */
export function failure(overrides: Partial<BuildDsnOptions> = {}): BuildDsnOptions {
  return {
    reportingMta: 'mx.example.com',
    envelope: {
      sender: 'alice@example.com',
      envid: 'QQ314159',
      receivedAt: Date.UTC(2026, 0, 2, 3),
    },
    recipients: [
      {
        address: 'bob@example.org',
        orcpt: { addrType: 'rfc822', address: 'bob+orig@example.org' },
        action: 'failed',
        reply: { code: 550, enhanced: '5.1.1', text: 'No such user', remoteMta: 'mx.example.org' },
      },
    ],
    original: encode(
      'From: alice@example.com\r\nTo: bob@example.org\r\nSubject: hi\r\n\r\nHello Bob\r\n',
    ),
    now: Date.UTC(2026, 0, 2, 3, 4, 5),
    messageId: 'dsn.1',
    ...overrides,
  };
}

/** Every line ends in CRLF (no bare CR or LF) and holds at most 998 octets (RFC 5322 §2.1.1). */
export function expectMailLines(message: Uint8Array): void {
  const text = Array.from(message, (b) => String.fromCharCode(b)).join('');
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
}

/** The header section of a message, as text. */
export const headerOf = (message: Uint8Array): string => {
  const text = decode(message);
  return text.slice(0, text.indexOf('\r\n\r\n') + 2);
};

/** The DsnError code a call throws, or undefined when it does not throw; other throws pass on. */
export function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    if (isDsnError(e)) return e.code;
    throw e;
  }
  return undefined;
}
