// The client against nodemailer's smtp-server (a devDependency of @smtpkit/testing), a server no
// one here wrote: PIPELINING without CHUNKING, SMTPUTF8, STARTTLS, AUTH (PLAIN, LOGIN, CRAM-MD5,
// XOAUTH2) and LMTP. What its onData stream gave must equal what was sent.
import {
  createSelfSignedCert,
  opensslSkipReason,
  type SelfSignedCert,
  type SmtpServerPeer,
  smtpServerSkipReason,
  startSmtpServerPeer,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientAuthMechanism, connect } from '../../src/index.js';
import { crlfNormalised, TRICKY_BODIES } from '../support/bodies.js';

const skip = smtpServerSkipReason() ?? opensslSkipReason();
if (skip !== undefined) console.warn(`skipping: ${skip}`);
const HOST = '127.0.0.1';
const MESSAGE = Buffer.from('Subject: smtp-server\r\n\r\nHello\r\n.dot\r\nçava\r\n', 'utf8');
const ACCOUNT = { user: 'tim', password: 'tänstaaf', token: 'ya29.token' };

describe.skipIf(skip !== undefined)("nodemailer's smtp-server", { timeout: 30_000 }, () => {
  let cert: SelfSignedCert;
  let plain: SmtpServerPeer;
  let secure: SmtpServerPeer;
  let lmtp: SmtpServerPeer;
  beforeAll(async () => {
    cert = await createSelfSignedCert();
    [plain, secure, lmtp] = await Promise.all([
      startSmtpServerPeer(),
      startSmtpServerPeer({ tls: { key: cert.key, cert: cert.cert }, auth: ACCOUNT }),
      startSmtpServerPeer({ lmtp: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), secure?.stop(), lmtp?.stop()]);
    await cert?.remove();
  });

  it('pipelined, by DATA: the envelope and the message as sent', async () => {
    const client = await connect({ host: HOST, port: plain.port });
    expect(client.capabilities.has('PIPELINING')).toBe(true);
    const before = plain.messages.length;
    const result = await client.send(
      { from: 'a@example.org', to: ['b@example.com', 'c@example.com'], body: '8BITMIME' },
      MESSAGE,
    );
    expect([result.via, result.recipients.every((r) => r.accepted)]).toEqual(['DATA', true]);
    const m = (await plain.waitForMessages(before + 1, 10_000))[before];
    expect([m?.mailFrom, m?.rcptTo, m?.data]).toEqual([
      'a@example.org',
      ['b@example.com', 'c@example.com'],
      MESSAGE,
    ]);
    expect(m?.mailArgs).toMatchObject({ BODY: '8BITMIME' });
    await client.quit();
  });

  it('SMTPUTF8: UTF-8 addresses', async () => {
    const client = await connect({ host: HOST, port: plain.port });
    const before = plain.messages.length;
    await client.send({ from: 'jörg@bücher.example', to: '用户@例子.广告' }, MESSAGE);
    const m = (await plain.waitForMessages(before + 1, 10_000))[before];
    expect([m?.mailFrom, m?.rcptTo, m?.data]).toEqual([
      'jörg@bücher.example',
      ['用户@例子.广告'],
      MESSAGE,
    ]);
    expect(m?.mailArgs).toMatchObject({ SMTPUTF8: true });
    await client.quit();
  });

  it('tricky bodies arrive CRLF-normalised, dot-stuffing undone', async () => {
    const client = await connect({ host: HOST, port: plain.port });
    const before = plain.messages.length;
    const bodies = Object.values(TRICKY_BODIES);
    for (const body of bodies)
      await client.send({ from: 'a@example.org', to: 'b@example.com' }, body);
    const got = (await plain.waitForMessages(before + bodies.length, 10_000)).slice(before);
    expect(got.map((m) => m.data)).toEqual(bodies.map(crlfNormalised));
    await client.quit();
  });

  for (const mechanism of [undefined, 'PLAIN', 'LOGIN', 'CRAM-MD5'] as (
    | ClientAuthMechanism
    | undefined
  )[]) {
    it(`STARTTLS, then AUTH ${mechanism ?? '(the strongest offered: CRAM-MD5)'}`, async () => {
      const client = await connect({
        host: HOST,
        port: secure.port,
        tls: 'required',
        ca: cert.cert,
        auth: {
          username: ACCOUNT.user,
          password: ACCOUNT.password,
          ...(mechanism === undefined ? {} : { mechanism }),
        },
      });
      expect(client.secure).toBe(true);
      const before = secure.messages.length;
      await client.send({ from: 'a@example.org', to: 'b@example.com' }, MESSAGE);
      const m = (await secure.waitForMessages(before + 1, 10_000))[before];
      expect([m?.data, m?.secure, m?.user]).toEqual([MESSAGE, true, ACCOUNT.user]);
      await client.quit();
    });
  }

  it('XOAUTH2 with an access token; a wrong password is ERR_CLIENT_REPLY 535', async () => {
    const options = { host: HOST, port: secure.port, tls: 'required', ca: cert.cert } as const;
    const client = await connect({
      ...options,
      auth: { username: ACCOUNT.user, accessToken: ACCOUNT.token },
    });
    await client.quit();
    await expect(
      connect({
        ...options,
        auth: { username: ACCOUNT.user, password: 'wrong', mechanism: 'PLAIN' },
      }),
    ).rejects.toMatchObject({ code: 'ERR_CLIENT_REPLY', replyCode: 535 });
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
    expect((await lmtp.waitForMessages(1, 10_000))[0]?.data).toEqual(MESSAGE);
    await client.quit();
  });
});
