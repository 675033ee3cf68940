// Built-ins against the RFC session transcripts of the shared conformance corpus
// (../shared/vectors/wire/transcripts.jsonl). Command lines are parsed with
// @smtpkit/wire's parseCommand, as the server session will.
import { readJsonl } from '@smtpkit/testing';
import { type Command, parseCommand } from '@smtpkit/wire';
import { describe, expect, it } from 'vitest';
import { auth } from './builtins/auth.js';
import { defaultExtensions } from './builtins/default-extensions.js';
import { etrn } from './builtins/etrn.js';
import { requireTls } from './builtins/require-tls.js';
import { startTls } from './builtins/start-tls.js';
import { extensionReplies } from './extension-replies.js';
import { createRegistry } from './registry.js';
import { parseServerCapabilities } from './server-capabilities.js';
import type { SessionContext } from './session-context.js';
import type { SessionPhase } from './session-phase.js';
import { sessionContext } from './test-context.js';

interface Step {
  readonly dir: string;
  readonly kind: string;
  readonly text: string;
}
interface Transcript {
  readonly id: string;
  readonly steps: readonly Step[];
}

const everything = (max?: number) =>
  createRegistry([
    ...defaultExtensions(max === undefined ? {} : { size: { max } }),
    startTls(),
    auth({ mechanisms: ['CRAM-MD5', 'PLAIN'], allowWithoutTls: true }),
    etrn(),
    requireTls(),
  ]);

function paramsOf(command: Command) {
  if (command.verb === 'MAIL' || command.verb === 'RCPT') return command.params;
  throw new Error(`not MAIL/RCPT: ${command.verb}`);
}

/** The server reply that answers step `i`: the next S step (pipelined replies come later). */
function replyCodes(steps: readonly Step[]): number[] {
  return steps
    .filter((s) => s.dir === 'S' && s.kind === 'reply')
    .map((s) => Number(s.text.slice(0, 3)));
}

const transcripts = readJsonl<Transcript>('wire', 'transcripts.jsonl');

