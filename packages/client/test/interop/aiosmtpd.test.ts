// The client against aiosmtpd (Debian's python3-aiosmtpd), a server no one here wrote: SMTP with
// SMTPUTF8 and 8BITMIME, LMTP, STARTTLS with AUTH. aiosmtpd offers neither PIPELINING nor
// CHUNKING: every command goes alone and the message by DATA. What it stored must equal what was
// sent (as CRLF-normalised text: RFC 5321 §2.3.8).
import {
  type Aiosmtpd,
  aiosmtpdSkipReason,
  createSelfSignedCert,
  opensslSkipReason,
  type SelfSignedCert,
  startAiosmtpd,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/index.js';
import { crlfNormalised, TRICKY_BODIES } from '../support/bodies.js';

const skip = aiosmtpdSkipReason() ?? opensslSkipReason();
if (skip !== undefined) console.warn(`skipping: ${skip}`);
const HOST = '127.0.0.1';
const MESSAGE = Buffer.from(
  'From: a@example.org\r\nTo: b@example.com\r\nSubject: aiosmtpd\r\n\r\nHello\r\n.dot\r\n.\r\nend\r\n',
);

describe.skipIf(skip !== undefined)('aiosmtpd', { timeout: 30_000 }, () => {
  let smtp: Aiosmtpd;
  let lmtp: Aiosmtpd;
  let secure: Aiosmtpd;
  let cert: SelfSignedCert;
  beforeAll(async () => {
    cert = await createSelfSignedCert();
    [smtp, lmtp, secure] = await Promise.all([
      startAiosmtpd({ smtputf8: true }),
      startAiosmtpd({ lmtp: true }),
      startAiosmtpd({
        tls: { certPath: cert.certPath, keyPath: cert.keyPath },
        auth: { user: 'tim', password: 'pässwörd' },
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([smtp?.stop(), lmtp?.stop(), secure?.stop()]);
    await cert?.remove();
  });

  it('a message to two recipients, one command at a time, arrives as sent', async () => {
    const client = await connect({ host: HOST, port: smtp.port });
    expect(client.capabilities.has('PIPELINING')).toBe(false);
    const before = (await smtp.messages()).length;
    const result = await client.send(
      { from: 'a@example.org', to: ['b@example.com', 'c@example.com'] },
      MESSAGE,
    );
    expect([result.via, result.recipients.map((r) => r.accepted)]).toEqual(['DATA', [true, true]]);
    const m = (await smtp.waitForMessages(before + 1, 10_000))[before];
    expect([m?.mailFrom, m?.rcptTos, m?.data]).toEqual([
      'a@example.org',
      ['b@example.com', 'c@example.com'],
      MESSAGE,
    ]);
    await client.quit();
  });

  it('SMTPUTF8 and BODY=8BITMIME: UTF-8 addresses and text', async () => {
    const client = await connect({ host: HOST, port: smtp.port });
    const before = (await smtp.messages()).length;
    const body = Buffer.from('Subject: Grüße\r\n\r\nçava ✓ 日本語\r\n', 'utf8');
    await client.send(
      { from: 'jörg@bücher.example', to: '用户@例子.广告', body: '8BITMIME' },
      body,
    );
    const m = (await smtp.waitForMessages(before + 1, 10_000))[before];
    expect([m?.mailFrom, m?.rcptTos, m?.data]).toEqual([
      'jörg@bücher.example',
      ['用户@例子.广告'],
      body,
    ]);
    expect(m?.mailOptions).toEqual(expect.arrayContaining(['SMTPUTF8', 'BODY=8BITMIME']));
    await client.quit();
  });

  it('tricky bodies arrive CRLF-normalised, dot-stuffing undone', async () => {
    const client = await connect({ host: HOST, port: smtp.port });
    const before = (await smtp.messages()).length;
    const bodies = Object.values(TRICKY_BODIES).filter((b) => !b.includes(0));
    for (const body of bodies)
      await client.send({ from: 'a@example.org', to: 'b@example.com' }, body);
    const got = (await smtp.waitForMessages(before + bodies.length, 10_000)).slice(before);
    expect(got.map((m) => m.data)).toEqual(bodies.map(crlfNormalised));
    await client.quit();
  });

  it('LMTP: one reply per recipient after the message', async () => {
    const client = await connect({ host: HOST, port: lmtp.port, lmtp: true });
    const result = await client.send(
      { from: 'a@example.org', to: ['b@example.com', 'c@example.com'] },
      MESSAGE,
    );
    expect(result.recipients.map((r) => [r.accepted, r.final?.code])).toEqual([
      [true, 250],
      [true, 250],
    ]);
    const [m] = await lmtp.waitForMessages(1, 10_000);
    expect([m?.rcptTos, m?.data]).toEqual([['b@example.com', 'c@example.com'], MESSAGE]);
    await client.quit();
  });

  it('STARTTLS, then AUTH (PLAIN, the strongest it offers) with a UTF-8 password', async () => {
    const client = await connect({
      host: HOST,
      port: secure.port,
      tls: 'required',
      ca: cert.cert,
      auth: { username: 'tim', password: 'pässwörd' },
    });
    expect(client.secure).toBe(true);
    await client.send({ from: 'a@example.org', to: 'b@example.com' }, MESSAGE);
    const [m] = await secure.waitForMessages(1, 10_000);
    expect([m?.data, m?.tls, m?.user]).toEqual([MESSAGE, true, 'tim']);
    await client.quit();
  });

  it('AUTH LOGIN when asked; a wrong password is ERR_CLIENT_REPLY 535', async () => {
    const options = { host: HOST, port: secure.port, tls: 'required', ca: cert.cert } as const;
    const client = await connect({
      ...options,
      auth: { username: 'tim', password: 'pässwörd', mechanism: 'LOGIN' },
    });
    await client.quit();
    await expect(
      connect({ ...options, auth: { username: 'tim', password: 'wrong' } }),
    ).rejects.toMatchObject({
      code: 'ERR_CLIENT_REPLY',
      replyCode: 535,
    });
  });
});
