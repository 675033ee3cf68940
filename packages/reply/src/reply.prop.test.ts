import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEnhancedStatus } from './enhanced-status.js';
import { formatReplyLines } from './format-reply-lines.js';
import { createReply, isReply, withText } from './reply.js';
import { ReplyError } from './reply-error.js';

const alphabet = [...'<>:@.,;="\\\r\n\t\0 abcXYZ0123456789-é😀'];
const protocolString = fc
  .array(fc.constantFrom(...alphabet), { maxLength: 24 })
  .map((cs) => cs.join(''));
const anyText = fc.oneof(protocolString, fc.string(), fc.string({ unit: 'binary' }));
const anyCode = fc.oneof(
  fc.integer({ min: 150, max: 650 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY),
);
const anyEnhanced = fc.oneof(
  fc.constant(undefined),
  anyText,
  fc
    .tuple(
      fc.constantFrom(2, 3, 4, 5),
      fc.integer({ min: 0, max: 999 }),
      fc.integer({ min: 0, max: 999 }),
    )
    .map(([c, s, d]) => `${c}.${s}.${d}`),
  fc.record({
    class: fc.constantFrom(1, 2, 3, 4, 5),
    subject: fc.oneof(fc.integer({ min: -2, max: 1001 }), fc.double()),
    detail: fc.oneof(fc.integer({ min: -2, max: 1001 }), fc.double()),
  }),
);

/** Text lines that are valid `textstring` (no controls but HT), including UTF-8. */
const safeLine = fc
  .array(fc.constantFrom(...'<>:@.,;="\\ \tabcXYZ0123456789-é😀'), { maxLength: 40 })
  .map((cs) => cs.join(''));

describe('createReply properties', () => {
  it('never throws anything but ReplyError, whatever it is given', () => {
    fc.assert(
      fc.property(
        anyCode,
        anyEnhanced,
        fc.array(anyText, { maxLength: 4 }),
        (code, enhanced, lines) => {
          try {
            const r = createReply(code, enhanced as never, ...lines);
            expect(isReply(r)).toBe(true);
          } catch (e) {
            expect(e).toBeInstanceOf(ReplyError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('whatever it accepts formats to lines free of CR, LF and NUL', () => {
    fc.assert(
      fc.property(
        anyCode,
        anyEnhanced,
        fc.array(anyText, { maxLength: 4 }),
        fc.boolean(),
        (code, enhanced, lines, enh) => {
          let r: ReturnType<typeof createReply>;
          try {
            r = createReply(code, enhanced as never, ...lines);
          } catch {
            return;
          }
          for (const line of formatReplyLines(r, { enhanced: enh })) {
            expect(line).not.toMatch(/[\r\n\0]/);
            expect(line.startsWith(String(r.code))).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('accepts valid inputs and keeps them exactly; the formatted lines carry them back', () => {
    const validCode = fc
      .tuple(
        fc.constantFrom(2, 4, 5),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 0, max: 9 }),
      )
      .map(([a, b, c]) => a * 100 + b * 10 + c);
    fc.assert(
      fc.property(
        validCode,
        fc.boolean(),
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 0, max: 999 }),
        fc.array(safeLine, { maxLength: 5 }),
        (code, withEnhanced, subject, detail, lines) => {
          const cls = Math.floor(code / 100) as 2 | 4 | 5;
          const enhanced = withEnhanced ? { class: cls, subject, detail } : undefined;
          const r = createReply(code, enhanced, ...lines);
          expect(r.lines).toEqual(lines);
          expect(r.enhanced).toEqual(enhanced);
          const wire = formatReplyLines(r, { enhanced: true });
          expect(wire).toHaveLength(Math.max(1, lines.length));
          const prefix = enhanced === undefined ? '' : formatEnhancedStatus(enhanced);
          wire.forEach((line, i) => {
            const last = i === wire.length - 1;
            const text = lines[i] ?? '';
            const body = prefix === '' ? text : text === '' ? prefix : `${prefix} ${text}`;
            expect(line).toBe(
              last && body === '' ? `${code}` : `${code}${last ? ' ' : '-'}${body}`,
            );
          });
          expect(withText(r, ...lines)).toEqual(r);
        },
      ),
    );
  });
});
