/**
 * Properties over the whole parser: arbitrary text never raises anything but AddressError;
 * parse ∘ format is the identity on parsed values; format ∘ parse is stable; what follows a path
 * never changes the scan.
 */
import { latin1 } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressError } from './address-error.js';
import { formatIpv6 } from './address-literal.js';
import { isAscii } from './char-classes.js';
import { parseDomain } from './domain.js';
import { formatLocalPart, scanLocalPart } from './local-part.js';
import { formatMailbox, type Mailbox, parseMailbox } from './mailbox.js';
import {
  formatPath,
  parseForwardPath,
  parseReversePath,
  scanForwardPath,
  scanReversePath,
} from './path.js';

const RUNS = { numRuns: 2000 };

/** The protocol alphabet, plus a few non-ASCII characters and a lone surrogate. */
const alphabet = [
  ...'<>:@.,;="\\[] \r\n\t\0-_+',
  ...'abcxyzABXZ0129',
  'é',
  '我',
  'ß',
  '\u3002',
  '\u200d',
  '\u05d0',
  '😀',
  '\ud800',
  'x',
  'n',
  'I',
  'P',
  'v',
  '6',
];
const protocolText = fc
  .array(fc.constantFrom(...alphabet), { maxLength: 60 })
  .map((cs) => cs.join(''));
/** Random bytes as the wire would deliver them: read as Latin-1 and as UTF-8 (with U+FFFD). */
const randomBytes = fc.uint8Array({ maxLength: 60 });
const anyText = fc.oneof(
  protocolText,
  fc.string({ maxLength: 60, unit: 'binary' }),
  randomBytes.map((b) => latin1(b)),
  randomBytes.map((b) => new TextDecoder().decode(b)),
);

const textOf = (chars: string, maxLength = 16) =>
  fc.array(fc.constantFrom(...chars), { maxLength }).map((cs) => cs.join(''));

/** Text with a path's shape, so that a good share of it parses and deep states are reached. */
const pathish = fc.oneof(
  fc
    .tuple(protocolText, fc.constantFrom('@', '@a.', '@[', '@[IPv6:'), protocolText)
    .map(([l, at, d]) => `<${l}${at}${d}>`),
  fc
    .tuple(
      fc.constantFrom('', '@a.b:', '@a,@b.c:', '@:', '@a'),
      fc.oneof(
        textOf('abc.!#-+é我😀\\"'),
        textOf(' a.@<>:,;\\"é\r').map((q) => `"${q}"`),
        fc.constantFrom('Postmaster', 'postMASTER'),
      ),
      fc.oneof(
        textOf('abxXn09-.éß\u3002'),
        textOf('0123456789.:abcdefIPv6-').map((l) => `[${l}]`),
        fc.constant(''),
      ),
      fc.boolean(),
    )
    .map(([route, local, host, at]) => `<${route}${local}${at ? '@' : ''}${host}>`),
);

function onlyAddressErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof AddressError)) throw e;
    expect(typeof e.code).toBe('string');
    expect(e.misuse).toBe(false);
    expect(e.reply?.code === 501 || e.reply?.code === 553).toBe(true);
  }
}

describe('arbitrary input', () => {
  it('raises nothing but AddressError, with or without SMTPUTF8', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, pathish), fc.boolean(), fc.nat(), (s, smtputf8, k) => {
        const o = { smtputf8 };
        onlyAddressErrors(() => parseMailbox(s, o));
        onlyAddressErrors(() => parseReversePath(s, o));
        onlyAddressErrors(() => parseForwardPath(s, o));
        onlyAddressErrors(() => parseDomain(s, o));
        onlyAddressErrors(() => scanLocalPart(s, 0, o));
        const start = s.length === 0 ? 0 : k % (s.length + 1);
        onlyAddressErrors(() => scanReversePath(s, start, o));
        onlyAddressErrors(() => scanForwardPath(s, start, o));
      }),
      RUNS,
    );
  });

  it('whatever parses, formats to text that parses to the same value (and is stable)', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, pathish), fc.boolean(), (s, smtputf8) => {
        const o = { smtputf8 };
        for (const parse of [parseReversePath, parseForwardPath]) {
          let p: ReturnType<typeof parse> | undefined;
          try {
            p = parse(s, o);
          } catch {
            continue;
          }
          for (const form of ['ascii', 'unicode'] as const) {
            const text = formatPath(p, form);
            expect(parse(text, o)).toEqual(p);
            expect(formatPath(parse(text, o), form)).toBe(text);
          }
        }
      }),
      RUNS,
    );
  });
});

