// Submission (RFC 6409) with AUTH (RFC 4954) over STARTTLS (RFC 3207) and implicit TLS (RFC 8314),
// driven by real clients: swaks and Python's smtplib, with users made by the `user add` tool.
import {
  ehloKeywords,
  RawSmtpClient,
  replyStatus,
  runSmtplib,
  runSwaks,
  smtplibSkipReason,
  swaksSkipReason,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

const PASSWORD = 'correct horse battery staple';

let mta: MtaProcess;
beforeAll(async () => {
  mta = await startMtaProcess({
    config: {
      listen: { mx: [], submission: ['127.0.0.1:0'], submissions: ['127.0.0.1:0'] },
      localDomains: ['example.org'],
      hostname: 'mta.example.org',
      metrics: false,
    },
    users: { alice: PASSWORD, bob: 'bobs password' },
  });
}, 60_000);
afterAll(async () => {
  await mta?.stop();
  await mta?.remove();
});

const plainAuth = (user: string, password: string) =>
  Buffer.from(`\0${user}\0${password}`).toString('base64');

/** The message in bob's Maildir whose Subject is `subject`. */
async function delivered(subject: string): Promise<string> {
  const end = Date.now() + 30_000;
  for (;;) {
    const found = (await mta.mailbox('bob')).find((m) => m.includes(`\r\nSubject: ${subject}\r\n`));
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`no message "${subject}" for bob\n${mta.logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The first `Received:` field (ours), unfolded line by line as written. */
function firstReceived(message: string): string {
  const m = /\r\n(Received: [\s\S]*?)\r\n(?=\S)/.exec(message);
  if (m === null) throw new Error(`no Received: in\n${message}`);
  return m[1] as string;
}

/** RFC 3848 ESMTPSA with the TLS facts and the user, as RFC 8314 §7 suggests. */
function expectAuthenticatedTrace(message: string, user: string): void {
  const received = firstReceived(message);
  expect(received).toMatch(/^Received: from \S+ \(\[127\.0\.0\.1\]\)\r\n/);
  expect(received).toMatch(
    new RegExp(
      `\\r\\n\\t\\(using TLSv1\\.[23] with cipher [A-Z0-9_-]+\\) \\(authenticated as ${user}\\)\\r\\n`,
    ),
  );
  expect(received).toMatch(/\r\n\tby mta\.example\.org \(smtpkit\) with ESMTPSA id \S+/);
}

describe.skipIf(swaksSkipReason() !== undefined)('swaks', () => {
  it('submits with AUTH PLAIN after STARTTLS; Received: says ESMTPSA, the TLS version and cipher and the user', async () => {
    const port = mta.submission?.port ?? 0;
    const run = await runSwaks({
      port,
      from: 'alice@example.org',
      to: 'bob@example.org',
      tls: 'starttls',
      auth: { mechanism: 'PLAIN', user: 'alice', password: PASSWORD },
      data: 'From: alice@example.org\r\nSubject: swaks starttls\r\n\r\nhello over STARTTLS\r\n',
      timeoutMs: 30_000,
    });
    expect(run.stdout).toMatch(/<~ {1,2}235 /);
    const message = await delivered('swaks starttls');
    expectAuthenticatedTrace(message, 'alice');
    expect(message).toMatch(
      /^Return-Path: <alice@example\.org>\r\nDelivered-To: bob@example\.org\r\n/,
    );
    expect(message.endsWith('\r\n\r\nhello over STARTTLS\r\n')).toBe(true);
  });

  it('submits with AUTH LOGIN on the implicit-TLS port (RFC 8314)', async () => {
    const run = await runSwaks({
      port: mta.submissions?.port ?? 0,
      from: 'alice@example.org',
      to: 'bob@example.org',
      tls: 'implicit',
      auth: { mechanism: 'LOGIN', user: 'alice', password: PASSWORD },
      data: 'Subject: swaks implicit\r\n\r\nhello over implicit TLS\r\n',
      timeoutMs: 30_000,
    });
    expect(run.stdout).toMatch(/<~ {1,2}235 /);
    const message = await delivered('swaks implicit');
    expectAuthenticatedTrace(message, 'alice');
  });

  it('answers 535 to a wrong password and takes no message', async () => {
    const before = (await mta.mailbox('bob')).length;
    const failure = await runSwaks({
      port: mta.submission?.port ?? 0,
      from: 'alice@example.org',
      to: 'bob@example.org',
      tls: 'starttls',
      auth: { mechanism: 'PLAIN', user: 'alice', password: 'not the password' },
      data: 'Subject: wrong password\r\n\r\nnever\r\n',
      timeoutMs: 30_000,
    }).then(
      () => undefined,
      (e: unknown) => e as { stdout?: string },
    );
    expect(failure, 'swaks should have failed').toBeDefined();
    expect(failure?.stdout).toMatch(/<~\* {1,2}535 /);
    await new Promise((r) => setTimeout(r, 500));
    expect((await mta.mailbox('bob')).length).toBe(before);
  });
});

describe.skipIf(smtplibSkipReason() !== undefined)('Python smtplib', () => {
  it('submits with starttls() and login(); the message is delivered with an ESMTPSA trace', async () => {
    const result = await runSmtplib({
      port: mta.submission?.port ?? 0,
      from: 'bob@example.org',
      to: ['bob@example.org'],
      starttls: true,
      auth: { user: 'bob', password: 'bobs password' },
      data: 'Subject: smtplib starttls\r\n\r\nfrom Python\r\n',
      timeoutMs: 30_000,
    });
    expect(result.refused).toEqual({});
    const message = await delivered('smtplib starttls');
    expectAuthenticatedTrace(message, 'bob');
  });

  it('login() with a wrong password fails with 535', async () => {
    const error = await runSmtplib({
      port: mta.submission?.port ?? 0,
      from: 'bob@example.org',
      to: ['bob@example.org'],
      starttls: true,
      auth: { user: 'bob', password: 'guess' },
      data: 'Subject: never\r\n\r\nx\r\n',
      timeoutMs: 30_000,
    }).then(
      () => undefined,
      (e: unknown) => e as { stderr?: string },
    );
    expect(error?.stderr).toMatch(/SMTPAuthenticationError: \(535, /);
  });
});

describe('the submission port without TLS or AUTH', () => {
  it('offers no AUTH before STARTTLS and refuses AUTH in clear text', async () => {
    const client = await RawSmtpClient.connect(mta.submission?.port ?? 0, { timeoutMs: 10_000 });
    try {
      expect((await client.readReply()).code).toBe(220);
      const ehlo = await client.command('EHLO client.example');
      expect(ehlo.code).toBe(250);
      expect(ehloKeywords(ehlo)).toContain('STARTTLS');
      expect(ehloKeywords(ehlo)).not.toContain('AUTH');
      const refused = await client.command(`AUTH PLAIN ${plainAuth('alice', PASSWORD)}`);
      // RFC 4954 §6: 538 5.7.11 "Encryption required for requested authentication mechanism".
      expect(replyStatus(refused)).toBe('538 5.7.11');
      // And MAIL is still refused: the session is not authenticated.
      expect((await client.command('MAIL FROM:<alice@example.org>')).code).toBe(530);
    } finally {
      client.destroy();
    }
  });

  it('answers 530 5.7.0 to MAIL without AUTH, even under TLS (RFC 6409 §4.3)', async () => {
    const client = await RawSmtpClient.greeted(mta.submission?.port ?? 0, { timeoutMs: 10_000 });
    try {
      expect((await client.startTls()).code).toBe(220);
      const ehlo = await client.command('EHLO client.example');
      expect(ehlo.lines.some((l) => /^AUTH\b.*\bPLAIN\b/i.test(l))).toBe(true);
      const mail = await client.command('MAIL FROM:<alice@example.org>');
      expect(replyStatus(mail)).toBe('530 5.7.0');
      // The right password then opens the door on the same connection.
      expect((await client.command(`AUTH PLAIN ${plainAuth('alice', PASSWORD)}`)).code).toBe(235);
      expect((await client.command('MAIL FROM:<alice@example.org>')).code).toBe(250);
    } finally {
      client.destroy();
    }
  });

  it('answers 535 5.7.8 to a wrong password and 530 to the MAIL after it', async () => {
    const client = await RawSmtpClient.greeted(mta.submission?.port ?? 0, { timeoutMs: 10_000 });
    try {
      expect((await client.startTls()).code).toBe(220);
      expect((await client.command('EHLO client.example')).code).toBe(250);
      const wrong = await client.command(`AUTH PLAIN ${plainAuth('alice', 'wrong')}`);
      expect(replyStatus(wrong)).toBe('535 5.7.8');
      expect((await client.command('MAIL FROM:<alice@example.org>')).code).toBe(530);
      const unknown = await client.command(`AUTH PLAIN ${plainAuth('mallory', PASSWORD)}`);
      expect(unknown.code).toBe(535);
    } finally {
      client.destroy();
    }
  });
});
