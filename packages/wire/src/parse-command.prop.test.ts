import { parseDomain, parseMailbox } from '@smtpkit/address';
import { bytes, splitAt } from '@smtpkit/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from './command.js';
import { type CommandEvent, CommandReader } from './command-reader.js';
import { type CommandInput, formatCommandText } from './format-command.js';
import { parseCommand } from './parse-command.js';
import { WireError } from './wire-error.js';

const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const chars = (set: string, min: number, max: number) =>
  fc.array(fc.constantFrom(...set), { minLength: min, maxLength: max }).map((a) => a.join(''));
const label = chars(lower + digits, 1, 10);
const domainText = fc.array(label, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('.'));
const domain = domainText.map((d) => parseDomain(d));
const literal = fc
  .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255))
  .map((q) => parseMailbox(`x@[${q.join('.')}]`).domain);
/** Printable ASCII: local parts that need quoting come out of the address package quoted. */
const printable = chars(
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~',
  1,
  20,
);
const localPart = fc.oneof(chars(`${lower}${digits}!#$%&'*+-/=?^_\`{|}~`, 1, 12), printable);
const mailbox = fc
  .tuple(localPart, fc.oneof(domain, literal))
  .map(([l, d]) => ({ localPart: l, domain: d }));
const keyword = fc
  .tuple(chars(`${lower}ABCXYZ${digits}`, 1, 1), chars(`${lower}ABCXYZ${digits}-`, 0, 10))
  .map(([a, b]) => a + b);
const esmtpValue = chars('!"#$%&\'()*+,-./0123456789:;<>?@ABCXYZ[\\]^_`abcxyz{|}~', 1, 12);
const params = fc
  .uniqueArray(fc.tuple(keyword, fc.option(esmtpValue, { nil: undefined })), {
    maxLength: 5,
    selector: ([k]) => k.toUpperCase(),
  })
  .map((ps) => ps.map(([k, value]) => ({ keyword: k, value })));
/** A free-text argument: printable, no leading or trailing space. */
const text = printable.filter((t) => !t.startsWith(' ') && !t.endsWith(' '));
const known = new Set(
  'HELO EHLO LHLO MAIL RCPT DATA RSET QUIT STARTTLS NOOP HELP VRFY EXPN BDAT AUTH ETRN'.split(' '),
);

const command: fc.Arbitrary<CommandInput> = fc.oneof(
  fc.record({
    verb: fc.constantFrom('HELO', 'EHLO', 'LHLO' as const),
    domain: fc.oneof(domain, literal),
  }),
  fc.record({
    verb: fc.constant('MAIL' as const),
    reversePath: fc.oneof(
      fc.constant({ kind: 'null' as const }),
      mailbox.map((m) => ({ kind: 'mailbox' as const, mailbox: m })),
    ),
    params,
  }),
  fc.record({
    verb: fc.constant('RCPT' as const),
    forwardPath: fc.oneof(
      fc.constant({ kind: 'postmaster' as const }),
      mailbox.map((m) => ({ kind: 'mailbox' as const, mailbox: m })),
    ),
    params,
  }),
  fc.record({ verb: fc.constantFrom('DATA', 'RSET', 'QUIT', 'STARTTLS' as const) }),
  fc.record({
    verb: fc.constantFrom('NOOP', 'HELP' as const),
    argument: fc.option(text, { nil: undefined }),
  }),
  fc.record({
    verb: fc.constantFrom('VRFY', 'EXPN' as const),
    argument: fc.oneof(printable, fc.constant('')),
  }),
  fc.record({
    verb: fc.constant('BDAT' as const),
    size: fc.nat({ max: 999_999_999_999_999 }),
    last: fc.boolean(),
  }),
  fc.record({
    verb: fc.constant('AUTH' as const),
    mechanism: chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_', 1, 20),
    initialResponse: fc.option(chars('ABCabc0189+/=', 1, 30), { nil: undefined }),
  }),
  fc.record({ verb: fc.constant('ETRN' as const), argument: text }),
  fc.record({
    verb: fc.constant('UNKNOWN' as const),
    name: fc
      .tuple(chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1, 1), chars('ABCXYZ0189-', 0, 8))
      .map(([a, b]) => a + b)
      .filter((n) => !known.has(n)),
    argument: fc.option(text, { nil: undefined }),
  }),
);

function withoutRaw(c: Command): CommandInput {
  const { raw: _raw, ...rest } = c;
  return rest as CommandInput;
}

