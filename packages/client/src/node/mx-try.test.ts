import { createReply } from '@smtpkit/reply';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../client-error.js';
import type { MxTarget } from './mx-resolve.js';
import { type MxAttempt, type MxAttemptOutcome, tryMxTargets } from './mx-try.js';

const targets: MxTarget[] = [
  { host: 'mx1.example.test', preference: 10, address: '2001:db8::1', family: 6 },
  { host: 'mx1.example.test', preference: 10, address: '192.0.2.1', family: 4 },
  { host: 'mx2.example.test', preference: 20, address: '192.0.2.2', family: 4 },
];

/** A callback answering per address from a script, recording what it was asked. */
function scripted(script: Record<string, MxAttemptOutcome<string> | 'hang'>) {
  const calls: string[] = [];
  const signals: AbortSignal[] = [];
  const tryTarget = (address: string, port: number, context: { signal: AbortSignal }) => {
    calls.push(`${address}:${port}`);
    signals.push(context.signal);
    const outcome = script[address];
    if (outcome === 'hang') return new Promise<MxAttemptOutcome<string>>(() => {});
    return Promise.resolve(outcome ?? { type: 'next' as const, error: new Error('refused') });
  };
  return { calls, signals, tryTarget };
}

async function rejection(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClientError) return e;
    throw e;
  }
  throw new Error('expected a ClientError');
}

const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const greeting421 = new ClientError('ERR_CLIENT_REPLY', 'greeting refused', {
  reply: createReply(421, '4.3.2', 'try later'),
});
const greeting554 = new ClientError('ERR_CLIENT_REPLY', 'greeting refused', {
  reply: createReply(554, '5.7.1', 'go away'),
});

describe('tryMxTargets', () => {
  it('stops at the first target that accepts, on the port given', async () => {
    const s = scripted({ '2001:db8::1': { type: 'accepted', value: 'conn-a' } });
    const r = await tryMxTargets(targets, s.tryTarget, { port: 2525 });
    expect(r.value).toBe('conn-a');
    expect(r.target).toBe(targets[0]);
    expect(s.calls).toEqual(['2001:db8::1:2525']);
    expect(r.attempts.map((a) => a.outcome)).toEqual(['accepted']);
  });

  it('moves on after a connection failure and after a 4xx greeting: IPv6, then IPv4, then the next MX', async () => {
    const seen: MxAttempt[] = [];
    const s = scripted({
      '2001:db8::1': { type: 'next', error: refused },
      '192.0.2.1': { type: 'next', error: greeting421 },
      '192.0.2.2': { type: 'accepted', value: 'conn-c' },
    });
    const r = await tryMxTargets(targets, s.tryTarget, { onAttempt: (a) => seen.push(a) });
    expect(s.calls).toEqual(['2001:db8::1:25', '192.0.2.1:25', '192.0.2.2:25']);
    expect(r.target.host).toBe('mx2.example.test');
    expect(r.attempts).toEqual(seen);
    expect(seen.map((a) => [a.target.address, a.outcome, a.error])).toEqual([
      ['2001:db8::1', 'next', refused],
      ['192.0.2.1', 'next', greeting421],
      ['192.0.2.2', 'accepted', undefined],
    ]);
  });

  it('a permanent failure stops: no other target is tried, the error keeps its reply', async () => {
    const s = scripted({ '2001:db8::1': { type: 'stop', error: greeting554 } });
    const e = await rejection(tryMxTargets(targets, s.tryTarget));
    expect(s.calls).toEqual(['2001:db8::1:25']);
    expect([e.code, e.permanent, e.replyCode, e.enhancedCode]).toEqual([
      'ERR_CLIENT_MX_FAILED',
      true,
      554,
      '5.7.1',
    ]);
    expect(e.cause).toBe(greeting554);
    const plain = await rejection(
      tryMxTargets(
        targets,
        scripted({ '2001:db8::1': { type: 'stop', error: refused } }).tryTarget,
      ),
    );
    expect([plain.permanent, plain.replyCode, plain.enhancedCode]).toEqual([true, 554, '5.4.4']);
  });

  it('every target failing is temporary: the last reply, or 451 4.4.1 when none came', async () => {
    const s = scripted({});
    const e = await rejection(tryMxTargets(targets, s.tryTarget));
    expect(s.calls.length).toBe(3);
    expect([e.code, e.permanent, e.replyCode, e.enhancedCode]).toEqual([
      'ERR_CLIENT_MX_FAILED',
      false,
      451,
      '4.4.1',
    ]);
    const last421 = await rejection(
      tryMxTargets(
        targets,
        scripted({ '192.0.2.2': { type: 'next', error: greeting421 } }).tryTarget,
      ),
    );
    expect([last421.permanent, last421.replyCode, last421.enhancedCode]).toEqual([
      false,
      421,
      '4.3.2',
    ]);
  });

  it('an attempt that hangs is cut at attemptTimeoutMs, its signal aborted, and the next tried', async () => {
    const s = scripted({
      '2001:db8::1': 'hang',
      '192.0.2.1': { type: 'accepted', value: 'conn-b' },
    });
    const started = performance.now();
    const r = await tryMxTargets(targets, s.tryTarget, { attemptTimeoutMs: 100 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(r.value).toBe('conn-b');
    expect(r.attempts.map((a) => a.outcome)).toEqual(['timeout', 'accepted']);
    expect(s.signals.map((x) => x.aborted)).toEqual([true, false]);
  });

  it('an exception from the callback is not an outcome: it propagates at once', async () => {
    const bug = new TypeError('bug in the callback');
    let calls = 0;
    await expect(
      tryMxTargets(targets, async () => {
        calls++;
        throw bug;
      }),
    ).rejects.toBe(bug);
    expect(calls).toBe(1);
  });

  it('refuses no targets, a bad port or a bad timeout as misuse', async () => {
    const s = scripted({});
    for (const [list, options] of [
      [[], {}],
      [targets, { port: 0 }],
      [targets, { port: 70_000 }],
      [targets, { attemptTimeoutMs: 0 }],
    ] as const) {
      const e = await rejection(tryMxTargets(list, s.tryTarget, options));
      expect([e.code, e.misuse]).toEqual(['ERR_CLIENT_MISUSE_INVALID_ARGUMENT', true]);
    }
    expect(s.calls).toEqual([]);
  });
});
