import { createReply, type Reply } from '@smtpkit/reply';
import { readJsonl } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { ServerSession } from './server-session.js';
import { codes, type Decider, drive, enc, testOptions } from './session-driver.test-support.js';
import type { SessionEvent } from './session-events.js';

interface Step {
  readonly dir: 'C' | 'S' | 'meta';
  readonly kind: string;
  readonly text: string;
}
interface Transcript {
  readonly id: string;
  readonly steps: readonly Step[];
}

// Server-side dialogues replayed through the session (RFC 5321 App. D, RFC 1870, 2920, 3030,
// 3461, 2034, 3207, 2554/4954 AUTH, RFC 5321 §3.5.1 EXPN; D.3 step 2 is the relay's client side
// of the same kind of dialogue and is replayed too).
const transcripts = readJsonl<Transcript>('wire', 'transcripts.jsonl');

/** The server replies of a transcript: consecutive S lines, grouped by "-" continuation. */
function expectedReplies(steps: readonly Step[]): { code: number; lines: string[] }[] {
  const out: { code: number; lines: string[] }[] = [];
  let current: string[] = [];
  for (const s of steps) {
    if (s.dir !== 'S') continue;
    current.push(s.text);
    if (s.text.charAt(3) !== '-') {
      out.push({ code: Number(s.text.slice(0, 3)), lines: current });
      current = [];
    }
  }
  return out;
}

/** The reply a hook gives to reproduce the transcript's own reply (its code and enhanced code). */
function replyLike(expected: { code: number; lines: string[] }): Reply {
  const texts = expected.lines.map((l) => l.slice(4));
  const m = /^([245]\.\d{1,3}\.\d{1,3}) /.exec(texts[0] ?? '');
  const enhanced = m?.[1];
  return createReply(
    expected.code,
    enhanced,
    ...texts.map((t) => (enhanced === undefined ? t : t.slice(enhanced.length + 1))),
  );
}

