// The client against a private Postfix (its own config, queue and data directories, smtpd on a
// high port of 127.0.0.1), which relays what it accepts to @smtpkit/server. Postfix offers
// PIPELINING, CHUNKING, DSN, SMTPUTF8, 8BITMIME and STARTTLS: the client sends BDAT over TLS; what
// Postfix relays must be the message as sent behind its Received: header, UTF-8 addresses
// carried on.
import {
  createSelfSignedCert,
  opensslSkipReason,
  type PrivatePostfix,
  privatePostfixSkipReason,
  type SelfSignedCert,
  startPrivatePostfix,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SmtpClient } from '../../src/index.js';
import { TRICKY_BODIES } from '../support/bodies.js';
import { type ReceivingServer, startReceivingServer } from '../support/receiving-server.js';

const skip = privatePostfixSkipReason() ?? opensslSkipReason();
if (skip !== undefined) console.warn(`skipping: ${skip}`);
const HOST = '127.0.0.1';

/** The message without the Received: header Postfix puts in front (RFC 5321 §4.4). */
function withoutTraceHeader(data: Buffer): Buffer {
  const match = /^Received: [^\r]*\r\n(?:\t[^\r]*\r\n)*/.exec(data.toString('latin1'));
  return data.subarray(match?.[0].length ?? 0);
}

/**
 * What Postfix makes of a body: text lines (a bare LF ends a line as CRLF does), each stray CR
 * replaced by a space (`cleanup_replace_stray_cr_lf`, on by default since 3.7.10 against SMTP
 * smuggling), a line end added at the end. It relays them as CRLF lines.
 */
function asPostfixStores(body: Buffer): Buffer {
  const text = body.toString('latin1');
  const lines = text.split('\n');
  // The last piece ends with LF only when the body does; a CR there is a stray one.
  const ended = lines.pop() === '' ? [] : [text.slice(text.lastIndexOf('\n') + 1)];
  const out = [...lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)), ...ended];
  return Buffer.from(out.map((l) => `${l.replace(/\r/g, ' ')}\r\n`).join(''), 'latin1');
}

describe.skipIf(skip !== undefined)('a private Postfix', { timeout: 60_000 }, () => {
  let cert: SelfSignedCert;
  let target: ReceivingServer;
  let postfix: PrivatePostfix;
  let client: SmtpClient;
  beforeAll(async () => {
    cert = await createSelfSignedCert();
    // DSN at the next hop too: Postfix relays each RCPT with ORCPT=rfc822;<address>, raw UTF-8
    // for a UTF-8 address in an SMTPUTF8 transaction, which @smtpkit/server takes (RFC 6531 §3.3).
    target = await startReceivingServer();
    postfix = await startPrivatePostfix({
      relayTo: { port: target.port },
      mainCf: {
        smtpd_tls_security_level: 'may',
        smtpd_tls_cert_file: cert.certPath,
        smtpd_tls_key_file: cert.keyPath,
      },
    });
    client = await connect({ host: HOST, port: postfix.port, tls: 'required', ca: cert.cert });
  }, 60_000);
  afterAll(async () => {
    await client?.quit();
    await postfix?.stop();
    await target?.stop();
    await cert?.remove();
  });

  it('offers what the client uses, under TLS', () => {
    expect(client.secure).toBe(true);
    for (const keyword of ['PIPELINING', 'CHUNKING', 'DSN', 'SMTPUTF8', '8BITMIME']) {
      expect(client.capabilities.has(keyword)).toBe(true);
    }
  });

  it('BDAT with DSN parameters: accepted, relayed as sent', async () => {
    const before = target.messages.length;
    const message = Buffer.from(
      'From: a@example.org\r\nTo: b@example.com\r\nSubject: via postfix\r\n\r\nHello\r\n.dot\r\n..two\r\n.\r\ncafé\r\n',
      'utf8',
    );
    const result = await client.send(
      {
        from: 'a@example.org',
        to: ['b@example.com', 'c@example.com'],
        body: '8BITMIME',
        mailParams: { RET: 'HDRS', ENVID: 'QQ314159' },
        rcptParams: [{ NOTIFY: ['SUCCESS', 'FAILURE'] }, { NOTIFY: ['NEVER'] }],
      },
      message,
    );
    // Every parameter was offered, so every one was sent (none `unsent`), and Postfix took them.
    expect([result.via, result.unsent, result.recipients.map((r) => r.accepted)]).toEqual([
      'BDAT',
      [],
      [true, true],
    ]);
    const m = (await target.waitForMessages(before + 1, 30_000))[before];
    expect(withoutTraceHeader(m?.body as Buffer)).toEqual(message);
    expect(m?.to).toEqual(['<b@example.com>', '<c@example.com>']);
    expect(m?.mailParams).toMatchObject({ BODY: '8BITMIME' });
    await postfix.waitForLog(/dsn=2\.0\.0, status=sent/, 10_000);
  });

  it('SMTPUTF8: UTF-8 addresses relayed as sent', async () => {
    const before = target.messages.length;
    const message = Buffer.from('Subject: Grüße\r\n\r\nçava ✓\r\n', 'utf8');
    await client.send({ from: 'jörg@bücher.example', to: '用户@例子.广告' }, message);
    const m = (await target.waitForMessages(before + 1, 30_000))[before];
    expect([m?.from, m?.to]).toEqual(['<jörg@bücher.example>', ['<用户@例子.广告>']]);
    expect(withoutTraceHeader(m?.body as Buffer)).toEqual(message);
  });

  it('tricky text bodies, sent byte for byte by BDAT, reach the next hop as Postfix stores them', async () => {
    const before = target.messages.length;
    const bodies = Object.values(TRICKY_BODIES).filter((b) => !b.includes(0));
    for (const [i, body] of bodies.entries()) {
      await client.send({ from: 'a@example.org', to: `tricky${i}@example.com` }, body);
    }
    const got = (await target.waitForMessages(before + bodies.length, 30_000)).slice(before);
    const byRecipient = new Map(got.map((m) => [m.to[0], withoutTraceHeader(m.body)]));
    for (const [i, body] of bodies.entries()) {
      expect(byRecipient.get(`<tricky${i}@example.com>`)).toEqual(asPostfixStores(body));
    }
  });
});
