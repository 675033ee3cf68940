// A command line that never ends: a server that buffers until it sees LF can be made to hold any
// amount of memory per connection.
//
// RFC 5321 §4.5.3.1.4: "The maximum total length of a command line including the command word and
// the <CRLF> is 512 octets." RFC 5321 §4.2.2: "500 Syntax error, command unrecognized (This may
// include errors such as command line too long)"; RFC 3463 X.5.2 "Syntax error".
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

const MIB = 1024 * 1024;

/** A full collection, so heap and buffer readings count live memory only. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

function liveBytes(): number {
  collect();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers + m.external;
}

/** Writes `total` octets of 'A' in 64 KiB writes of one reused buffer (no client-side growth). */
async function writeEndless(client: RawSmtpClient, total: number): Promise<void> {
  const block = Buffer.alloc(64 * 1024, 0x41);
  for (let sent = 0; sent < total; sent += block.length) {
    await client.write(block.subarray(0, Math.min(block.length, total - sent)));
  }
}

describe('endless command line', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  it('1 MiB without a newline: one 500 5.5.2, then the next command works', async () => {
    s = await startAttackServer();
    client = await RawSmtpClient.greeted(s.port);
    await writeEndless(client, MIB);
    await client.write('\r\nNOOP\r\n');
    const first = await client.readReplyOrClose(5000);
    if (first === undefined) {
      // Closed per policy: a new connection is served normally.
      const next = await RawSmtpClient.greeted(s.port);
      await next.write('NOOP\r\n');
      expect(replyStatus(await next.readReply())).toBe(replyStatus(replies.R250_2_0_0_Ok));
      next.destroy();
      return;
    }
    expect(replyStatus(first)).toBe(replyStatus(replies.R500_5_5_2_LineTooLong));
    // Exactly one error for the long line, then NOOP's own reply.
    const rest = await client.drain(300);
    expect(rest.map(replyStatus)).toEqual([replyStatus(replies.R250_2_0_0_Ok)]);
    await client.write('MAIL FROM:<alice@sender.example>\r\n');
    expect(replyStatus(await client.readReply())).toMatch(/^250/);
  });

  it('the 500 comes without waiting for the newline (the line is dropped as it streams)', async () => {
    s = await startAttackServer();
    client = await RawSmtpClient.greeted(s.port);
    await writeEndless(client, MIB);
    const reply = await client.readReplyOrClose(5000);
    expect(replyStatus(reply)).toBe(replyStatus(replies.R500_5_5_2_LineTooLong));
  });

  it('16 MiB without a newline leaves the server memory bounded', async () => {
    s = await startAttackServer();
    client = await RawSmtpClient.greeted(s.port);
    // Warm up buffers and JIT with a first long line, so the reading below is marginal growth.
    await writeEndless(client, MIB);
    await client.write('\r\n');
    await client.drain(300);
    const before = liveBytes();
    await writeEndless(client, 16 * MIB);
    // The connection is still open and the line unterminated: whatever the server kept is live now.
    const growth = liveBytes() - before;
    expect(client.closed).toBe(false);
    expect(growth).toBeLessThan(4 * MIB);
    await client.write('\r\nNOOP\r\n');
    const answers = await client.drain(500);
    expect(answers.map(replyStatus)).toContain(replyStatus(replies.R250_2_0_0_Ok));
  });

  it('an endless line inside a command that the server paused on (pending hook) stays bounded', async () => {
    // The mail hook takes a while: the client pipelines an endless line behind MAIL. The server
    // must stop reading past limits.maxPendingBytes rather than buffer everything.
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    s = await startAttackServer({
      limits: { maxPendingBytes: 65536 },
      hooks: { mail: () => gate },
    });
    client = await RawSmtpClient.greeted(s.port);
    const before = liveBytes();
    await client.write('MAIL FROM:<alice@sender.example>\r\n');
    const block = Buffer.alloc(64 * 1024, 0x41);
    // Not awaited: a paused server stops draining the socket, and the client's writes queue up in
    // its own stream buffer (one reused block: the client does not grow either).
    for (let i = 0; i < 256; i++) client.writeNoWait(block);
    await new Promise((r) => setTimeout(r, 500));
    const growth = liveBytes() - before;
    // The client side holds 256 references to one block, a few KiB.
    expect(growth).toBeLessThan(4 * MIB);
    release();
    const reply = await client.readReply(5000);
    expect(replyStatus(reply)).toMatch(/^250/);
  });
});
