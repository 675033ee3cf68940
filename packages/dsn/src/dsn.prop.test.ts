import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDsn } from './build-dsn.js';
import { isDsnError } from './dsn-error.js';
import type { DsnAction, DsnRecipient } from './dsn-types.js';
import { hasNonAscii } from './header-field.js';
import { parseDsn } from './parse-dsn.js';
import { encode, expectMailLines } from './test-support.js';

const NON_ASCII = { test: hasNonAscii };

// Addresses from the protocol's alphabet: atext with the xtext and RFC 6533 specials, and UTF-8.
const asciiChar = fc.constantFrom(..."abcxyz019.+=_-~!#$%&'*/?^`{|}".split(''));
const utf8Char = fc.constantFrom('é', 'ü', 'ß', '鈴', '木', 'ド', 'メ', 'я', '😀', 'ñ');
const localPart = (utf8: boolean) =>
  fc
    .array(utf8 ? fc.oneof(asciiChar, utf8Char) : asciiChar, { minLength: 1, maxLength: 16 })
    .map((cs) => cs.join(''));
const label = (utf8: boolean) =>
  fc
    .array(
      utf8
        ? fc.oneof(fc.constantFrom('a', 'b', '1'), utf8Char)
        : fc.constantFrom('a', 'b', 'z', '1', '-'),
      {
        minLength: 1,
        maxLength: 8,
      },
    )
    .map((cs) => `x${cs.join('')}`);
const address = (utf8: boolean) =>
  fc
    .tuple(localPart(utf8), fc.array(label(utf8), { minLength: 1, maxLength: 3 }))
    .map(([l, ls]) => `${l}@${ls.join('.')}`);
const anyAddress = fc.oneof(address(false), address(true));

// Diagnostic text: words of printable ASCII and UTF-8 apart by one or more spaces (a tab now and
// then), never starting or ending with white space.
const word = fc
  .array(fc.oneof(fc.constantFrom(...'abc<>:@.,;="()[]0123456789\\'.split('')), utf8Char), {
    minLength: 1,
    maxLength: 120,
  })
  .map((cs) => cs.join(''));
const gap = fc.constantFrom(' ', ' ', ' ', '  ', '\t', ' \t ');
const diagnosticText = fc
  .tuple(word, fc.array(fc.tuple(gap, word), { maxLength: 30 }))
  .map(([first, rest]) => first + rest.map(([g, w]) => g + w).join(''));

const actionAndStatus: fc.Arbitrary<[DsnAction, string]> = fc.oneof(
  fc.tuple(fc.constant<DsnAction>('failed'), fc.constantFrom('5.1.1', '5.0.0', '4.4.7', '5.7.26')),
  fc.tuple(fc.constant<DsnAction>('delayed'), fc.constantFrom('4.4.1', '4.0.0')),
  fc.tuple(
    fc.constantFrom<DsnAction>('delivered', 'relayed', 'expanded'),
    fc.constantFrom('2.0.0', '2.1.5'),
  ),
);

const recipient: fc.Arbitrary<DsnRecipient> = fc
  .record({
    address: anyAddress,
    as: actionAndStatus,
    orcpt: fc.option(
      fc.oneof(
        address(false).map((a) => ({ addrType: 'rfc822', address: a })),
        anyAddress.map((a) => ({ addrType: 'utf-8', address: `${a}\\x` })),
      ),
      { nil: undefined },
    ),
    diagnostic: fc.option(diagnosticText, { nil: undefined }),
    remoteMta: fc.option(fc.constantFrom('mx.example.org', 'mx1.例え.jp'), { nil: undefined }),
  })
  .map(({ address, as: [action, status], orcpt, diagnostic, remoteMta }) => ({
    address,
    action,
    status,
    ...(orcpt === undefined ? {} : { orcpt }),
    ...(diagnostic === undefined ? {} : { diagnostic: { type: 'smtp', text: diagnostic } }),
    ...(remoteMta === undefined ? {} : { remoteMta }),
  }));