describe('RFC transcripts: every MAIL/RCPT parameter and extension verb the RFC shows', () => {
  for (const t of transcripts) {
    it(t.id, () => {
      const registry = everything();
      // Excerpts that start after EHLO (RFC 2554 §5) are read as an EHLO session.
      let ctx: SessionContext = sessionContext();
      let checked = 0;
      for (const step of t.steps) {
        if (step.dir !== 'C' || step.kind !== 'command') continue;
        const command = parseCommand(step.text);
        const verb = command.verb;
        if (verb === 'EHLO' || verb === 'HELO') {
          ctx = sessionContext({ greeting: verb === 'EHLO' ? 'ehlo' : 'helo' });
        } else if (verb === 'MAIL') {
          const r = registry.parseMailParams(command.params, ctx);
          expect(r.ok, step.text).toBe(true);
          if (r.ok) ctx = { ...ctx, phase: 'mail', mailParams: r.value };
          checked++;
        } else if (verb === 'RCPT') {
          const r = registry.parseRcptParams(command.params, ctx);
          expect(r.ok, step.text).toBe(true);
          const phase: SessionPhase = ctx.phase === 'bdat' ? 'bdat' : 'rcpt';
          ctx = { ...ctx, phase };
          checked++;
        } else if (verb === 'BDAT') {
          const argument = command.raw.slice(5);
          const result = registry.dispatch('BDAT', argument, ctx);
          expect(result).toEqual({
            kind: 'bdat',
            size: command.size,
            last: command.last,
            reply: extensionReplies.R250_2_0_0_ChunkAccepted,
          });
          ctx = { ...ctx, phase: command.last ? 'greeted' : 'bdat' };
          checked++;
        } else if (verb === 'RSET' || (verb === 'DATA' && ctx.phase === 'rcpt')) {
          expect(registry.guard(verb, ctx)).toBeUndefined();
          ctx = { ...ctx, phase: 'greeted', mailParams: undefined };
        }
      }
      // Transcripts without MAIL/RCPT/BDAT (EXPN, STARTTLS, AUTH) are covered below.
      expect(checked >= 0).toBe(true);
    });
  }

  it('rfc1870-8-size: SIZE=500000 parses to a number under the advertised 1000000', () => {
    const registry = everything(1000000);
    const ctx = sessionContext();
    expect(registry.advertise(ctx)).toContain('SIZE 1000000');
    const r = registry.parseMailParams(
      paramsOf(parseCommand('MAIL FROM:<ned@thor.innosoft.com> SIZE=500000')),
      ctx,
    );
    expect(r).toEqual({ ok: true, value: { SIZE: 500000 } });
    expect(registry.transactionEffects({ SIZE: 500000 }).declaredSize).toBe(500000);
  });

  it('rfc3461-10_1-dsn: RET, ENVID, NOTIFY and ORCPT decode as the RFC describes', () => {
    const registry = everything();
    const ctx = sessionContext();
    const mail = registry.parseMailParams(
      paramsOf(parseCommand('MAIL FROM:<Alice@Example.ORG> RET=HDRS ENVID=QQ314159')),
      ctx,
    );
    expect(mail).toEqual({ ok: true, value: { RET: 'HDRS', ENVID: 'QQ314159' } });
    const t = transcripts.find((x) => x.id === 'rfc3461-10_1-dsn');
    const expected: Record<string, unknown> = {
      'Bob@Example.COM': {
        NOTIFY: ['SUCCESS'],
        ORCPT: { addrType: 'rfc822', address: 'Bob@Example.COM' },
      },
      'Dana@Ivory.EDU': {
        NOTIFY: ['SUCCESS', 'FAILURE'],
        ORCPT: { addrType: 'rfc822', address: 'Dana@Ivory.EDU' },
      },
      'Fred@Bombs.AF.MIL': { NOTIFY: ['NEVER'] },
    };
    let seen = 0;
    for (const step of t?.steps ?? []) {
      if (!step.text.startsWith('RCPT')) continue;
      const command = parseCommand(step.text);
      if (command.verb !== 'RCPT' || command.forwardPath.kind !== 'mailbox') continue;
      const m = command.forwardPath.mailbox;
      const key = `${m.localPart}@${m.domain.kind === 'domain' ? m.domain.ascii : ''}`;
      const want = Object.entries(expected).find(([k]) => k.toLowerCase() === key.toLowerCase());
      const r = registry.parseRcptParams(command.params, ctx);
      expect(r.ok).toBe(true);
      if (want !== undefined) {
        expect(r).toEqual({ ok: true, value: want[1] });
        seen++;
      }
    }
    expect(seen).toBe(3);
  });

  it('rfc3030-4.2: BODY=BINARYMIME, then DATA is refused (503 5.5.1), BDAT is not', () => {
    const registry = everything();
    const ctx = sessionContext();
    const r = registry.parseMailParams(
      paramsOf(parseCommand('MAIL FROM:<ned@ymir.claremont.edu> BODY=BINARYMIME')),
      ctx,
    );
    expect(r).toEqual({ ok: true, value: { BODY: 'BINARYMIME' } });
    const inTx = sessionContext({ phase: 'rcpt', mailParams: { BODY: 'BINARYMIME' } });
    expect(registry.guard('DATA', inTx)).toBe(extensionReplies.R503_5_5_1_BinaryMimeRequiresBdat);
    expect(registry.dispatch('BDAT', '100000', inTx)).toEqual({
      kind: 'bdat',
      size: 100000,
      last: false,
      reply: extensionReplies.R250_2_0_0_ChunkAccepted,
    });
  });

  it('rfc2554-4: AUTH FOOBAR gets 504, AUTH CRAM-MD5 starts the exchange', () => {
    const registry = everything();
    const t = transcripts.find((x) => x.id === 'rfc2554-4-auth-cram-md5');
    const codes = replyCodes(t?.steps ?? []);
    expect(codes).toContain(504);
    const foobar = registry.dispatch('AUTH', 'FOOBAR', sessionContext());
    expect(foobar).toEqual({
      kind: 'reply',
      reply: extensionReplies.R504_5_5_4_UnrecognizedAuthType,
    });
    expect(registry.dispatch('AUTH', 'CRAM-MD5', sessionContext())).toEqual({
      kind: 'auth',
      mechanism: 'CRAM-MD5',
      initialResponse: undefined,
    });
  });

  it('rfc2554-5: AUTH=e+3Dmc2@example.com decodes to e=mc2@example.com', () => {
    const registry = everything();
    const r = registry.parseMailParams(
      paramsOf(parseCommand('MAIL FROM:<e=mc2@example.com> AUTH=e+3Dmc2@example.com')),
      sessionContext(),
    );
    expect(r).toEqual({
      ok: true,
      value: { AUTH: { kind: 'mailbox', mailbox: 'e=mc2@example.com' } },
    });
  });

  it('rfc3207-5: STARTTLS answers 220 and switches to TLS; not advertised afterwards', () => {
    const registry = everything();
    const t = transcripts.find((x) => x.id === 'rfc3207-5-starttls');
    expect(replyCodes(t?.steps ?? [])).toContain(220);
    expect(registry.dispatch('STARTTLS', undefined, sessionContext())).toEqual({
      kind: 'starttls',
      reply: extensionReplies.R220_2_0_0_ReadyToStartTls,
    });
    expect(registry.advertise(sessionContext())).toContain('STARTTLS');
    expect(registry.advertise(sessionContext({ tls: true }))).not.toContain('STARTTLS');
  });

  it('reads every EHLO reply of the transcripts into capabilities', () => {
    let readAny = 0;
    for (const t of transcripts) {
      const steps = t.steps;
      const at = steps.findIndex((s) => s.dir === 'C' && /^EHLO /i.test(s.text));
      if (at === -1) continue;
      const lines: string[] = [];
      for (let i = at + 1; i < steps.length; i++) {
        const s = steps[i];
        if (s === undefined || s.dir !== 'S' || s.kind !== 'reply' || !s.text.startsWith('250'))
          break;
        lines.push(s.text.slice(4));
        if (s.text[3] === ' ') break;
      }
      const caps = parseServerCapabilities(lines);
      for (const line of lines.slice(1)) {
        const keyword = line.split(' ')[0] ?? '';
        expect(caps.has(keyword), `${t.id}: ${line}`).toBe(true);
      }
      readAny++;
    }
    expect(readAny).toBeGreaterThan(10);
  });
});
