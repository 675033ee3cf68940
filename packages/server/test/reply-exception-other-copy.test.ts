// A hook may throw a ReplyException that is not the server's own class: the application loaded
// @smtpkit/reply through require() while the server came through import (two module formats, two
// classes), or npm nested a second copy of @smtpkit/reply. The server must still send the hook's
// own reply, not 451 4.3.0: it recognises the error by its Symbol.for brand, not by instanceof.
import { createRequire } from 'node:module';
import { defaultExtensions } from '@smtpkit/extensions';
import * as esm from '@smtpkit/reply';
import { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type SmtpServer } from '../src/index.js';

// The CommonJS build of @smtpkit/reply (dist/index.cjs): a second ReplyException class.
const cjs = createRequire(import.meta.url)('@smtpkit/reply') as typeof esm;

let server: SmtpServer | undefined;
let client: RawSmtpClient | undefined;
afterEach(async () => {
  client?.destroy();
  client = undefined;
  await server?.close({ graceful: false });
  server = undefined;
});

describe('a ReplyException from the other module format', () => {
  it('is a second class, which instanceof does not recognise', () => {
    const thrown = new cjs.ReplyException(cjs.replies.R550_5_1_1_NoSuchUser);
    expect(cjs.ReplyException).not.toBe(esm.ReplyException);
    expect(thrown instanceof esm.ReplyException).toBe(false);
    expect(esm.isReplyException(thrown)).toBe(true);
  });

  for (const hook of ['mail', 'rcpt'] as const) {
    it(`thrown by the ${hook} hook sends the hook's 550, not 451`, async () => {
      server = createServer({
        hostname: 'mx.example',
        extensions: defaultExtensions(),
        hooks: {
          [hook]: async () => {
            throw new cjs.ReplyException(
              cjs.withText(cjs.replies.R550_5_1_1_NoSuchUser, 'no such user here'),
            );
          },
        },
      });
      const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
      client = await RawSmtpClient.connect(port);
      await client.readCodes();
      await client.write('EHLO c.example\r\nMAIL FROM:<a@x.example>\r\n');
      const replies = await client.readReplies(2);
      let last = replies[1];
      if (hook === 'rcpt') {
        await client.write('RCPT TO:<nobody@x.example>\r\n');
        [last] = await client.readReplies(1);
      }
      expect(last?.raw).toEqual(['550 5.1.1 no such user here']);
    });
  }

  it("thrown by the data hook sends the hook's 554, not 451", async () => {
    server = createServer({
      hostname: 'mx.example',
      extensions: defaultExtensions(),
      hooks: {
        data: async (_ctx, message) => {
          for await (const _ of message.stream);
          throw new cjs.ReplyException(cjs.replies.R554_5_4_4_UnableToRoute);
        },
      },
    });
    const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
    client = await RawSmtpClient.connect(port);
    await client.readCodes();
    await client.write('EHLO c.example\r\nMAIL FROM:<a@x.example>\r\nRCPT TO:<b@x.example>\r\n');
    expect(await client.readCodes(3)).toEqual([250, 250, 250]);
    await client.write('DATA\r\n');
    expect(await client.readCodes()).toEqual([354]);
    await client.write('Subject: hi\r\n\r\nbody\r\n.\r\n');
    const [reply] = await client.readReplies(1);
    expect(reply?.code).toBe(554);
    expect(reply?.raw[0]).toMatch(/^554 5\.4\.4 /);
  });

  it('an object that only claims the brand, with a reply that is not valid, gets 451 4.3.0', async () => {
    const forged = Object.assign(new Error('forged'), {
      [Symbol.for('@smtpkit/reply.ReplyException')]: true,
      reply: { code: 250, lines: ['ok\r\n250 forged'] },
    });
    server = createServer({
      hostname: 'mx.example',
      extensions: defaultExtensions(),
      hooks: {
        mail: async () => {
          throw forged;
        },
      },
    });
    const { port } = await server.listen({ host: '127.0.0.1', port: 0 });
    client = await RawSmtpClient.connect(port);
    await client.readCodes();
    await client.write('EHLO c.example\r\nMAIL FROM:<a@x.example>\r\n');
    const replies = await client.readReplies(2);
    expect(replies[1]?.raw[0]).toMatch(/^451 4\.3\.0 /);
  });
});