const protocolAlphabet = [
  ...'<>:@.,;="\\\r\n ',
  'a',
  'M',
  'A',
  'I',
  'L',
  'F',
  'R',
  'O',
  'T',
  '0',
  '9',
  '-',
  '+',
];
const protocolString = fc
  .array(fc.constantFrom(...protocolAlphabet), { maxLength: 60 })
  .map((a) => a.join(''));
const commandish = fc
  .tuple(
    fc.constantFrom('MAIL FROM:', 'RCPT TO:', 'EHLO ', 'BDAT ', 'AUTH ', 'VRFY ', ''),
    protocolString,
  )
  .map(([a, b]) => a + b);

describe('parseCommand properties', () => {
  it('parse ∘ format is the identity', () => {
    fc.assert(
      fc.property(command, (c) => {
        const line = formatCommandText(c);
        expect(line.endsWith('\r\n')).toBe(true);
        expect(withoutRaw(parseCommand(line.slice(0, -2)))).toEqual(c);
      }),
      { numRuns: 500 },
    );
  });

  it('format ∘ parse is the identity on formatted lines', () => {
    fc.assert(
      fc.property(command, (c) => {
        const line = formatCommandText(c);
        expect(formatCommandText(parseCommand(line.slice(0, -2)))).toBe(line);
      }),
    );
  });

  it('throws nothing but WireError for any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), commandish, protocolString),
        fc.boolean(),
        (line, smtputf8) => {
          try {
            parseCommand(line, { smtputf8 });
          } catch (e) {
            expect(e).toBeInstanceOf(WireError);
            expect((e as WireError).reply).toBeDefined();
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

function events(chunks: readonly Uint8Array[]): string[] {
  const reader = new CommandReader({ maxLineLength: 64 });
  const out: string[] = [];
  const show = (e: CommandEvent) =>
    e.type === 'command'
      ? `c:${JSON.stringify(e.command)}`
      : e.type === 'error'
        ? `e:${e.code}`
        : '';
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) out.push(show(e));
  }
  return out;
}

describe('CommandReader properties', () => {
  const stream = fc.oneof(
    fc
      .array(command, { maxLength: 6 })
      .map((cs) => bytes(cs.map((c) => formatCommandText(c)).join(''))),
    fc.array(commandish, { maxLength: 6 }).map((ls) => bytes(ls.join('\r\n'))),
    fc.uint8Array({ maxLength: 300 }),
  );
  const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 10 });

  it('gives the same events whatever the chunking, and never throws', () => {
    fc.assert(
      fc.property(stream, cuts, (data, at) => {
        expect(events(splitAt(data, at))).toEqual(events([data]));
      }),
      { numRuns: 300 },
    );
  });

  it('reads back every formatted command of a pipelined stream, in order', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 8 }), cuts, (cs, at) => {
        const data = bytes(cs.map((c) => formatCommandText(c)).join(''));
        const reader = new CommandReader({ maxLineLength: 4096 });
        const got: CommandInput[] = [];
        for (const chunk of splitAt(data, at)) {
          reader.push(chunk);
          for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) {
            if (e.type !== 'command') throw new Error(`unexpected ${e.code}`);
            got.push(withoutRaw(e.command));
          }
        }
        expect(got).toEqual(cs);
      }),
      { numRuns: 200 },
    );
  });
});

describe('SMTPUTF8 round trip', () => {
  const uLabel = fc.constantFrom('bücher', 'παράδειγμα', '例え', 'mañana', 'example');
  const utf8Local = chars('abcé孫δ', 1, 8);
  const utf8Mailbox = fc
    .tuple(utf8Local, fc.array(uLabel, { minLength: 1, maxLength: 3 }))
    .map(([l, labels]) => parseMailbox(`${l}@${labels.join('.')}`, { smtputf8: true }));
  const utf8Value = chars('abcé孫', 1, 8);

  it('parse ∘ format is the identity in the unicode form', () => {
    fc.assert(
      fc.property(utf8Mailbox, fc.option(utf8Value, { nil: undefined }), (m, value) => {
        const c: CommandInput = {
          verb: 'RCPT',
          forwardPath: { kind: 'mailbox', mailbox: m },
          params: value === undefined ? [] : [{ keyword: 'ORCPT', value }],
        };
        const line = formatCommandText(c, { form: 'unicode' });
        expect(withoutRaw(parseCommand(line.slice(0, -2), { smtputf8: true }))).toEqual(c);
      }),
    );
  });
});