// Generators of valid values.
const ldhLabel = fc
  .tuple(
    fc.constantFrom(...'abcxyz019'),
    fc.array(fc.constantFrom(...'abz09-'), { maxLength: 8 }),
    fc.constantFrom(...'abcxyz019'),
  )
  .map(([a, mid, b]) => `${a}${mid.join('')}${b}`);
const uLabel = fc
  .array(fc.constantFrom('ü', 'é', 'ß', 'я', '我', '買', 'a', 'b', '1'), {
    minLength: 1,
    maxLength: 8,
  })
  .map((cs) => cs.join(''))
  .filter((l) => !isAscii(l));
const domainText = fc
  .array(fc.oneof({ weight: 3, arbitrary: ldhLabel }, { weight: 1, arbitrary: uLabel }), {
    minLength: 1,
    maxLength: 4,
  })
  .map((ls) => ls.join('.'));
const word = fc.integer({ min: 0, max: 0xffff });
const ipv6Words = fc.array(fc.oneof(word, fc.constant(0)), { minLength: 8, maxLength: 8 });
const literalText = fc.oneof(
  fc
    .array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 })
    .map((o) => `[${o.join('.')}]`),
  ipv6Words.map((w) => `[IPv6:${formatIpv6(w)}]`),
  fc.constantFrom('[x-tag:abc]', '[Z9:~!]'),
);
/** Decoded local parts: printable ASCII and some non-ASCII, so both forms are produced. */
const localValue = fc
  .array(
    fc.oneof(
      fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('é', '我', '😀'),
    ),
    {
      maxLength: 20,
    },
  )
  .map((cs) => cs.join(''));

describe('valid values', () => {
  it('parse ∘ format is the identity on mailboxes built from parts', () => {
    fc.assert(
      fc.property(localValue, fc.oneof(domainText, literalText), (local, host) => {
        const o = { smtputf8: true };
        const m: Mailbox = parseMailbox(`${formatLocalPart(local)}@${host}`, o);
        expect(m.localPart).toBe(local);
        for (const form of ['ascii', 'unicode'] as const) {
          expect(parseMailbox(formatMailbox(m, form), o)).toEqual(m);
        }
      }),
      RUNS,
    );
  });

  it('what follows a path never changes the scan', () => {
    fc.assert(
      fc.property(localValue, fc.oneof(domainText, literalText), anyText, (local, host, tail) => {
        const o = { smtputf8: true };
        const path = `<${formatLocalPart(local)}@${host}>`;
        const alone = scanForwardPath(path, 0, o);
        expect(alone.end).toBe(path.length);
        const prefix = 'RCPT TO:';
        const inLine = scanForwardPath(`${prefix}${path}${tail}`, prefix.length, o);
        expect(inLine).toEqual({ value: alone.value, end: prefix.length + path.length });
        expect(scanReversePath(`${path}${tail}`, 0, o).value).toEqual(alone.value);
      }),
      RUNS,
    );
  });

  it('ASCII-only mailboxes never need SMTPUTF8 to parse, and non-ASCII ones always do', () => {
    fc.assert(
      fc.property(localValue, domainText, (local, host) => {
        const text = `${formatLocalPart(local)}@${host}`;
        if (!isAscii(text)) {
          expect(() => parseMailbox(text)).toThrow(AddressError);
        } else {
          expect(parseMailbox(text)).toEqual(parseMailbox(text, { smtputf8: true }));
        }
      }),
      RUNS,
    );
  });
});

describe('work bounded by the path limit', () => {
  it('a scan over a cut view agrees with an unbounded scan for every path limit', () => {
    fc.assert(
      fc.property(
        fc.oneof(pathish, anyText),
        anyText,
        fc.integer({ min: 2, max: 80 }),
        fc.boolean(),
        (p, tail, limit, smtputf8) => {
          const text = p + tail;
          const unbounded = (): { value: unknown; end: number } | undefined => {
            try {
              return scanForwardPath(text, 0, {
                smtputf8,
                limits: { path: Number.POSITIVE_INFINITY, localPart: 64, domain: 255 },
              });
            } catch {
              return undefined;
            }
          };
          const expected = unbounded();
          const fits = expected !== undefined && utf8Octets(text.slice(0, expected.end)) <= limit;
          let got: { value: unknown; end: number } | AddressError;
          try {
            got = scanForwardPath(text, 0, { smtputf8, limits: { path: limit } });
          } catch (e) {
            if (!(e instanceof AddressError)) throw e;
            got = e;
          }
          if (fits) expect(got).toEqual(expected);
          else expect(got).toBeInstanceOf(AddressError);
        },
      ),
      RUNS,
    );
  });
});

function utf8Octets(s: string): number {
  return new TextEncoder().encode(s).length;
}
