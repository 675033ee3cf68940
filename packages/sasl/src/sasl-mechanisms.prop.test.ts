import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64 } from './base64.js';
import { nodeSaslCrypto } from './node/node-sasl-crypto.js';
import { SaslError } from './sasl-error.js';
import type { SaslServerMechanism, SaslStep } from './sasl-mechanism.js';
import { saslPrep } from './saslprep.js';
import { scramCredentials } from './scram-credentials.js';
import { createServerMechanism, SERVER_SASL_MECHANISMS } from './server-mechanisms.js';

const stored = scramCredentials('pencil', new Uint8Array(16).fill(3), 4096, nodeSaslCrypto);
const make = (name: string): SaslServerMechanism => {
  const m = createServerMechanism(name, {
    crypto: nodeSaslCrypto,
    cramMd5: { challenge: '<1.2@mx.example.org>' },
    scramSha256: { nonce: 'srv' },
  });
  if (m === undefined) throw new Error(name);
  return m;
};

// Protocol alphabet of the decoded messages: SCRAM and XOAUTH2 separators, NUL, ^A, escapes.
const alphabet = fc.constantFrom(
  ...'nyparmcisv=,\0\x01 abc123=2C=3D+/'.split(''),
  'n,,',
  'n=',
  'r=',
  'c=biws',
  'p=',
  'user=',
  'auth=Bearer ',
  '\x01\x01',
  'é',
);
const protocolText = fc.array(alphabet, { maxLength: 40 }).map((parts) => parts.join(''));
const line = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.uint8Array({ maxLength: 80 }).map((b) => encodeBase64(b)),
  protocolText.map((t) => encodeBase64(t)),
  fc.constantFrom('', '=', '*', 'A', '===='),
);
const verdict = fc.constantFrom(
  { kind: 'accept' } as const,
  { kind: 'reject' } as const,
  { kind: 'temporary' } as const,
);

/** Drives one mechanism with arbitrary lines; any throw that is not SaslError fails. */
function drive(
  m: SaslServerMechanism,
  first: string | undefined,
  lines: string[],
  verdicts: ('accept' | 'reject' | 'temporary')[],
): SaslStep {
  let step = m.start(first);
  for (let i = 0; i < 20; i++) {
    if (step.kind === 'challenge') {
      const next = lines.shift();
      if (next === undefined) return step;
      step = m.next(next);
    } else if (step.kind === 'verify') {
      step = m.verified({ kind: verdicts.shift() ?? 'reject' });
    } else if (step.kind === 'lookup') {
      step = m.secrets(lines.length % 2 === 0 ? stored : undefined);
    } else return step;
  }
  return step;
}

describe('SASL mechanisms under arbitrary input', () => {
  for (const name of SERVER_SASL_MECHANISMS) {
    it(`${name}: garbage never throws, and every terminal step carries a reply`, () => {
      fc.assert(
        fc.property(
          fc.option(line, { nil: undefined }),
          fc.array(line, { maxLength: 5 }),
          fc.array(
            verdict.map((v) => v.kind),
            { maxLength: 3 },
          ),
          (first, lines, verdicts) => {
            const step = drive(make(name), first, lines, verdicts);
            if (step.kind === 'failed' || step.kind === 'cancelled' || step.kind === 'success') {
              expect([235, 454, 500, 501, 535]).toContain(step.reply.code);
            }
          },
        ),
        { numRuns: 300 },
      );
    });
  }
  it('calling a finished mechanism throws only SaslError', () => {
    for (const name of SERVER_SASL_MECHANISMS) {
      const m = make(name);
      m.start('*');
      for (const call of [
        () => m.next(''),
        () => m.verified({ kind: 'accept' }),
        () => m.secrets(undefined),
      ]) {
        try {
          call();
        } catch (e) {
          expect(e).toBeInstanceOf(SaslError);
        }
      }
    }
  });
  it('saslPrep never throws and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 30 }), (s) => {
        const once = saslPrep(s);
        if (once !== undefined) expect(saslPrep(once)).toBe(once);
      }),
    );
  });
  it('unknown mechanisms are undefined (504 in the session)', () => {
    expect(createServerMechanism('GSSAPI', { crypto: nodeSaslCrypto })).toBeUndefined();
    expect(createServerMechanism('plain', { crypto: nodeSaslCrypto })?.name).toBe('PLAIN');
  });
});