function replay(t: Transcript): { got: number[]; want: number[]; events: SessionEvent[] } {
  const session = new ServerSession(
    testOptions({
      hooks: ['helo', 'mail', 'rcpt', 'data', 'vrfy', 'expn', 'auth'],
      policy: { vrfy: 'hook', expn: 'hook' },
    }),
  );
  let want = expectedReplies(t.steps);
  const events: SessionEvent[] = [];
  const written = () => events.filter((e) => e.type === 'write').length;
  // Hooks answer as the transcript does: a negative expected reply is thrown by the hook, a
  // positive one is the default (or, for VRFY/EXPN, the hook's reply).
  const decider: Decider = (ask) => {
    const index = written() + pendingWrites;
    const expected = want[index];
    if (expected === undefined) return { kind: 'resolved' };
    if (expected.code >= 400) return { kind: 'reply', reply: replyLike(expected) };
    if (ask.hook === 'auth') return { kind: 'resolved', value: true };
    if (ask.hook === 'vrfy' || ask.hook === 'expn') {
      return { kind: 'resolved', value: replyLike(expected) };
    }
    return { kind: 'resolved' };
  };
  let pendingWrites = 0;
  const run = (evs: SessionEvent[]) => {
    // Writes before the ask in the same batch come first in the reply order.
    const all: SessionEvent[] = [];
    const queue = [...evs];
    while (queue.length > 0) {
      const e = queue.shift() as SessionEvent;
      all.push(e);
      events.push(e);
      if (e.type === 'ask') {
        pendingWrites = 0;
        const d = decider(e);
        if (d !== undefined) queue.push(...session.decide(e.id, d));
      }
    }
    return all;
  };
  const hasBanner = t.steps.find((s) => s.dir !== 'meta')?.dir === 'S';
  run(session.start());
  if (!hasBanner) {
    // The transcript starts mid-session: the banner (and, before MAIL, an EHLO) are not in it.
    const first = t.steps.find((s) => s.dir === 'C');
    events.length = 0;
    if (first?.text.startsWith('MAIL')) {
      run(session.receive(enc('EHLO client.example\r\n')));
      events.length = 0;
    }
  }
  if (t.id === 'rfc2920-4-data-accepted-no-rcpt') {
    // RFC 5321 §3.3: "If there was no MAIL, or no RCPT, command, or all such commands were
    // rejected, the server MAY return a 'command out of sequence' (503) or 'no valid recipients'
    // (554) reply in response to the DATA command. If one of those replies (or any other 5yz
    // reply) is received, the client MUST NOT send the message data". The RFC 2920 example
    // (1999) shows the older 354-then-554; this server answers 554 to DATA, so the conforming
    // client sends no data and the replies are 250 550 550 554 221.
    const i = want.findIndex((r) => r.code === 354);
    want = [...want.slice(0, i), ...want.slice(i + 1)];
  }
  if (t.id === 'rfc1652-4-8bitmime') {
    // RFC 5321 §4.1.1.10: "The receiver MUST send a "221 OK" reply, and then close the
    // transmission channel." The RFC 1652 §4 example answers QUIT with 250.
    want = want.map((r, i) => (i === want.length - 1 ? { ...r, code: 221 } : r));
  }
  const steps = t.steps;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i] as Step;
    if (s.dir === 'C') {
      if (t.id === 'rfc2920-4-data-accepted-no-rcpt' && s.kind === 'end-of-data') continue;
      if (s.kind === 'command') {
        run(session.receive(enc(`${s.text}\r\n`)));
        const bdat = /^BDAT (\d+)/.exec(s.text);
        if (bdat !== null && steps[i + 1]?.kind.startsWith('bdat-chunk') !== true) {
          // "(First 10000 octets of canonical MIME message data)": synthesise the announced octets.
          run(session.receive(new Uint8Array(Number(bdat[1])).fill(0x41)));
        }
      } else if (s.kind.startsWith('bdat-chunk')) {
        run(session.receive(enc(s.text.replaceAll('<CR><LF>', '\r\n'))));
      } else if (s.kind === 'end-of-data') {
        run(session.receive(enc('.\r\n')));
      } else {
        run(session.receive(enc(`${s.text}\r\n`)));
      }
    } else if (
      s.dir === 'meta' &&
      /negotiat/i.test(s.text) &&
      session.state.phase === 'tls-handshake'
    ) {
      run(session.tlsEstablished({ protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' }));
    }
  }
  return { got: codes(events), want: want.map((r) => r.code), events };
}

describe('RFC transcripts replayed through ServerSession (reply codes; texts differ)', () => {
  for (const t of transcripts) {
    it(t.id, () => {
      const { got, want } = replay(t);
      expect(got).toEqual(want);
    });
  }

  it('RFC 3207 §5: the EHLO after TLS no longer offers STARTTLS', () => {
    const t = transcripts.find((x) => x.id === 'rfc3207-5-starttls') as Transcript;
    const { events } = replay(t);
    const ehlos = events.filter(
      (e) => e.type === 'write' && e.reply.code === 250 && e.reply.lines.length > 1,
    );
    expect(ehlos).toHaveLength(2);
    const lines = ehlos.map((e) => (e.type === 'write' ? e.reply.lines : []));
    expect(lines[0]).toContain('STARTTLS');
    expect(lines[1]).not.toContain('STARTTLS');
  });

  it('RFC 2034 §6: enhanced codes on every reply but the greeting and EHLO', () => {
    const t = transcripts.find((x) => x.id === 'rfc2034-6-enhanced-status') as Transcript;
    const text = replay(t).events.flatMap((e) =>
      e.type === 'write' ? [new TextDecoder().decode(e.bytes)] : [],
    );
    expect(text[0]).toMatch(/^220 mx\.example/);
    expect(text[2]).toMatch(/^250 2\.1\.0 /);
    expect(text[4]).toBe('550 5.1.1 Mailbox "nosuchuser" does not exist\r\n');
    expect(text[5]).toMatch(/^551-5\.7\.1 Forwarding/);
  });
});

void drive;
