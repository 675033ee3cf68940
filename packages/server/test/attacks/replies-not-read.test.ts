// A client that pipelines commands and never reads the replies: each command is answered, the
// kernel's send buffer fills, and a server that keeps reading keeps queueing replies in its own
// memory, without bound (48 MiB of pipelined NOOPs grew a sink from 58 to 204 MiB RSS). Postfix,
// aiosmtpd and nodemailer's smtp-server stop reading such a client after 3–6 MiB: its commands
// then wait in the kernel's buffers, and its own writes stop being accepted.
//
// Summary, not a quotation: RFC 2920 §3.1 lets a client send a group of commands without waiting,
// and §3.2 expects it to read the replies; the server owes nothing to one that does not, and must
// not spend unbounded memory on it.
import diagnosticsChannel from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, sleep, startAttackServer } from './attack-server.js';

const KIB = 1024;
const MIB = 1024 * KIB;

/** Never more than this is offered: the server must stop reading long before. */
const FLOOD_LIMIT = 48 * MIB;
/**
 * Replies the server may hold for a client that does not read (its own buffer, not the kernel's):
 * the socket's writable high-water mark plus the replies to one read (64 KiB of `NOOP\r\n` is
 * answered with ~150 KiB).
 */
const PENDING_BOUND = 512 * KIB;
/**
 * The server has stopped reading when its byte count has not moved for this long, over at least
 * `STALL_CHECKS` turns of the event loop (each polls the sockets: a process that was merely not
 * scheduled for a while does not look stalled; client and server share this one loop).
 */
const STALL_MS = 250;
const STALL_CHECKS = 20;
/** Bound on each phase of the flood. */
const PHASE_MS = 3000;

/** 64 KiB of `NOOP\r\n`: 14 octets of reply for every 6 octets read. */
const NOOPS = Buffer.from('NOOP\r\n'.repeat((64 * KIB) / 6));
/**
 * 64 KiB of NOOPs with an argument (RFC 5321 §4.1.1.9), 512 octets each: once the server has
 * stopped reading, these fill the kernel's buffers towards it with few commands, so that answering
 * them all at the end stays quick.
 */
const LONG_NOOPS = Buffer.from(`NOOP ${'x'.repeat(505)}\r\n`.repeat(128));

describe('replies not read', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  const accepted: Socket[] = [];
  const onAccepted = (message: unknown): void => {
    accepted.push((message as { socket: Socket }).socket);
  };
  afterEach(async () => {
    diagnosticsChannel.unsubscribe('net.server.socket', onAccepted);
    accepted.length = 0;
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  it('pipelined NOOPs never read: the server stops reading, its reply buffer stays bounded, all answered once the client reads', async () => {
    s = await startAttackServer();
    diagnosticsChannel.subscribe('net.server.socket', onAccepted);
    client = await RawSmtpClient.greeted(s.port);
    const server = accepted[0];
    if (server === undefined) throw new Error('the server socket was not seen');
    // A client that does not read: its socket stops reading (the kernel then stops taking replies).
    const raw = client.socket;
    raw.pause();
    const repliesBefore = client.replies.length;

    let offered = 0;
    let noops = 0;
    let maxPending = 0;
    const readBefore = server.bytesRead;
    /** Samples the server; true once it has stopped reading (or holds too much). */
    let lastRead = server.bytesRead;
    let lastMove = Date.now();
    let quietChecks = 0;
    const stalled = (): boolean => {
      maxPending = Math.max(maxPending, server.writableLength);
      if (maxPending > PENDING_BOUND) return true; // fails below; no need to flood any further
      if (server.bytesRead !== lastRead) {
        lastRead = server.bytesRead;
        lastMove = Date.now();
        quietChecks = 0;
        return false;
      }
      quietChecks += 1;
      return quietChecks >= STALL_CHECKS && Date.now() - lastMove >= STALL_MS;
    };

    // 1. `NOOP\r\n` no more than 256 KiB ahead of what the server read, until it stops reading:
    // its replies fill the kernel's buffers towards the client, then its own.
    let deadline = Date.now() + PHASE_MS;
    while (!stalled() && Date.now() < deadline) {
      while (offered - (server.bytesRead - readBefore) < 256 * KIB) {
        raw.write(NOOPS);
        offered += NOOPS.length;
        noops += NOOPS.length / 6;
      }
      await sleep(2);
    }
    expect(maxPending).toBeLessThan(PENDING_BOUND);
    expect(quietChecks).toBeGreaterThanOrEqual(STALL_CHECKS);
    const readAtStall = server.bytesRead;

    // 2. More commands: the kernel's buffers towards the server fill, then the client's writes are
    // no longer accepted (they stay in its own buffer).
    deadline = Date.now() + PHASE_MS;
    lastMove = Date.now();
    quietChecks = 0;
    for (;;) {
      while (raw.writableLength < 256 * KIB && offered < FLOOD_LIMIT) {
        raw.write(LONG_NOOPS);
        offered += LONG_NOOPS.length;
        noops += 128;
      }
      if ((stalled() && raw.writableLength > 0) || offered >= FLOOD_LIMIT) break;
      if (Date.now() > deadline) break;
      await sleep(5);
    }
    expect(maxPending).toBeLessThan(PENDING_BOUND);
    expect(server.bytesRead).toBe(readAtStall);
    expect(raw.writableLength).toBeGreaterThan(0);
    expect(offered).toBeLessThan(16 * MIB);

    // The client reads at last: every NOOP is answered, in order, then QUIT.
    raw.write('QUIT\r\n');
    raw.resume();
    expect(await client.waitClose(10_000)).toBe(true);
    const answered = client.replies.slice(repliesBefore);
    expect(answered).toHaveLength(noops + 1);
    expect(answered.every((r, i) => i === noops || r.code === 250)).toBe(true);
    expect(replyStatus(answered[noops])).toBe(replyStatus(replies.R221_2_0_0_ServiceClosing));
  }, 20_000);
});
