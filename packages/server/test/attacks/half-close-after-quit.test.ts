// A client that sends its message, the final `.`, QUIT and then half-closes (TCP FIN right after
// QUIT, as `socket.end()` after writing everything does) must still get the 250 for its message
// and the 221, and the message must be stored. Before the fix the server read the FIN as "the
// client is gone": it aborted the data hook and closed without either reply, so the client
// rightly treated the message as not delivered while the MTA may already have queued it.
//
// Summaries, not quotations: RFC 5321 §4.1.1.4 has the server answer the end of mail data once it
// has taken responsibility for the message, and §4.1.1.10 has it send 221 to QUIT and only then
// close the channel. RFC 9293 §3.6: a FIN says only that the peer will send nothing more; the
// connection stays open for the other direction. Postfix, aiosmtpd and nodemailer's smtp-server
// all answer and keep the message.
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, eventually, sleep, startAttackServer } from './attack-server.js';

/** How long the data hook takes after reading the body (an MTA making the message durable). */
const DURABLE_MS = 50;

const ENVELOPE = 'MAIL FROM:<alice@sender.example>\r\nRCPT TO:<bob@rcpt.example>\r\nDATA\r\n';
const BODY = 'Subject: half-close\r\n\r\nthe whole message\r\n';

describe('half-close after QUIT', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  /** `ctx.signal.aborted` as the data hook saw it at its end, one entry per call. */
  let abortedAtCommit: boolean[] = [];
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
    abortedAtCommit = [];
  });

  async function start(): Promise<AttackServer> {
    return startAttackServer({
      hooks: {
        data: async (ctx: unknown) => {
          await sleep(DURABLE_MS);
          abortedAtCommit.push((ctx as { signal: AbortSignal }).signal.aborted);
        },
      },
    });
  }

  function expectStoredWhole(server: AttackServer): void {
    expect(server.log.data).toHaveLength(1);
    expect(server.log.data[0]?.completed).toBe(true);
    expect(server.log.data[0]?.body.toString()).toBe(BODY);
    expect(abortedAtCommit).toEqual([false]);
  }

  it('message, `.`, QUIT, FIN: 250 and 221, the hook got the whole message, not aborted', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    await client.write(ENVELOPE);
    expect((await client.readReplies(3)).map((r) => r.code)).toEqual([250, 250, 354]);
    await client.write(`${BODY}.\r\nQUIT\r\n`);
    client.end();
    expect(replyStatus(await client.readReplyOrClose())).toBe(
      replyStatus(replies.R250_2_0_0_MessageAccepted),
    );
    expect(replyStatus(await client.readReplyOrClose())).toBe(
      replyStatus(replies.R221_2_0_0_ServiceClosing),
    );
    expect(await client.waitClose()).toBe(true);
    expectStoredWhole(s);
  });

  it('MAIL, RCPT, DATA, body, `.`, QUIT and FIN in one write: every reply, message stored', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    client.writeNoWait(`${ENVELOPE}${BODY}.\r\nQUIT\r\n`);
    client.end();
    const answers: string[] = [];
    for (let i = 0; i < 5; i++) answers.push(replyStatus(await client.readReplyOrClose()));
    expect(answers).toEqual([
      replyStatus(replies.R250_2_1_0_SenderOk),
      replyStatus(replies.R250_2_1_5_RecipientOk),
      replyStatus(replies.R354_StartMailInput),
      replyStatus(replies.R250_2_0_0_MessageAccepted),
      replyStatus(replies.R221_2_0_0_ServiceClosing),
    ]);
    expect(await client.waitClose()).toBe(true);
    expectStoredWhole(s);
  });

  it('message, `.`, FIN without QUIT: the 250 still comes, then the server closes', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    await client.write(ENVELOPE);
    expect((await client.readReplies(3)).map((r) => r.code)).toEqual([250, 250, 354]);
    await client.write(`${BODY}.\r\n`);
    client.end();
    expect(replyStatus(await client.readReplyOrClose())).toBe(
      replyStatus(replies.R250_2_0_0_MessageAccepted),
    );
    expect(await client.waitClose()).toBe(true);
    expect(client.pending).toBe(0);
    expectStoredWhole(s);
  });

  it('an idle client that half-closes is closed at once', async () => {
    s = await start();
    client = await RawSmtpClient.greeted(s.port);
    client.end();
    expect(await client.waitClose(1000)).toBe(true);
    expect(client.pending).toBe(0);
  });

  it('a client that half-closes and never reads cannot hold the connection: the session timeout still ends it', async () => {
    let reason: unknown;
    s = await startAttackServer({
      limits: { timeouts: { dataTermination: 200 } },
      hooks: {
        // A store that hangs: only the session's timeout (RFC 5321 §4.5.3.2.6) ends the wait.
        data: (ctx: unknown) =>
          new Promise<void>((_resolve, reject) => {
            const signal = (ctx as { signal: AbortSignal }).signal;
            signal.addEventListener('abort', () => {
              reason = signal.reason;
              reject(new Error('aborted'));
            });
          }),
      },
    });
    client = await RawSmtpClient.greeted(s.port);
    await client.write(ENVELOPE);
    expect((await client.readReplies(3)).map((r) => r.code)).toEqual([250, 250, 354]);
    client.socket.pause();
    await client.write(`${BODY}.\r\nQUIT\r\n`);
    client.end();
    const server = s.server;
    expect(await eventually(() => server.connections === 0, 2000)).toBe(true);
    expect(reason).toBe('timeout');
  });
});
