// A fast client and a slow data hook (slow disk, slow queue): without backpressure the server
// buffers the whole message in memory while the hook catches up, and a few clients sending large
// messages exhaust it. The DATA body must reach the hook as a stream that pauses the socket
// (DESIGN.md: "pipes `body` into the hook's stream with backpressure (pause the socket while the
// hook is slow)").
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { defaultExtensions } from '@smtpkit/extensions';
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, eventually, sleep, startAttackServer } from './attack-server.js';

const MIB = 1024 * 1024;

function liveBytes(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers + m.external;
}

describe('slow data hook', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  it('32 MiB sent fast to a hook that has not started reading: server memory stays bounded', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    s = await startAttackServer(
      { extensions: defaultExtensions({ size: { max: 64 * MIB } }) },
      { beforeDataRead: () => gate },
    );
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n',
    );
    expect((await client.readReplies(3)).map((r) => r.code)).toEqual([250, 250, 354]);
    const before = liveBytes();
    const line = Buffer.from(`${'x'.repeat(998)}\r\n`);
    const block = Buffer.concat(Array.from({ length: 64 }, () => line)); // 64,000 octets
    // Not awaited: a paused server stops draining the socket; the client queues references to
    // one block, so the client side does not grow either.
    for (let i = 0; i < 512; i++) client.writeNoWait(block);
    await sleep(1000);
    const growth = liveBytes() - before;
    // Whatever the hook has not consumed stays in the kernel's socket buffers, not in the server.
    expect(growth).toBeLessThan(8 * MIB);
    expect(s.log.data[0]?.received ?? 0).toBe(0);
    release();
    // Once the hook reads, the data flows again.
    expect(await eventually(() => (s?.log.data[0]?.received ?? 0) > 4 * MIB, 10_000)).toBe(true);
  });

  it('a hook reading slowly still gets every byte, then 250', async () => {
    s = await startAttackServer(
      {
        extensions: defaultExtensions({ size: { max: 64 * MIB } }),
      },
      { chunkDelayMs: 5 },
    );
    client = await RawSmtpClient.greeted(s.port);
    await client.write(
      'MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n',
    );
    expect((await client.readReplies(3)).map((r) => r.code)).toEqual([250, 250, 354]);
    const line = `${'y'.repeat(998)}\r\n`;
    const body = line.repeat(4096); // 4 MiB
    await client.write(`${body}.\r\n`);
    expect(replyStatus(await client.readReply(20_000))).toBe(
      replyStatus(replies.R250_2_0_0_MessageAccepted),
    );
    expect(s.log.data[0]?.body.length).toBe(body.length);
  });
});
