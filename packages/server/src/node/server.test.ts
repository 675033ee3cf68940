import { defaultExtensions } from '@smtpkit/extensions';
import { ReplyException, replies } from '@smtpkit/reply';
import { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type SmtpServer } from '../index.js';

let server: SmtpServer | undefined;
afterEach(async () => {
  await server?.close({ graceful: false });
  server = undefined;
});

describe('createServer over a real socket', () => {
  it('receives a message: EHLO, MAIL, RCPT, DATA with the body streamed to the data hook, QUIT', async () => {
    const bodies: string[] = [];
    const envelopes: unknown[] = [];
    server = createServer({
      hostname: 'mx.example',
      extensions: defaultExtensions({ size: { max: 1000 } }),
      hooks: {
        data: async (ctx, message) => {
          envelopes.push(ctx.envelope?.recipients.length);
          const chunks: Buffer[] = [];
          for await (const chunk of message.stream) chunks.push(chunk as Buffer);
          bodies.push(Buffer.concat(chunks).toString('latin1'));
        },
      },
    });
    const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
    const c = await RawSmtpClient.connect(port);
    expect(await c.readCodes()).toEqual([220]);
    await c.write('EHLO client.example\r\n');
    const [ehlo] = (await c.readReplies(1)).map((reply) => reply.raw);
    expect(ehlo?.[0]).toBe('250-mx.example');
    expect(ehlo).toContain('250-SIZE 1000');
    await c.write('MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.com>\r\nDATA\r\n');
    expect(await c.readCodes(3)).toEqual([250, 250, 354]);
    await c.write('Subject: hi\r\n\r\n..dot\r\n.\r\nQUIT\r\n');
    const final = (await c.readReplies(2)).map((reply) => reply.raw);
    expect(final[0]?.[0]).toMatch(/^250 2\.0\.0 /);
    expect(final[1]?.[0]).toMatch(/^221 2\.0\.0 /);
    expect(await c.waitClose()).toBe(true);
    expect(bodies).toEqual(['Subject: hi\r\n\r\n.dot\r\n']);
    expect(envelopes).toEqual([1]);
  });

  it('sends the final reply only after the data hook resolves, and a thrown reply as is', async () => {
    let release: (() => void) | undefined;
    server = createServer({
      hostname: 'mx.example',
      hooks: {
        rcpt: async (_ctx, to) => {
          if (to.kind === 'mailbox' && to.mailbox.localPart === 'nobody') {
            throw new ReplyException(replies.R550_5_1_1_NoSuchUser);
          }
        },
        data: async (_ctx, message) => {
          for await (const _ of message.stream);
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        },
      },
    });
    const { port } = await server.listen({ port: 0 });
    const c = await RawSmtpClient.connect(port);
    await c.readCodes();
    await c.write(
      'EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<nobody@x.example>\r\nRCPT TO:<p@x.example>\r\nDATA\r\n',
    );
    expect(await c.readCodes(5)).toEqual([250, 250, 550, 250, 354]);
    await c.write('x\r\n.\r\n');
    await new Promise((r) => setTimeout(r, 50));
    expect(release).toBeDefined();
    release?.();
    expect(await c.readCodes()).toEqual([250]);
    c.destroy();
  });

  it('answers 451 4.3.0 when a hook throws something else', async () => {
    server = createServer({
      hostname: 'mx.example',
      hooks: {
        mail: async () => {
          throw new Error('database down');
        },
      },
    });
    const { port } = await server.listen({ port: 0 });
    const c = await RawSmtpClient.connect(port);
    await c.readCodes();
    await c.write('EHLO c\r\nMAIL FROM:<a@b.example>\r\n');
    const r = (await c.readReplies(2)).map((reply) => reply.raw);
    expect(r[1]).toEqual(['451 4.3.0 Requested action aborted: local error in processing']);
    c.destroy();
  });
});
