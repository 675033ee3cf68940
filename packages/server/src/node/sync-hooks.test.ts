// Hooks that answer at once (no promise): decided in the turn of their command, with the same
// outcomes as async hooks (a returned Reply, a thrown ReplyException, any other throw: 451 4.3.0),
// and a pipelined group (RFC 2920 §3.2) still answered with one write.
import { ReplyException, replies, withText } from '@smtpkit/reply';
import type { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer, type ServerHooks, type SmtpServer } from '../index.js';
import { greetedClientWithWrites } from './greeted-client.test-support.js';

let server: SmtpServer | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await server?.close({ graceful: false });
  server = undefined;
});

/** A server with `hooks`, a greeted client, and the writes the server's sockets make. */
async function start(hooks: ServerHooks): Promise<{ c: RawSmtpClient; writes: string[] }> {
  server = createServer({ hostname: 'mx.example', hooks });
  const { port } = await server.listen({ port: 0 });
  return greetedClientWithWrites(port);
}

describe('hooks that answer at once', () => {
  it('give the outcomes async hooks give: a Reply, a ReplyException, another throw', async () => {
    const errors: unknown[] = [];
    const { c } = await start({
      mail: () => withText(replies.R250_2_1_0_SenderOk, 'sender fine'),
      rcpt: (_ctx, to) => {
        if (to.kind !== 'mailbox') return undefined;
        if (to.mailbox.localPart === 'nobody') {
          throw new ReplyException(replies.R550_5_1_1_NoSuchUser);
        }
        if (to.mailbox.localPart === 'broken') {
          const error = new Error('lookup failed');
          errors.push(error);
          throw error;
        }
        return undefined;
      },
      data: (_ctx, message) => {
        void message.discard();
        return withText(replies.R250_2_0_0_Ok, 'kept');
      },
    });
    await c.write('MAIL FROM:<a@x.example>\r\n');
    expect((await c.readReply()).raw).toEqual(['250 2.1.0 sender fine']);
    await c.write('RCPT TO:<nobody@y.example>\r\n');
    expect(await c.readCodes()).toEqual([550]);
    await c.write('RCPT TO:<broken@y.example>\r\n');
    expect((await c.readReply()).raw).toEqual([expect.stringMatching(/^451 4\.3\.0 /)]);
    await c.write('RCPT TO:<b@y.example>\r\n');
    expect(await c.readCodes()).toEqual([250]);
    await c.write('DATA\r\n');
    expect(await c.readCodes()).toEqual([354]);
    await c.write('Subject: t\r\n\r\nbody\r\n.\r\n');
    expect((await c.readReply()).raw).toEqual(['250 2.0.0 kept']);
    expect(errors).toHaveLength(1);
    c.destroy();
  });

  it('answer a pipelined group in one write, the hooks called in command order', async () => {
    const calls: string[] = [];
    const { c, writes } = await start({
      mail: () => {
        calls.push('mail');
      },
      rcpt: (_ctx, to) => {
        calls.push(`rcpt ${to.kind === 'mailbox' ? to.mailbox.localPart : to.kind}`);
        if (to.kind === 'mailbox' && to.mailbox.localPart === 'c') {
          throw new ReplyException(replies.R550_5_1_1_NoSuchUser);
        }
      },
    });
    c.writeNoWait(
      'MAIL FROM:<a@x.example>\r\nRCPT TO:<b@y.example>\r\nRCPT TO:<c@y.example>\r\nDATA\r\n',
    );
    expect(await c.readCodes(4)).toEqual([250, 250, 550, 354]);
    expect(writes).toHaveLength(1);
    expect(calls).toEqual(['mail', 'rcpt b', 'rcpt c']);
    c.writeNoWait('Subject: t\r\n\r\nbody\r\n.\r\nQUIT\r\n');
    expect(await c.readCodes(2)).toEqual([250, 221]);
    c.destroy();
  });

  it('decide before the next turn of the microtask queue', async () => {
    let writesSeenByMicrotask = -1;
    const { c, writes } = await start({
      mail: () => {
        // A microtask queued by the hook runs after the decision, which needs none: by then
        // the reply is written.
        queueMicrotask(() => {
          writesSeenByMicrotask = writes.length;
        });
      },
    });
    await c.write('MAIL FROM:<a@x.example>\r\n');
    expect(await c.readCodes()).toEqual([250]);
    expect(writesSeenByMicrotask).toBe(1);
    c.destroy();
  });

  it('take a thenable that is not a native promise as a promise', async () => {
    const { c } = await start({
      // A promise-like of another library: only its `then`.
      rcpt: (() =>
        Object.fromEntries([
          [
            'then',
            (resolve: (value: unknown) => void) => {
              setTimeout(() => resolve(withText(replies.R250_2_1_5_RecipientOk, 'later')), 5);
            },
          ],
        ])) as unknown as NonNullable<ServerHooks['rcpt']>,
    });
    await c.write('MAIL FROM:<a@x.example>\r\n');
    expect(await c.readCodes()).toEqual([250]);
    await c.write('RCPT TO:<b@y.example>\r\n');
    expect((await c.readReply()).raw).toEqual(['250 2.1.5 later']);
    c.destroy();
  });
});
