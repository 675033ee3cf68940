// Conformance: ../shared/vectors/wire/commands.jsonl (stalwart smtp-proto parse_request cases).
// `impl_result` records that library's behaviour; where RFC 5321 (or this package's layering)
// gives another verdict, the table below says which and why, and the test asserts our verdict.
import { formatMailbox } from '@smtpkit/address';
import { bytes, readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import type { Command } from './command.js';
import { CommandReader } from './command-reader.js';
import { parseCommand } from './parse-command.js';
import { WireError } from './wire-error.js';

interface ImplResult {
  outcome: 'ok' | 'error';
  host?: string;
  reverse_path?: string;
  forward_path?: string;
  value?: string;
  chunk_size?: number;
  is_last?: boolean;
  mechanism?: string | null;
  initial_response?: string;
}

interface Vector {
  id: string;
  input: string;
  impl_result: ImplResult;
  rfc_verdict?: string;
  rfc_note?: string;
}

const vectors = readJsonl<Vector>('wire', 'commands.jsonl');
const num = (v: Vector) => Number(v.id.replace('stalwart-parse_request-', ''));

/** Vectors where our verdict differs from the recorded implementation, grouped by reason. */
const differs: { ids: number[]; ok: boolean; why: string }[] = [
  {
    ids: [9, 13],
    ok: true,
    why: 'RFC 5321 §4.1.2: Quoted-string = DQUOTE *QcontentSMTP DQUOTE, so "" is a valid String (empty)',
  },
  { ids: [37], ok: true, why: 'ETRN arguments are passed on as sent to the ETRN extension' },
  {
    ids: [42, 45, 66],
    ok: true,
    why: 'verbs this package does not know come back as UNKNOWN for extensions to judge',
  },
  {
    ids: [
      68, 70, 71, 79, 81, 82, 88, 89, 90, 91, 92, 93, 94, 97, 99, 116, 128, 129, 130, 131, 138, 139,
    ],
    ok: true,
    why: 'RFC 5321 §4.1.2: the value is a valid esmtp-value; its meaning is checked by the extension that owns the keyword (which answers 501/555)',
  },
  {
    ids: [64, 77, 101, 102, 103, 104, 108, 109, 140, 141, 142],
    ok: false,
    why: 'RFC 5321 §4.1.1.3: RCPT takes a Forward-path = Path; the null path <> is only a Reverse-path',
  },
  { ids: [49, 50, 51, 52, 149], ok: false, why: 'rfc_verdict invalid (see rfc_note)' },
  {
    ids: [62],
    ok: false,
    why: 'RFC 6531 §3.2: UTF-8 addresses need SMTPUTF8 (valid with smtputf8: true, tested below)',
  },
  {
    ids: [78, 114],
    ok: false,
    why: 'a parameter given twice has no single meaning: 501 5.5.4 (RFC 5321 §4.1.1.11 lets a server refuse)',
  },
  { ids: [121], ok: false, why: 'RFC 5321 §4.1.2: Mail-parameters are separated by one SP' },
];
const knownVerbs = new Set(
  'HELO EHLO LHLO MAIL RCPT DATA RSET QUIT STARTTLS NOOP HELP VRFY EXPN BDAT AUTH ETRN'.split(' '),
);
const override = new Map<number, { ok: boolean; why: string }>();
for (const group of differs) for (const id of group.ids) override.set(id, group);

function tryParse(line: string): Command | WireError {
  try {
    return parseCommand(line);
  } catch (error) {
    if (error instanceof WireError) return error;
    throw error;
  }
}

/** Checks the fields the implementation recorded against our value. */
function sameFields(command: Command, impl: ImplResult): void {
  switch (command.verb) {
    case 'HELO':
    case 'EHLO':
    case 'LHLO':
      expect(command.domain.kind === 'domain' && command.domain.ascii).toBe(impl.host);
      break;
    case 'MAIL':
      if (command.reversePath.kind === 'null') expect(impl.reverse_path).toBe('');
      else
        expect(formatMailbox(command.reversePath.mailbox, 'unicode').toLowerCase()).toContain(
          String(impl.reverse_path).split('@')[1]?.toLowerCase() ?? '',
        );
      break;
    case 'RCPT':
      if (command.forwardPath.kind === 'mailbox') {
        expect(command.forwardPath.mailbox.localPart).toBe(String(impl.forward_path).split('@')[0]);
      }
      break;
    case 'VRFY':
    case 'EXPN':
      expect(command.argument).toBe(impl.value);
      break;
    case 'NOOP':
    case 'HELP':
      expect(command.argument ?? '').toBe(impl.value);
      break;
    case 'BDAT':
      expect(command.size).toBe(impl.chunk_size);
      expect(command.last).toBe(impl.is_last);
      break;
    case 'AUTH':
      if (impl.mechanism !== null) expect(command.mechanism).toBe(impl.mechanism);
      expect(command.initialResponse ?? '').toBe(impl.initial_response);
      break;
    default:
      break;
  }
}

describe('commands.jsonl', () => {
  it('has the expected corpus', () => {
    expect(vectors.length).toBe(149);
  });

  for (const v of vectors) {
    const id = num(v);
    const diff = override.get(id);
    const wantOk = diff ? diff.ok : v.impl_result.outcome === 'ok';
    it(`${v.id}: ${JSON.stringify(v.input)} → ${wantOk ? 'ok' : 'error'}${diff ? ` (${diff.why})` : ''}`, () => {
      const result = tryParse(v.input);
      if (!wantOk) {
        expect(result).toBeInstanceOf(WireError);
        if (result instanceof WireError) expect(result.reply?.code).toBeGreaterThanOrEqual(500);
        return;
      }
      expect(result).not.toBeInstanceOf(WireError);
      if (result instanceof WireError) return;
      const word = v.input.split(' ')[0]?.toUpperCase() ?? '';
      expect(result.verb).toBe(knownVerbs.has(word) ? word : 'UNKNOWN');
      if (diff === undefined) sameFields(result, v.impl_result);
    });
  }

  it('accepts the UTF-8 recipient of vector 62 under SMTPUTF8', () => {
    const v = vectors.find((x) => num(x) === 62) as Vector;
    const command = parseCommand(v.input, { smtputf8: true });
    expect(
      command.verb === 'RCPT' &&
        command.forwardPath.kind === 'mailbox' &&
        command.forwardPath.mailbox.localPart,
    ).toBe('孫子');
  });

  it('gives the same verdicts through CommandReader with CRLF and with trailing SP CRLF', () => {
    for (const v of vectors) {
      const expected = tryParse(v.input);
      for (const end of ['\r\n', ' \r\n']) {
        const reader = new CommandReader();
        reader.push(bytes(v.input + end));
        const event = reader.next();
        if (expected instanceof WireError) {
          expect(event.type, v.id).toBe('error');
          if (event.type === 'error') expect(event.code).toBe(expected.code);
        } else {
          expect(event.type, v.id).toBe('command');
          if (event.type === 'command') expect(event.command.verb).toBe(expected.verb);
        }
        expect(reader.next().type).toBe('need-data');
      }
    }
  });

  it('refuses the bare LF terminator the vectors also try, unless bareLf is accept', () => {
    for (const v of vectors.slice(0, 20)) {
      const strict = new CommandReader();
      strict.push(bytes(`${v.input}\n`));
      expect(strict.next()).toMatchObject({ type: 'error', code: 'ERR_WIRE_BARE_LF' });
      const lenient = new CommandReader({ bareLf: 'accept' });
      lenient.push(bytes(`${v.input}\n`));
      expect(lenient.next().type).toBe(
        tryParse(v.input) instanceof WireError ? 'error' : 'command',
      );
    }
  });
});

interface ParamVector {
  input: string;
  command: string;
  params?: Record<string, string | true> | null;
  valid: boolean;
}

// ../shared/vectors/xtext/esmtp-params.jsonl: whole MAIL/RCPT lines. Here only the generic layer is
// checked: keywords and raw values come out as written (`valid` judges the values' meaning, which
// the owning extensions check).
describe('esmtp-params.jsonl (generic parameter layer)', () => {
  const records = readJsonl<ParamVector>('xtext', 'esmtp-params.jsonl').filter(
    (r) => r.params !== null && r.params !== undefined,
  );

  it('has records with parameters', () => {
    expect(records.length).toBeGreaterThan(20);
  });

  for (const r of records) {
    it(JSON.stringify(r.input), () => {
      const c = parseCommand(r.input, { smtputf8: true });
      expect(c.verb).toBe(r.command);
      if (c.verb !== 'MAIL' && c.verb !== 'RCPT') return;
      const got = Object.fromEntries(
        c.params.map((p) => [p.keyword.toUpperCase(), p.value ?? true]),
      );
      expect(got).toEqual(r.params);
    });
  }
});
