// HTTP requests sent to an SMTP port (cross-protocol attacks from browsers, and scanners): the
// server must not treat the request lines and headers as SMTP commands one by one; it closes.
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, startAttackServer } from './attack-server.js';

describe('HTTP probe', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  for (const request of [
    'GET / HTTP/1.1\r\nHost: mx.attack.example\r\n\r\n',
    'POST /form HTTP/1.1\r\nHost: mx.attack.example\r\nContent-Length: 42\r\n\r\n' +
      'MAIL FROM:<a@b.example>\r\nRCPT TO:<c@d>\r\n',
    'CONNECT mx.attack.example:25 HTTP/1.1\r\n\r\n',
  ]) {
    it(`${request.split(' ')[0]} request: closed, no command runs`, async () => {
      s = await startAttackServer();
      client = await RawSmtpClient.connect(s.port);
      expect((await client.readReply()).code).toBe(220);
      await client.write(request);
      expect(await client.waitClose(3000)).toBe(true);
      const answers = client.replies.slice(1);
      // At most one refusal (500 5.5.1 or similar), never a reply per header line.
      expect(answers.length).toBeLessThanOrEqual(1);
      for (const r of answers) {
        expect(r.code).toBeGreaterThanOrEqual(500);
        if (r.enhanced !== undefined)
          expect(replyStatus(r)).toBe(replyStatus(replies.R500_5_5_1_HttpProbe));
      }
      expect(s.log.mail).toEqual([]);
      expect(s.log.helo).toEqual([]);
    });
  }

  it('control: an SMTP command that merely starts with GET-like text is not a probe', async () => {
    s = await startAttackServer();
    client = await RawSmtpClient.greeted(s.port);
    await client.write('NOOP GET / HTTP/1.1\r\n');
    expect((await client.readReply()).code).toBe(250);
    expect(client.closed).toBe(false);
  });
});
