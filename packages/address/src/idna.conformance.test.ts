/**
 * Conformance: ../shared/vectors/idna/. Every row of the UTS #46 17.0.0 test file through
 * toAsciiDomain / toUnicodeDomain (Nontransitional), and every pair of eai-addresses.jsonl through
 * the RFC 5321/6531 parser.
 */
import { readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { AddressError } from './address-error.js';
import { isAscii } from './char-classes.js';
import { domainsEqual, parseDomain } from './domain.js';
import { toAsciiDomain, toUnicodeDomain } from './idna.js';
import { formatMailbox, parseMailbox, requiresSmtpUtf8 } from './mailbox.js';

interface Uts46Row {
  line: number;
  input: string;
  toUnicode: string;
  toUnicodeErrors: string[];
  toASCII: string;
  errors: string[];
}

interface EaiRow {
  address: string;
  address_a_label_form?: string;
  local_part?: string;
  domain_u_label?: string;
  domain_a_label?: string;
  smtputf8_required: boolean;
  smtputf8_required_for_u_label_domain?: boolean;
  valid: boolean;
}

function outcome(f: () => string): string | AddressError {
  try {
    return f();
  } catch (e) {
    if (e instanceof AddressError) return e;
    throw e;
  }
}

describe('UTS #46 IdnaTestV2 17.0.0 (Nontransitional)', () => {
  const rows = readJsonl<Uts46Row>('idna', 'uts46-IdnaTestV2-17.0.0.jsonl');

  it('has every row', () => {
    expect(rows.length).toBe(6391);
  });

  // One test per row would be 12,000 tests; the failures are collected and shown instead.
  it('toAsciiDomain gives the toASCII column, or fails when errors is non-empty', () => {
    const wrong: string[] = [];
    for (const r of rows) {
      const got = outcome(() => toAsciiDomain(r.input));
      const ok = r.errors.length > 0 ? got instanceof AddressError : got === r.toASCII;
      if (!ok) wrong.push(`line ${r.line}: ${JSON.stringify(r.input)} → ${String(got)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('toUnicodeDomain gives the toUnicode column, or fails when toUnicodeErrors is non-empty', () => {
    const wrong: string[] = [];
    for (const r of rows) {
      const got = outcome(() => toUnicodeDomain(r.input));
      const ok = r.toUnicodeErrors.length > 0 ? got instanceof AddressError : got === r.toUnicode;
      if (!ok) wrong.push(`line ${r.line}: ${JSON.stringify(r.input)} → ${String(got)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('parseDomain (SMTPUTF8) agrees with ToASCII except where RFC 5321 decides otherwise', () => {
    // Differences allowed, each an RFC 5321 choice:
    // - accepted by us only: an LDH label that merely looks like an A-label ("xn--example", kept
    //   opaque: RFC 5321 sub-domain = Let-dig [Ldh-str], and isemail's test@xn--example.com is
    //   valid 5321); "--" in positions 3-4 of a plain LDH label (RFC 5321 allows "c--n.com");
    //   an ASCII form of 254-255 octets (RFC 5321 §4.5.3.1.2 allows 255, UTS #46 A4_1 says 253).
    // - refused by us only: label separators other than "." and characters that are not in the
    //   RFC 5321/6531 wire syntax before mapping (e.g. "=" + U+0338, which NFC makes "≠").
    const wrong: string[] = [];
    for (const r of rows) {
      let ours: string | AddressError;
      try {
        ours = parseDomain(r.input, { smtputf8: true }).ascii;
      } catch (e) {
        if (!(e instanceof AddressError)) throw e;
        ours = e;
      }
      const uts = outcome(() => toAsciiDomain(r.input));
      const labels = r.input.split('.');
      if (typeof ours === 'string' && typeof uts === 'string') {
        if (ours !== uts) wrong.push(`line ${r.line}: ${ours} ≠ ${uts}`);
      } else if (typeof ours === 'string') {
        const fakeALabel = labels.some(
          (l) =>
            /^xn--/i.test(l) &&
            isAscii(l) &&
            outcome(() => toUnicodeDomain(l)) instanceof AddressError,
        );
        const hyphens34 = labels.some(
          (l) => isAscii(l) && l.slice(2, 4) === '--' && !/^xn/i.test(l),
        );
        const length254 = ours.length > 253;
        if (!fakeALabel && !hyphens34 && !length254) wrong.push(`line ${r.line}: accepted ${ours}`);
      } else if (typeof uts === 'string') {
        const otherSeparator = /[\u3002\uff0e\uff61]/.test(r.input);
        const asciiOutsideSyntax = [...r.input].some(
          (c) => c.charCodeAt(0) < 0x80 && !/[A-Za-z0-9.-]/.test(c),
        );
        if (!otherSeparator && !asciiOutsideSyntax)
          wrong.push(`line ${r.line}: refused ${r.input}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('failures are AddressError ERR_ADDRESS_IDNA with a 501 reply', () => {
    const e = outcome(() => toAsciiDomain('a\u200db.example'));
    expect(e).toBeInstanceOf(AddressError);
    expect((e as AddressError).code).toBe('ERR_ADDRESS_IDNA');
    expect((e as AddressError).reply?.code).toBe(501);
  });
});

describe('eai-addresses.jsonl', () => {
  const rows = readJsonl<EaiRow>('idna', 'eai-addresses.jsonl');

  it('has every pair', () => {
    expect(rows.length).toBe(28);
  });

  it.each(rows.filter((r) => r.valid).map((r) => [r.address, r] as const))(
    'accepts %s with SMTPUTF8 and keeps both domain forms',
    (_a, r) => {
      const m = parseMailbox(r.address, { smtputf8: true });
      expect(m.localPart).toBe(r.local_part);
      expect(m.domain.kind).toBe('domain');
      if (m.domain.kind !== 'domain') return;
      if (r.domain_u_label !== undefined) expect(m.domain.unicode).toBe(r.domain_u_label);
      if (r.domain_a_label !== undefined) expect(m.domain.ascii).toBe(r.domain_a_label);
      expect(m.domain.ascii).toMatch(/^[a-z0-9.-]+$/);
      // The file uses `smtputf8_required` in two senses. Where it also gives
      // `smtputf8_required_for_u_label_domain` (the UASG-004 pairs), `smtputf8_required` is about
      // the mailbox (its domain can go as A-labels) and the other field about the U-label form.
      // Elsewhere (e.g. "uasg.tech@डाटामेल.भारत": true) it is about the address as written,
      // i.e. with its U-label domain. Both senses are checked.
      if (r.smtputf8_required_for_u_label_domain !== undefined) {
        expect(requiresSmtpUtf8(m)).toBe(r.smtputf8_required);
        expect(requiresSmtpUtf8(m, 'unicode')).toBe(r.smtputf8_required_for_u_label_domain);
      } else {
        expect(requiresSmtpUtf8(m, 'unicode')).toBe(r.smtputf8_required);
      }
      if (r.address_a_label_form !== undefined) {
        expect(formatMailbox(m, 'ascii')).toBe(r.address_a_label_form);
        const fromA = parseMailbox(r.address_a_label_form, { smtputf8: r.smtputf8_required });
        expect(fromA).toEqual(m);
        expect(domainsEqual(fromA.domain as never, m.domain)).toBe(true);
      }
      // The U-label domain on its own, and its A-label form, agree.
      const d = parseDomain(m.domain.unicode, { smtputf8: true });
      expect(d).toEqual(m.domain);
      expect(parseDomain(m.domain.ascii)).toEqual(m.domain);
    },
  );

  it.each(rows.filter((r) => !r.valid).map((r) => [r.address, r] as const))(
    'rejects %s even with SMTPUTF8',
    (_a, r) => {
      expect(() => parseMailbox(r.address, { smtputf8: true })).toThrow(AddressError);
    },
  );

  it.each(rows.filter((r) => r.smtputf8_required).map((r) => [r.address] as const))(
    'rejects %s without SMTPUTF8 (553 5.6.7)',
    (address) => {
      try {
        parseMailbox(address);
        expect.unreachable('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(AddressError);
        expect((e as AddressError).code).toBe('ERR_ADDRESS_UTF8_NOT_PERMITTED');
        expect((e as AddressError).reply).toMatchObject({
          code: 553,
          enhanced: { class: 5, subject: 6, detail: 7 },
        });
      }
    },
  );
});