const original = fc
  .tuple(
    fc.array(
      fc.constantFrom('Subject: hi', 'From: a@b', `X-Long: ${'q'.repeat(90)}`, '--=_smtpkit_dsn_'),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    fc.array(fc.oneof(word, fc.constant('--=_smtpkit_dsn_t87v6t_0_='), fc.constant('.')), {
      maxLength: 8,
    }),
  )
  .map(([headers, body]) => encode(`${headers.join('\r\n')}\r\n\r\n${body.join('\r\n')}\r\n`));

const options = fc.record({
  sender: anyAddress,
  envid: fc.option(fc.stringMatching(/^[!-~]{1,40}$/), { nil: undefined }),
  smtputf8: fc.boolean(),
  ret: fc.option(fc.constantFrom('FULL' as const, 'HDRS' as const), { nil: undefined }),
  recipients: fc.array(recipient, { minLength: 1, maxLength: 5 }),
  original: fc.option(original, { nil: undefined }),
  now: fc.integer({ min: 0, max: 4_102_444_800 }).map((s) => s * 1000),
});

describe('build → parse round trip', () => {
  it('gives back every recipient, field and the returned message, in CRLF lines ≤ 998', () => {
    fc.assert(
      fc.property(options, (o) => {
        const dsn = buildDsn({
          reportingMta: 'mx.example.com',
          envelope: {
            sender: o.sender,
            smtputf8: o.smtputf8,
            ...(o.envid === undefined ? {} : { envid: o.envid }),
            ...(o.ret === undefined ? {} : { ret: o.ret }),
            receivedAt: o.now - 60_000,
          },
          recipients: o.recipients,
          ...(o.original === undefined ? {} : { original: o.original }),
          now: o.now,
          messageId: 'p.1',
        });
        expectMailLines(dsn.message);
        const report = parseDsn(dsn.message);
        const anyUtf8 =
          NON_ASCII.test(o.sender) ||
          o.recipients.some(
            (r) =>
              NON_ASCII.test(r.address) ||
              NON_ASCII.test(r.diagnostic?.text ?? '') ||
              NON_ASCII.test(r.remoteMta ?? ''),
          );
        expect(report.global).toBe(o.smtputf8 || anyUtf8);
        expect(dsn.smtputf8).toBe(report.global);
        expect(report.perMessage.originalEnvelopeId).toBe(o.envid);
        expect(report.perMessage.arrivalDate?.getTime()).toBe(o.now - 60_000);
        expect(report.recipients).toHaveLength(o.recipients.length);
        o.recipients.forEach((r, i) => {
          const got = report.recipients[i];
          expect(got?.finalRecipient).toEqual({
            addrType: NON_ASCII.test(r.address) ? 'utf-8' : 'rfc822',
            address: r.address,
          });
          expect(got?.originalRecipient?.address).toBe(r.orcpt?.address);
          if (r.orcpt !== undefined) {
            const utf8Type = r.orcpt.addrType === 'utf-8' || NON_ASCII.test(r.orcpt.address);
            expect(got?.originalRecipient?.addrType).toBe(utf8Type ? 'utf-8' : r.orcpt.addrType);
          }
          expect(got?.action).toBe(r.action);
          expect(got?.status).toBe(r.status);
          expect(got?.diagnosticCode?.text).toBe(r.diagnostic?.text);
          expect(got?.remoteMta?.name).toBe(r.remoteMta);
        });
        if (o.original !== undefined) {
          const full = o.ret !== 'HDRS' && o.recipients.some((r) => r.action === 'failed');
          expect(report.returned?.kind).toBe(full ? 'message' : 'headers');
          if (full) expect(report.returned?.bytes).toEqual(o.original);
        } else expect(report.returned).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

/** Runs parseDsn: it returns or throws a DsnError, nothing else. */
function parsesOrRefuses(bytes: Uint8Array): void {
  try {
    parseDsn(bytes);
  } catch (e) {
    if (!isDsnError(e)) throw e;
    expect(e.misuse).toBe(false);
  }
}

const sample = buildDsn({
  reportingMta: 'mx.example.com',
  envelope: { sender: 'a@example.com', envid: 'E1' },
  recipients: [
    {
      address: 'b@example.org',
      action: 'failed',
      reply: { code: 550, enhanced: '5.1.1', text: 'No' },
    },
    { address: 'c@example.org', action: 'delayed', status: '4.4.1' },
  ],
  original: encode('Subject: x\r\n\r\nbody\r\n'),
  now: 0,
  messageId: 's.1',
}).message;

describe('parseDsn on hostile input', () => {
  it('arbitrary bytes: a report or a DsnError, never another throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), parsesOrRefuses), { numRuns: 500 });
  });

  it('fragments of the protocol alphabet: a report or a DsnError', () => {
    const fragment = fc.constantFrom(
      'Content-Type: multipart/report; boundary=b',
      'Content-Type: message/delivery-status',
      'Content-Type: multipart/mixed; boundary="b"',
      'Content-Type: message/global-delivery-status',
      'Content-Transfer-Encoding: base64',
      'Content-Transfer-Encoding: quoted-printable',
      '--b',
      '--b--',
      'Reporting-MTA: dns; x',
      'Final-Recipient: rfc822; a@b',
      'Final-Recipient: utf-8; a\\x{',
      'Action: failed',
      'Status: 5.1.1 (x)',
      'Diagnostic-Code: smtp; 550',
      'Arrival-Date: 1 Jan 2026 00:00 +0000',
      ' folded',
      '',
      ':',
      ';',
      '=',
      '=4',
      '(((',
      '"',
    );
    const eol = fc.constantFrom('\r\n', '\n', '\r');
    fc.assert(
      fc.property(fc.array(fc.tuple(fragment, eol), { maxLength: 60 }), (lines) =>
        parsesOrRefuses(encode(lines.map(([l, e]) => l + e).join(''))),
      ),
      { numRuns: 500 },
    );
  });

  it('a real report cut, or with bytes changed: a report or a DsnError', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: sample.length }),
        fc.array(fc.tuple(fc.nat({ max: sample.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          maxLength: 8,
        }),
        (cut, changes) => {
          const bytes = sample.slice(0, cut);
          for (const [at, value] of changes) if (at < bytes.length) bytes[at] = value;
          parsesOrRefuses(bytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('where the bytes lie in memory does not change the result (views at any offset)', () => {
    const expected = parseDsn(sample);
    fc.assert(
      fc.property(fc.nat({ max: 64 }), fc.nat({ max: 64 }), (before, after) => {
        const buffer = new Uint8Array(before + sample.length + after).fill(0x2d);
        buffer.set(sample, before);
        expect(parseDsn(buffer.subarray(before, before + sample.length))).toEqual(expected);
      }),
    );
  });

  it('a large input ends in linear time (no quadratic scan)', () => {
    const many = encode(
      `Content-Type: multipart/report; boundary=b\r\n\r\n${'--b\r\n\r\n'.repeat(50_000)}`,
    );
    const started = performance.now();
    parsesOrRefuses(many);
    const deep = encode(`Content-Type: text/plain\r\n\r\n${'--'.repeat(200_000)}`);
    parsesOrRefuses(deep);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
