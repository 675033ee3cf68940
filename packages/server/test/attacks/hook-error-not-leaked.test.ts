// An application hook that throws an ordinary error (database down, a bug): the client gets a
// plain 451 4.3.0 and the error goes to the log; its message (connection strings, paths, host
// names, stack traces) never reaches the client. DESIGN.md: "any other throw becomes 451 4.3.0 and
// a log event".
import type { Reply } from '@smtpkit/reply';
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/index.js';
import { type AttackServer, startAttackServer } from './attack-server.js';

const SECRET = 'postgres://mail:hunter2@10.1.2.3/queue';

function recordingLogger(sink: string[]): Logger {
  const log =
    (level: string) =>
    (object: Record<string, unknown>, message?: string): void => {
      const err = object['err'] ?? object['error'];
      sink.push(
        `${level} ${message ?? ''} ${err instanceof Error ? err.message : ''} ${JSON.stringify(object, (_k, v) => (v instanceof Error ? v.message : v))}`,
      );
    };
  const logger: Logger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: () => logger,
  };
  return logger;
}

describe('hook errors are not leaked to the client', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  const logged: string[] = [];
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
    logged.length = 0;
  });

  const text = (r: Reply): string => r.lines.join('\n');

  for (const hook of ['mail', 'rcpt', 'data'] as const) {
    it(`${hook} hook throws: 451 4.3.0 without the error text, logged`, async () => {
      s = await startAttackServer({
        logger: recordingLogger(logged),
        hooks: {
          [hook]: async () => {
            throw new Error(`cannot reach ${SECRET}`);
          },
        },
      });
      client = await RawSmtpClient.greeted(s.port);
      await client.write('MAIL FROM:<alice@sender.example>\r\n');
      let reply = await client.readReply();
      if (hook !== 'mail') {
        await client.write('RCPT TO:<bob@rcpt.example>\r\n');
        reply = await client.readReply();
      }
      if (hook === 'data') {
        await client.write('DATA\r\n');
        expect((await client.readReply()).code).toBe(354);
        await client.write('Subject: x\r\n\r\nbody\r\n.\r\n');
        reply = await client.readReply();
      }
      expect(replyStatus(reply)).toBe(replyStatus(replies.R451_4_3_0_LocalError));
      expect(text(reply)).not.toContain('hunter2');
      expect(text(reply)).not.toContain('10.1.2.3');
      expect(logged.join('\n')).toContain('cannot reach');
      // The session survives a failing hook.
      await client.write('RSET\r\n');
      expect((await client.readReply()).code).toBe(250);
    });
  }
});
