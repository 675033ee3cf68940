/**
 * Conformance: ../shared/vectors/address/mailbox.jsonl. Every record whose grammar is 5321 or
 * 6531 must give the recorded verdict; 5322-only records are outside SMTP and are not run here
 * (they are counted so a change in the corpus shows up).
 */
import { readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { AddressError } from './address-error.js';
import { isAscii } from './char-classes.js';
import { formatLocalPart, scanLocalPart } from './local-part.js';
import { formatMailbox, parseMailbox, scanMailbox } from './mailbox.js';
import { parseForwardPath, parseReversePath, scanReversePath } from './path.js';

/** The `expect` fields the corpus uses. */
interface Expected {
  local_part?: string;
  local_part_form?: string;
  domain?: string;
  address_literal?: string;
  user?: string;
  host?: string;
  host_a_label?: string;
  host_u_label?: string;
  wire_form?: string;
  path?: string;
  rest?: string;
}

interface MailboxVector {
  input: string;
  kind:
    | 'mailbox'
    | 'path'
    | 'reverse-path'
    | 'forward-path'
    | 'reverse-path-with-params'
    | 'local-part'
    | 'local-part-encode';
  grammar: '5321' | '6531' | '5322';
  valid: boolean;
  expect?: Expected;
  tags?: string[];
  note?: string;
}

const all = readJsonl<MailboxVector>('address', 'mailbox.jsonl');
const smtp = all.filter((v) => v.grammar === '5321' || v.grammar === '6531');

function options(v: MailboxVector) {
  return { smtputf8: v.grammar === '6531' };
}

/** Runs the function the record's kind names; returns the value or throws. */
function run(v: MailboxVector): unknown {
  const opts = options(v);
  switch (v.kind) {
    case 'mailbox':
      return parseMailbox(v.input, opts);
    case 'path': {
      const fwd = parseForwardPath(v.input, opts);
      const rev = parseReversePath(v.input, opts);
      expect(rev).toEqual(fwd);
      expect(fwd.kind).toBe('mailbox');
      return fwd;
    }
    case 'reverse-path':
      return parseReversePath(v.input, opts);
    case 'forward-path':
      return parseForwardPath(v.input, opts);
    case 'reverse-path-with-params': {
      // The MAIL FROM argument: a Reverse-path, then nothing or SP Mail-parameters.
      const { value, end } = scanReversePath(v.input, 0, opts);
      if (end !== v.input.length && v.input[end] !== ' ') {
        throw new AddressError('ERR_ADDRESS_SYNTAX', 'junk after path', {
          role: 'sender',
          position: end,
        });
      }
      return { value, rest: v.input.slice(end) };
    }
    case 'local-part': {
      const scanned = scanLocalPart(v.input, 0, opts);
      if (scanned.end !== v.input.length) {
        throw new AddressError('ERR_ADDRESS_SYNTAX', 'junk after local part', {
          role: 'recipient',
          position: 0,
        });
      }
      return scanned;
    }
    case 'local-part-encode':
      return formatLocalPart(v.input);
  }
}

describe('mailbox.jsonl', () => {
  it('has the records the README announces', () => {
    expect(all.length).toBe(626);
    expect(all.filter((v) => v.grammar === '5322').length).toBe(2);
  });

  const valid = smtp.filter((v) => v.valid);
  const invalid = smtp.filter((v) => !v.valid);

  it.each(valid.map((v) => [v.kind, JSON.stringify(v.input), v] as const))(
    'accepts %s %s',
    (_kind, _text, v) => {
      expect(() => run(v)).not.toThrow();
    },
  );

  it.each(invalid.map((v) => [v.kind, JSON.stringify(v.input), v] as const))(
    'rejects %s %s with AddressError',
    (_kind, _text, v) => {
      expect(() => run(v)).toThrow(AddressError);
    },
  );

  it('rejects every 6531 record containing non-ASCII when SMTPUTF8 is off, with 553 5.6.7', () => {
    const eai = smtp.filter((v) => v.grammar === '6531' && v.valid && !isAscii(v.input));
    expect(eai.length).toBeGreaterThan(20);
    for (const v of eai) {
      let error: unknown;
      try {
        run({ ...v, grammar: '5321' });
      } catch (e) {
        error = e;
      }
      expect(error, v.input).toBeInstanceOf(AddressError);
      expect((error as AddressError).code, v.input).toBe('ERR_ADDRESS_UTF8_NOT_PERMITTED');
      expect((error as AddressError).reply?.code).toBe(553);
    }
  });

  it('reads the two grammar-5322 records as RFC 5321 General-address-literals', () => {
    // They are outside the SMTP verdicts the corpus gives, but their text matches the RFC 5321
    // §4.1.3 ABNF: General-address-literal = Standardized-tag ":" 1*dcontent, with
    // Standardized-tag = Ldh-str ("1111", "IPv5"). The RFC adds that the tag "MUST be specified
    // in a Standards-Track RFC and registered with IANA", which a parser cannot know, so the
    // syntax is accepted and the literal is returned as kind "general" for policy to judge.
    const rows = all.filter((v) => v.grammar === '5322');
    for (const v of rows) {
      const m = parseMailbox(v.input);
      expect(m.domain.kind, v.input).toBe('general');
    }
  });

  it('rejects size-limit records by a limit code and accepts them with limits raised', () => {
    const sized = smtp.filter((v) => v.tags?.includes('size-limit'));
    expect(sized.length).toBe(14);
    for (const v of sized) {
      let error: unknown;
      try {
        run(v);
      } catch (e) {
        error = e;
      }
      expect(error, v.input).toBeInstanceOf(AddressError);
      const code = (error as AddressError).code;
      // One record (an underscore in a label) is also a syntax error.
      expect(code, v.input).toMatch(/TOO_LONG$|^ERR_ADDRESS_SYNTAX$/);
    }
  });

  describe('expected canonical forms', () => {
    const withExpect = smtp.filter((v) => v.valid && v.expect);

    it.each(withExpect.map((v) => [v.kind, JSON.stringify(v.input), v] as const))(
      '%s %s',
      (kind, _text, v) => {
        const e: Expected = v.expect ?? {};
        const opts = options(v);
        if (kind === 'mailbox') {
          const scanned = scanMailbox(v.input, 0, opts);
          if (e.local_part !== undefined) {
            // expect.local_part is the local part as written, local_part_form how.
            expect(v.input.slice(0, v.input.lastIndexOf('@'))).toBe(e.local_part);
            expect(scanned.localPartForm).toBe(e.local_part_form);
            const written = scanLocalPart(v.input, 0, opts);
            expect(written.end).toBe(e.local_part?.length);
          }
          if (e.user !== undefined) expect(scanned.value.localPart).toBe(e.user);
          const host = scanned.value.domain;
          if (e.domain !== undefined || e.host !== undefined) {
            expect(host.kind).toBe('domain');
            if (host.kind === 'domain') {
              expect(host.unicode).toBe(e.domain ?? e.host);
            }
          }
          if (e.address_literal !== undefined) {
            expect(host.kind === 'domain' ? undefined : host.text).toBe(e.address_literal);
          }
          // Canonical form parses back to the same value.
          expect(parseMailbox(formatMailbox(scanned.value, 'unicode'), opts)).toEqual(
            scanned.value,
          );
          return;
        }
        if (kind === 'local-part-encode') {
          expect(formatLocalPart(v.input)).toBe(e.wire_form);
          return;
        }
        if (kind === 'reverse-path-with-params') {
          const { value, end } = scanReversePath(v.input, 0, opts);
          expect(v.input.slice(end)).toBe(e.rest);
          if (e.path === '') expect(value.kind).toBe('null');
          else if (value.kind === 'mailbox') {
            expect(formatMailbox(value.mailbox)).toBe(e.path);
          } else expect.unreachable('expected a mailbox');
          return;
        }
        const p =
          kind === 'reverse-path'
            ? parseReversePath(v.input, opts)
            : parseForwardPath(v.input, opts);
        if (e.host === '') {
          // "<>" (reverse-path) and "<postmaster>" (forward-path) carry no domain.
          expect(p.kind).toBe(e.user === '' ? 'null' : 'postmaster');
          return;
        }
        expect(p.kind).toBe('mailbox');
        if (p.kind !== 'mailbox') return;
        const user = e.user ?? '';
        // expect.user is the local part as written: compare with the canonical quoting of ours.
        const written = user.startsWith('"') ? user : formatLocalPart(user);
        const ours = scanLocalPart(v.input, 1, opts);
        expect(v.input.slice(1, ours.end)).toBe(written);
        const host = p.mailbox.domain;
        expect(host.kind).toBe('domain');
        if (host.kind !== 'domain') return;
        if (e.host !== undefined) expect(host.ascii).toBe(e.host);
        if (e.host_a_label !== undefined) expect(host.ascii).toBe(e.host_a_label);
        if (e.host_u_label !== undefined) expect(host.unicode).toBe(e.host_u_label);
      },
    );
  });
});
