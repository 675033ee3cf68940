// A client that opens BDAT messages and drops them with RSET (or a new EHLO) between chunks must
// not leave data hooks waiting for a body that never ends: each would hold its resources (a
// temporary file, a queue slot) until the process exits.
//
// RFC 5321 §4.1.1.5 (RSET): "Any stored sender, recipients, and mail data MUST be discarded, and
// all buffers and state tables cleared." RFC 5321 §4.1.4: an EHLO later in the session that the
// server accepts resets the state "exactly as if a RSET command had been issued".
import { replies } from '@smtpkit/reply';
import { RawSmtpClient, replyStatus } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AttackServer, eventually, startAttackServer } from './attack-server.js';

const MESSAGES = 50;
const TX = 'MAIL FROM:<a@b.test>\r\nRCPT TO:<x@y.test>\r\nBDAT 1\r\nx';

describe('BDAT messages abandoned between chunks', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
  });

  for (const reset of ['RSET', 'EHLO client.example']) {
    it(`${reset}: every abandoned data hook ends with an error`, async () => {
      s = await startAttackServer();
      client = await RawSmtpClient.greeted(s.port);
      await client.write(`${TX}${reset}\r\n`.repeat(MESSAGES));
      const answers = await client.readReplies(MESSAGES * 4);
      expect(answers.slice(0, 3).map(replyStatus)).toEqual([
        replyStatus(replies.R250_2_1_0_SenderOk),
        replyStatus(replies.R250_2_1_5_RecipientOk),
        replyStatus(replies.R250_2_0_0_ChunkAccepted),
      ]);
      expect(answers.every((r) => r.code === 250)).toBe(true);
      const log = s.log;
      expect(
        await eventually(
          () => log.data.length === MESSAGES && log.data.every((d) => d.error !== undefined),
        ),
      ).toBe(true);
      expect(log.data.every((d) => !d.completed)).toBe(true);
    });
  }

  it('the connection closing between chunks ends the data hook with an error', async () => {
    s = await startAttackServer();
    client = await RawSmtpClient.greeted(s.port);
    await client.write(TX);
    await client.readReplies(3);
    client.destroy();
    const log = s.log;
    expect(await eventually(() => log.data.length === 1 && log.data[0]?.error !== undefined)).toBe(
      true,
    );
  });
});
