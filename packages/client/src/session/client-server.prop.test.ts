import { parseMailbox } from '@smtpkit/address';
import { createRegistry } from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import { decodeData, encodeData } from '@smtpkit/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClientEvent, SendEnvelope } from './client-events.js';
import { pair, serverExtensions } from './pair.test-support.js';

// The client session driven against the server session in memory, over every combination the
// protocol offers (PIPELINING or not, BDAT or DATA, LMTP or SMTP, recipients the server refuses,
// bodies from the protocol's own alphabet, any chunking of the bytes): it never deadlocks (each
// send ends in exactly one `sent`), and every byte arrives (BDAT: as sent; DATA: as RFC 5321
// §2.3.8 line endings and dot-stuffing make it: the wire codec's own round trip).

const ALPHABET = ['a', 'Z', '.', '\r', '\n', '\r\n', '\r\n.\r\n', '\0', '\xff', ' ', '..', '\n.\n'];

const bodyArb = fc
  .array(fc.constantFrom(...ALPHABET), { minLength: 0, maxLength: 40 })
  .map((parts) => {
    const text = parts.join('');
    const out = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
    return out;
  });

const caseArb = fc.record({
  recipients: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }), // true: the server accepts it
  body: bodyArb,
  pipelining: fc.boolean(),
  chunking: fc.boolean(),
  lmtp: fc.boolean(),
  chunk: fc.option(fc.integer({ min: 1, max: 32 }), { nil: undefined }),
});

describe('property: client session against server session', () => {
  it('never deadlocks and delivers every byte', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const extensions = serverExtensions().filter(
          (e) => c.pipelining || e.name !== 'PIPELINING',
        );
        const p = pair(
          {
            ...(c.chunk === undefined ? {} : { chunk: c.chunk }),
            options: {
              registry: createRegistry(extensions),
              hooks: ['data', 'rcpt'],
              lmtp: c.lmtp,
            },
            decide: (ask) => {
              if (ask.hook !== 'rcpt') return undefined;
              const local = (ask.payload as { forwardPath: { mailbox: { localPart: string } } })
                .forwardPath.mailbox.localPart;
              return local.startsWith('no')
                ? { kind: 'reply', reply: replies.R550_5_1_1_NoSuchUser }
                : undefined;
            },
          },
          { chunking: c.chunking, lmtp: c.lmtp },
        );
        p.run((s) => s.hello());
        const envelope: SendEnvelope = {
          from: { kind: 'mailbox', mailbox: parseMailbox('a@example.org') },
          to: c.recipients.map((ok, i) => ({
            kind: 'mailbox',
            mailbox: parseMailbox(`${ok ? 'yes' : 'no'}${i}@example.com`),
          })),
        };
        const events: ClientEvent[] = p.run((s) => s.send(envelope, c.body));
        const sent = events.filter((e) => e.type === 'sent');
        expect(events.filter((e) => e.type === 'error')).toEqual([]);
        expect(sent).toHaveLength(1);
        const result = sent[0]?.type === 'sent' ? sent[0].result : undefined;
        expect(result?.recipients.map((r) => r.reply.code < 400)).toEqual(c.recipients);
        expect(p.client.state.phase).toBe('ready');
        if (!c.recipients.includes(true)) {
          expect(p.bodies).toEqual([]);
          return;
        }
        expect(result?.recipients.map((r) => r.accepted)).toEqual(c.recipients);
        expect(p.bodies).toHaveLength(1);
        const expected =
          result?.via === 'BDAT'
            ? c.body
            : (decodeData(encodeData(c.body)) as { body: Uint8Array }).body;
        expect(p.bodies[0]).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
