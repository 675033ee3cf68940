import { buildDsn, type DsnAction, parseDsn } from '@smtpkit/dsn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnosticOf, statusOf } from './notice-facts.js';

const ACTIONS: readonly DsnAction[] = ['failed', 'delayed', 'delivered', 'relayed'];

/** Replies as servers send them, the odd ones too: any code, any enhanced text, any reply text. */
const reply = fc.record(
  {
    code: fc.integer({ min: 200, max: 599 }),
    enhanced: fc.oneof(
      fc.constantFrom('2.0.0', '4.4.7', '5.1.1', '4.7.1', '5.7.1', '5.1', '9.9.9', '', '5.01.1'),
      fc.tuple(fc.integer({ min: 0, max: 9 }), fc.nat(1200), fc.nat(1200)).map((p) => p.join('.')),
      fc.string(),
    ),
    text: fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.string({
        unit: fc.constantFrom('\r', '\n', '\0', '\t', '\x7f', 'a', ' ', '\u00e9'),
        maxLength: 40,
      }),
    ),
    remoteMta: fc.constantFrom('mx.example.net', 'relay.example'),
  },
  { requiredKeys: ['code', 'text'] },
);

describe('notice facts, for any reply', () => {
  it('always give a DSN the builder accepts and the parser reads back with the same Status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), reply, (action, r) => {
        const outcome =
          action === 'failed' ? 'failed' : action === 'delayed' ? 'deferred' : 'delivered';
        const status = statusOf(action, r);
        const diagnostic = diagnosticOf({ outcome, reply: r });
        const dsn = buildDsn({
          reportingMta: 'mta.example.org',
          envelope: { sender: 'alice@example.org' },
          recipients: [
            {
              address: 'bob@example.net',
              action,
              status,
              ...(diagnostic === undefined ? {} : { diagnostic }),
            },
          ],
          now: 0,
          messageId: 'x',
        });
        const [back] = parseDsn(dsn.message).recipients;
        expect(back?.status).toBe(status);
        expect(back?.action).toBe(action);
      }),
      { numRuns: 300 },
    );
  });

  it('a diagnostic is one line', () => {
    fc.assert(
      fc.property(
        reply,
        fc.constantFrom('failed', 'deferred', 'delivered' as const),
        (r, outcome) => {
          const d = diagnosticOf({ outcome, reply: r });
          const controls = [...(d?.text ?? '')].filter((c) => c < ' ' || c === '\x7f');
          expect(controls).toEqual([]);
        },
      ),
    );
  });
});
