// A data hook slower than the data termination timeout: the client is told 421 (so it keeps the
// message and retries), and a hook that commits afterwards delivers a second copy. The hook's
// `ctx.signal` must be aborted by then, so the application can refuse to commit.
//
// RFC 5321 §4.5.3.2.6, DATA Termination (the client's wait for "250 OK"): "A spurious timeout at
// this point would be very wasteful and would typically result in delivery of multiple copies of
// the message, since it has been successfully sent and the server has accepted responsibility for
// delivery." The server side of the same race: a 421 says "not accepted", so nothing may be
// committed after it.
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, eventually, sleep, startAttackServer } from './attack-server.js';

const SHORT = 300;

/** What the slow hook saw at the moment it would have committed. */
interface CommitView {
  aborted: boolean;
  reason: unknown;
  /** `ctx.signal` read before the wait was not yet aborted. */
  abortedAtStart: boolean;
  /** The `abort` event fired while the hook waited. */
  eventFired: boolean;
}

describe('data hook aborted on timeout or disconnect', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  /** A server whose data hook (after the recording hook read the body) waits `commitAfterMs`. */
  async function slowCommitServer(
    commitAfterMs: number,
    commits: CommitView[],
    timeouts: Record<string, number> = {},
  ): Promise<AttackServer> {
    return startAttackServer({
      limits: { timeouts } as never,
      hooks: {
        data: async (ctx: { signal: AbortSignal }) => {
          const signal = ctx.signal;
          const view: CommitView = {
            aborted: false,
            reason: undefined,
            abortedAtStart: signal.aborted,
            eventFired: false,
          };
          signal.addEventListener('abort', () => {
            view.eventFired = true;
          });
          await sleep(commitAfterMs);
          view.aborted = signal.aborted;
          view.reason = signal.reason;
          commits.push(view);
        },
      } as never,
    });
  }

  it('data termination timeout: 421 4.4.2 to the client, and the signal is aborted (timeout) before the late commit', async () => {
    const commits: CommitView[] = [];
    s = await slowCommitServer(SHORT * 4, commits, { dataTermination: SHORT });
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n',
    );
    expect((await client.readReplies(3)).map((r) => r.code)).toEqual([250, 250, 354]);
    await client.write('hi\r\n.\r\n');
    expect(replyStatus(await client.readReply(SHORT * 10))).toBe(
      replyStatus(replies.R421_4_4_2_Timeout),
    );
    expect(await client.waitClose(3000)).toBe(true);
    expect(await eventually(() => commits.length === 1, SHORT * 10)).toBe(true);
    expect(s.log.data[0]?.body.toString()).toBe('hi\r\n');
    expect(commits[0]).toEqual({
      aborted: true,
      reason: 'timeout',
      abortedAtStart: false,
      eventFired: true,
    });
  });

  it('client disconnect while the hook is pending: the signal is aborted (closed)', async () => {
    const commits: CommitView[] = [];
    s = await slowCommitServer(SHORT * 3, commits);
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n',
    );
    expect((await client.readReplies(3)).map((r) => r.code)).toEqual([250, 250, 354]);
    await client.write('hi\r\n.\r\n');
    // The hook has the whole body and is waiting to commit: the client goes away.
    expect(await eventually(() => s?.log.data[0]?.completed === true, 3000)).toBe(true);
    // A reset: the client is gone. A plain FIN is a half-close (the client may still read the
    // 250, RFC 9293 §3.6), which aborts nothing.
    client.socket.resetAndDestroy();
    expect(await eventually(() => commits.length === 1, SHORT * 10)).toBe(true);
    expect(commits[0]).toEqual({
      aborted: true,
      reason: 'closed',
      abortedAtStart: false,
      eventFired: true,
    });
  });

  it('a hook that finishes in time commits with a signal that was never aborted', async () => {
    const commits: CommitView[] = [];
    s = await slowCommitServer(10, commits, { dataTermination: SHORT * 10 });
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n',
    );
    expect((await client.readReplies(3)).map((r) => r.code)).toEqual([250, 250, 354]);
    await client.write('hi\r\n.\r\n');
    expect(replyStatus(await client.readReply())).toBe(
      replyStatus(replies.R250_2_0_0_MessageAccepted),
    );
    expect(commits).toEqual([
      { aborted: false, reason: undefined, abortedAtStart: false, eventFired: false },
    ]);
  });

  it('a forced server close (graceful window over) aborts the pending hook (shutdown)', async () => {
    const commits: CommitView[] = [];
    s = await slowCommitServer(SHORT * 4, commits);
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n',
    );
    expect((await client.readReplies(3)).map((r) => r.code)).toEqual([250, 250, 354]);
    await client.write('hi\r\n.\r\n');
    expect(await eventually(() => s?.log.data[0]?.completed === true, 3000)).toBe(true);
    const server = s.server;
    s = undefined;
    await server.close({ graceful: true, timeoutMs: SHORT });
    expect(await eventually(() => commits.length === 1, SHORT * 10)).toBe(true);
    expect(commits[0]).toEqual({
      aborted: true,
      reason: 'shutdown',
      abortedAtStart: false,
      eventFired: true,
    });
  });

  it('every hook has the signal: a slow mail hook sees it aborted when the client goes away', async () => {
    const seen: Array<{ aborted: boolean; reason: unknown }> = [];
    let started = false;
    s = await startAttackServer({
      hooks: {
        mail: async (ctx: { signal: AbortSignal }) => {
          started = true;
          await sleep(SHORT * 2);
          seen.push({ aborted: ctx.signal.aborted, reason: ctx.signal.reason });
        },
      } as never,
    });
    client = await RawSmtpClient.greeted(s.port);
    await client.write('MAIL FROM:<alice@sender.example>\r\n');
    expect(await eventually(() => started, 3000)).toBe(true);
    client.socket.resetAndDestroy(); // gone (a plain FIN is a half-close)
    expect(await eventually(() => seen.length === 1, SHORT * 10)).toBe(true);
    expect(seen).toEqual([{ aborted: true, reason: 'closed' }]);
  });
});
