// Real bounces from a private Postfix (its own config, queue and data directories, smtpd on a high
// port of 127.0.0.1), parsed with parseDsn. Postfix relays mail for reject.test to smtp-sink, which
// answers every RCPT with a hard 550 5.1.1; everything else (the bounce, to the sender) goes to a
// capture server. The bounce is Postfix's own: its RFC 3464 fields, its folding, its MIME.
import {
  type CaptureSmtpServer,
  type PrivatePostfix,
  privatePostfixSkipReason,
  RawSmtpClient,
  type RunningServer,
  smtpSinkSkipReason,
  startCaptureSmtpServer,
  startPrivatePostfix,
  startSmtpSink,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDsn, parseDsn } from '../../src/index.js';

const skip = privatePostfixSkipReason() ?? smtpSinkSkipReason();
if (skip !== undefined) console.warn(`skipping: ${skip}`);

describe.skipIf(skip !== undefined)(
  'bounces made by a private Postfix',
  { timeout: 60_000 },
  () => {
    let sink: RunningServer;
    let capture: CaptureSmtpServer;
    let postfix: PrivatePostfix;

    beforeAll(async () => {
      sink = await startSmtpSink({
        extraArgs: ['-f', 'rcpt', '-B', '550 5.1.1 No such user here'],
      });
      capture = await startCaptureSmtpServer();
      postfix = await startPrivatePostfix({
        relayTo: { port: capture.port },
        mainCf: {
          transport_maps: `inline:{reject.test=smtp:[127.0.0.1]:${sink.port}}`,
          // The test waits for the bounce, not for retries.
          smtp_connect_timeout: '5s',
        },
      });
    }, 60_000);

    afterAll(async () => {
      await postfix?.stop();
      await capture?.close();
      await sink?.stop();
    });

    /** Sends one message through Postfix and resolves with the bounce it sends back from <>. */
    async function bounceOf(mail: string, rcpt: string, message: string): Promise<Buffer> {
      const before = capture.messages.length;
      const client = await RawSmtpClient.greeted(postfix.port, { timeoutMs: 10_000 });
      expect((await client.command(mail)).code).toBe(250);
      const rcptReply = await client.command(rcpt);
      expect(rcptReply.code, rcptReply.raw.join(' | ')).toBe(250);
      expect((await client.data(Buffer.from(message, 'utf8'))).code).toBe(250);
      await client.command('QUIT');
      const messages = await capture.waitForMessages(before + 1, 30_000);
      const bounce = messages.slice(before).find((m) => m.mailCommand.startsWith('MAIL FROM:<>'));
      expect(bounce, 'a message from <>').toBeDefined();
      return bounce?.data as Buffer;
    }

    it('a remote 550: ENVID, ORCPT, Remote-MTA, Diagnostic-Code, RET=HDRS all read back', async () => {
      const data = await bounceOf(
        'MAIL FROM:<alice@sender.test> RET=HDRS ENVID=QQ314159',
        'RCPT TO:<bob@reject.test> NOTIFY=FAILURE ORCPT=rfc822;bob+2Borig@reject.test',
        'From: alice@sender.test\r\nTo: bob@reject.test\r\nSubject: lunch?\r\n\r\nAt noon.\r\n',
      );
      const report = parseDsn(data);
      expect(report.global).toBe(false);
      expect(report.perMessage.originalEnvelopeId).toBe('QQ314159');
      expect(report.perMessage.reportingMta).toEqual({ type: 'dns', name: 'postfix.smtpkit.test' });
      expect(report.perMessage.arrivalDate).toBeInstanceOf(Date);
      expect(report.recipients).toHaveLength(1);
      const [r] = report.recipients;
      expect(r?.finalRecipient).toEqual({ addrType: 'rfc822', address: 'bob@reject.test' });
      expect(r?.originalRecipient).toEqual({ addrType: 'rfc822', address: 'bob+orig@reject.test' });
      expect(r?.action).toBe('failed');
      expect(r?.status).toBe('5.1.1');
      expect(r?.remoteMta?.type).toBe('dns');
      expect(r?.diagnosticCode?.type).toBe('smtp');
      expect(r?.diagnosticCode?.text).toMatch(/^550 5\.1\.1 No such user here/);
      expect(report.returned?.kind).toBe('headers');
      const returned = Buffer.from(report.returned?.bytes ?? new Uint8Array()).toString('utf8');
      expect(returned).toContain('Subject: lunch?');
      expect(returned).not.toContain('At noon.');
      expect(report.text).toContain('bob@reject.test');
      const subject = report.headers.find((h) => h.name.toLowerCase() === 'subject')?.value;
      expect(subject).toBe('Undelivered Mail Returned to Sender');
    });

    it('RET=FULL: the whole message comes back as message/rfc822', async () => {
      const data = await bounceOf(
        'MAIL FROM:<carol@sender.test> RET=FULL',
        'RCPT TO:<dave@reject.test>',
        'Subject: full\r\n\r\nThe body comes back too.\r\n',
      );
      const report = parseDsn(data);
      expect(report.returned?.contentType).toBe('message/rfc822');
      expect(Buffer.from(report.returned?.bytes ?? new Uint8Array()).toString('utf8')).toContain(
        'The body comes back too.',
      );
    });

    it('SMTPUTF8: the RFC 6533 forms (global-delivery-status, utf-8 type, message/global)', async () => {
      const data = await bounceOf(
        'MAIL FROM:<jörg@sender.test> SMTPUTF8',
        'RCPT TO:<用户@reject.test>',
        'Subject: Grüße\r\n\r\nçava\r\n',
      );
      const report = parseDsn(data);
      const [r] = report.recipients;
      // smtp-sink does not offer SMTPUTF8, so Postfix gives up with 5.6.7 (RFC 6531 §3.5) itself.
      expect(report.global).toBe(true);
      expect(r?.finalRecipient).toEqual({ addrType: 'utf-8', address: '用户@reject.test' });
      expect(r?.originalRecipient?.address).toBe('用户@reject.test');
      expect([r?.action, r?.status]).toEqual(['failed', '5.6.7']);
      expect(r?.diagnosticCode?.type).toBe('x-postfix');
      expect(r?.diagnosticCode?.text).toMatch(
        /^SMTPUTF8 is required, but was not offered by host \S/,
      );
      expect(report.returned?.contentType).toBe('message/global');
      expect(Buffer.from(report.returned?.bytes ?? new Uint8Array()).toString('utf8')).toContain(
        'Subject: Grüße',
      );
      expect(report.text).toContain('<用户@reject.test>');
    });

    it('a DSN built here goes through Postfix from <> untouched and reads back the same', async () => {
      const dsn = buildDsn({
        reportingMta: 'mx.smtpkit.test',
        envelope: { sender: 'jörg@sender.test', smtputf8: true, envid: 'E-1' },
        recipients: [
          {
            address: '用户@例子.test',
            orcpt: { addrType: 'utf-8', address: '用户+x@例子.test' },
            action: 'failed',
            reply: {
              code: 550,
              enhanced: '5.1.1',
              text: '没有这个用户',
              remoteMta: 'mx.例子.test',
            },
          },
        ],
        original: Buffer.from('Subject: Grüße\r\n\r\nçava\r\n', 'utf8'),
        now: Date.UTC(2026, 0, 2, 3, 4, 5),
        messageId: 'interop.1',
      });
      expect([dsn.sender, dsn.smtputf8, dsn.body]).toEqual(['', true, '8BITMIME']);
      const before = capture.messages.length;
      const client = await RawSmtpClient.greeted(postfix.port, { timeoutMs: 10_000 });
      expect((await client.command('MAIL FROM:<> SMTPUTF8 BODY=8BITMIME')).code).toBe(250);
      expect((await client.command(`RCPT TO:<${dsn.recipient}>`)).code).toBe(250);
      expect((await client.data(Buffer.from(dsn.message))).code).toBe(250);
      await client.command('QUIT');
      const [relayed] = (await capture.waitForMessages(before + 1, 30_000)).slice(before);
      expect(relayed?.mailCommand).toMatch(/^MAIL FROM:<>/);
      // Postfix puts its Received: field in front (RFC 5321 §4.4) and changes nothing else.
      const data = relayed?.data as Buffer;
      const match = /^Received: [^\r]*\r\n(?:\t[^\r]*\r\n)*/.exec(data.toString('latin1'));
      expect(data.subarray(match?.[0].length ?? 0)).toEqual(Buffer.from(dsn.message));
      const { headers: _, ...report } = parseDsn(new Uint8Array(data));
      const { headers: __, ...original } = parseDsn(dsn.message);
      expect(report).toEqual(original);
    });
  },
);
