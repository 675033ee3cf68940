// AUTH (RFC 4954) against @smtpkit/server over STARTTLS: the strongest mechanism offered is
// picked, each one works when asked for, UTF-8 credentials, refusals, and no secret in what the
// diagnostics channels publish.
import diagnosticsChannel from 'node:diagnostics_channel';
import { createSelfSignedCert, opensslSkipReason, type SelfSignedCert } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientAuthMechanism, connect } from '../src/index.js';
import { type ReceivingServer, startReceivingServer } from './support/receiving-server.js';

const skip = opensslSkipReason();
const HOST = '127.0.0.1';
// UTF-8 user name and password (SASLprep leaves them as they are).
const USER = 'jürgen@bücher.example';
const PASSWORD = 'pässwörd ✓ 密码';
const TOKEN = 'ya29.client-test-token';
const MESSAGE = Buffer.from('Subject: auth\r\n\r\nauthenticated\r\n');
const envelope = { from: 'a@example.org', to: 'b@example.com' };

describe.skipIf(skip !== undefined)('AUTH', () => {
  let cert: SelfSignedCert;
  let server: ReceivingServer;
  let clear: ReceivingServer;
  beforeAll(async () => {
    cert = await createSelfSignedCert();
    server = await startReceivingServer({
      tls: { key: cert.key, cert: cert.cert },
      account: { user: USER, password: PASSWORD, token: TOKEN },
    });
    clear = await startReceivingServer({
      account: { user: USER, password: PASSWORD },
      authWithoutTls: true,
    });
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), clear?.stop()]);
    await cert?.remove();
  });

  it('picks the strongest mechanism offered: SCRAM-SHA-256, and the server proves itself', async () => {
    const verbs: string[] = [];
    const published: unknown[] = [];
    const onCommand = (m: unknown) => {
      verbs.push((m as { verb: string }).verb);
      published.push(m);
    };
    const onAny = (m: unknown) => published.push(m);
    diagnosticsChannel.subscribe('smtpkit:client:command', onCommand);
    for (const name of ['reply', 'connection', 'message', 'error']) {
      diagnosticsChannel.subscribe(`smtpkit:client:${name}`, onAny);
    }
    try {
      const client = await connect({
        host: HOST,
        port: server.port,
        tls: 'required',
        ca: cert.cert,
        auth: { username: USER, password: PASSWORD },
      });
      const before = server.messages.length;
      await client.send(envelope, MESSAGE);
      const m = (await server.waitForMessages(before + 1))[before];
      expect([m?.user, m?.body]).toEqual([USER, MESSAGE]);
      await client.quit();
    } finally {
      diagnosticsChannel.unsubscribe('smtpkit:client:command', onCommand);
      for (const name of ['reply', 'connection', 'message', 'error']) {
        diagnosticsChannel.unsubscribe(`smtpkit:client:${name}`, onAny);
      }
    }
    expect(verbs).toEqual(['EHLO', 'STARTTLS', 'EHLO', 'AUTH', 'MAIL', 'RCPT', 'BDAT', 'QUIT']);
    const text = JSON.stringify(published);
    expect(text).not.toContain('pässwörd');
    expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64').slice(0, 8));
  });

  for (const mechanism of [
    'SCRAM-SHA-256',
    'CRAM-MD5',
    'PLAIN',
    'LOGIN',
  ] as ClientAuthMechanism[]) {
    it(`AUTH ${mechanism} when asked for, with UTF-8 credentials`, async () => {
      const client = await connect({
        host: HOST,
        port: server.port,
        tls: 'required',
        ca: cert.cert,
        auth: { username: USER, password: PASSWORD, mechanism },
      });
      const before = server.messages.length;
      await client.send(envelope, MESSAGE);
      expect((await server.waitForMessages(before + 1))[before]?.user).toBe(USER);
      await client.quit();
    });
  }

  it('XOAUTH2 with an access token (no password: the only mechanism the credentials allow)', async () => {
    const client = await connect({
      host: HOST,
      port: server.port,
      tls: 'required',
      ca: cert.cert,
      auth: { username: USER, accessToken: TOKEN },
    });
    const before = server.messages.length;
    await client.send(envelope, MESSAGE);
    expect((await server.waitForMessages(before + 1))[before]?.user).toBe(USER);
    await client.quit();
  });

  it('a wrong password: ERR_CLIENT_REPLY 535 from connect, the connection closed', async () => {
    await expect(
      connect({
        host: HOST,
        port: server.port,
        tls: 'required',
        ca: cert.cert,
        auth: { username: USER, password: 'wrong' },
      }),
    ).rejects.toMatchObject({ code: 'ERR_CLIENT_REPLY', replyCode: 535, permanent: true });
  });

  it('a mechanism the server does not offer, or no AUTH at all: ERR_CLIENT_EXTENSION', async () => {
    const plainOnly = await startReceivingServer({
      tls: { key: cert.key, cert: cert.cert },
      account: { user: USER, password: PASSWORD },
      mechanisms: ['PLAIN'],
    });
    try {
      const options = { host: HOST, port: plainOnly.port, tls: 'required', ca: cert.cert } as const;
      await expect(
        connect({
          ...options,
          auth: { username: USER, password: PASSWORD, mechanism: 'SCRAM-SHA-256' },
        }),
      ).rejects.toMatchObject({ code: 'ERR_CLIENT_EXTENSION', command: 'AUTH', permanent: true });
      await expect(
        connect({ ...options, auth: { username: USER, accessToken: TOKEN } }),
      ).rejects.toMatchObject({ code: 'ERR_CLIENT_EXTENSION' });
      // Only PLAIN offered: it is what the strongest-first choice falls back to.
      const client = await connect({ ...options, auth: { username: USER, password: PASSWORD } });
      await client.quit();
      // The server offers AUTH only under TLS: in clear there is none to use.
      await expect(
        connect({
          host: HOST,
          port: plainOnly.port,
          tls: 'none',
          auth: { username: USER, password: PASSWORD, allowInsecure: true },
        }),
      ).rejects.toMatchObject({ code: 'ERR_CLIENT_EXTENSION', command: 'AUTH' });
    } finally {
      await plainOnly.stop();
    }
  });

  it('AUTH without TLS is refused by the client unless allowInsecure', async () => {
    await expect(
      connect({ host: HOST, port: clear.port, auth: { username: USER, password: PASSWORD } }),
    ).rejects.toMatchObject({ code: 'ERR_CLIENT_TLS_REQUIRED', command: 'AUTH' });
    const client = await connect({
      host: HOST,
      port: clear.port,
      auth: { username: USER, password: PASSWORD, allowInsecure: true },
    });
    const before = clear.messages.length;
    await client.send(envelope, MESSAGE);
    expect((await clear.waitForMessages(before + 1))[before]?.user).toBe(USER);
    await client.quit();
  });

  it('credentials that would break the wire are refused before connecting', async () => {
    await expect(
      connect({ host: HOST, port: 1, auth: { username: 'tim\r\nMAIL FROM:<x@y>', password: 'p' } }),
    ).rejects.toMatchObject({ code: 'ERR_CLIENT_MISUSE_INVALID_ARGUMENT' });
    await expect(connect({ host: HOST, port: 1, auth: { username: 'tim' } })).rejects.toMatchObject(
      {
        code: 'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
      },
    );
  });
});
