import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auth } from './builtins/auth.js';
import { bdatArguments } from './builtins/chunking.js';
import { defaultExtensions } from './builtins/default-extensions.js';
import { parseNotify } from './builtins/dsn.js';
import { etrn, parseEtrnArgument } from './builtins/etrn.js';
import { requireTls } from './builtins/require-tls.js';
import { startTls } from './builtins/start-tls.js';
import { createRegistry } from './registry.js';
import { parseServerCapabilities } from './server-capabilities.js';
import { SESSION_PHASES } from './session-phase.js';
import { sessionContext } from './test-context.js';

// The protocol's own alphabet, so generated inputs reach deep states.
const ALPHABET = [
  ...'<>:@.,;="\\\r\n +#-_/',
  ...'ABCDEFabcdef0123456789',
  'LAST',
  'NEVER',
  'é',
  'ド',
];
const protocolText = fc
  .array(fc.constantFrom(...ALPHABET), { maxLength: 40 })
  .map((a) => a.join(''));
const anyText = fc.oneof(
  protocolText,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

const registry = createRegistry([
  ...defaultExtensions({ size: { max: 1000 } }),
  startTls(),
  auth({ mechanisms: ['PLAIN'] }),
  etrn(),
  requireTls(),
]);
const KEYWORDS = [
  'SIZE',
  'BODY',
  'RET',
  'ENVID',
  'NOTIFY',
  'ORCPT',
  'SMTPUTF8',
  'AUTH',
  'REQUIRETLS',
  'X',
];
const params = fc.array(
  fc.record({
    keyword: fc.oneof(fc.constantFrom(...KEYWORDS), protocolText),
    value: fc.option(anyText, { nil: undefined }),
  }),
  { maxLength: 5 },
);
const ctx = fc
  .record({
    phase: fc.constantFrom(...SESSION_PHASES),
    greeting: fc.constantFrom('ehlo' as const, 'helo' as const, 'lhlo' as const, undefined),
    tls: fc.boolean(),
    authenticated: fc.boolean(),
    smtputf8: fc.boolean(),
  })
  .map(({ smtputf8, ...rest }) =>
    sessionContext({ ...rest, mailParams: smtputf8 ? { SMTPUTF8: true } : {} }),
  );

describe('properties: arbitrary input never throws, it gets a reply', () => {
  it('MAIL and RCPT parameter lists', () => {
    fc.assert(
      fc.property(params, ctx, (ps, c) => {
        for (const r of [registry.parseMailParams(ps, c), registry.parseRcptParams(ps, c)]) {
          if (!r.ok) expect([501, 552, 555]).toContain(r.reply.code);
        }
      }),
    );
  });

  it('extension verbs with any argument in any phase', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('BDAT', 'ETRN', 'STARTTLS', 'AUTH', 'bdat'),
        fc.option(anyText, { nil: undefined }),
        ctx,
        (v, arg, c) => {
          const result = registry.dispatch(v, arg, c);
          expect(result).toBeDefined();
          for (const verb of ['DATA', 'RSET', 'MAIL']) registry.guard(verb, c);
        },
      ),
    );
  });

  it('argument and value parsers', () => {
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, unitext) => {
        bdatArguments(text);
        parseEtrnArgument(text);
        parseNotify(text);
        void unitext;
        parseServerCapabilities(text.split('\n'));
      }),
    );
  });
});

describe('properties: round trips', () => {
  it('ORCPT: what the client sends, the server decodes to the same value', () => {
    const printable = fc
      .array(fc.integer({ min: 0x20, max: 0x7e }), { minLength: 1, maxLength: 60 })
      .map((cs) => String.fromCharCode(...cs));
    const address = fc.oneof(
      printable,
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    );
    const caps = parseServerCapabilities(['mx', 'DSN']);
    fc.assert(
      fc.property(address, (a) => {
        const addrType = /^[\x20-\x7e]+$/.test(a) ? 'rfc822' : 'utf-8';
        const sent = registry.clientRcptParams(
          { mailParams: {}, recipients: [{ params: { ORCPT: { addrType, address: a } } }] },
          0,
          caps,
          { tls: false, lmtp: false },
        );
        const back = registry.parseRcptParams(
          sent,
          sessionContext({ phase: 'mail', mailParams: {} }),
        );
        expect(back).toEqual({ ok: true, value: { ORCPT: { addrType, address: a } } });
      }),
    );
  });

  it('client parameters parse back on the server to the same typed values', () => {
    const caps = parseServerCapabilities([
      'mx',
      ...registry.advertise(sessionContext({ tls: true })),
    ]);
    const env = fc.record({
      size: fc.integer({ min: 0, max: 1000 }),
      ret: fc.constantFrom('FULL' as const, 'HDRS' as const),
      envid: fc
        .array(fc.integer({ min: 0x20, max: 0x7e }), { minLength: 1, maxLength: 30 })
        .map((cs) => String.fromCharCode(...cs)),
    });
    fc.assert(
      fc.property(env, (e) => {
        const sent = registry.clientMailParams(
          { size: e.size, mailParams: { RET: e.ret, ENVID: e.envid }, recipients: [] },
          caps,
          { tls: true, lmtp: false },
        );
        const back = registry.parseMailParams(sent, sessionContext({ tls: true }));
        expect(back).toEqual({ ok: true, value: { SIZE: e.size, RET: e.ret, ENVID: e.envid } });
      }),
    );
  });
});
