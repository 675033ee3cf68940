// RFC 6152 §3: an 8-bit message relayed to a next hop without 8BITMIME is converted to 7-bit MIME
// or returned, never sent as it is. The next hop is aiosmtpd with 8BITMIME left out of its EHLO.
import { spawnSync } from 'node:child_process';
import { parseDsn } from '@smtpkit/dsn';
import {
  type Aiosmtpd,
  aiosmtpdSkipReason,
  RawSmtpClient,
  SYSTEM_PYTHON,
  startAiosmtpd,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MtaProcess, startMtaProcess } from './support/mta-process.js';

/** Each text part's Content-Transfer-Encoding and decoded text, read by Python's email package. */
const READ_WITH_PYTHON = `
import email, email.policy, json, sys
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
parts = [p for p in m.walk() if p.get_content_maintype() == 'text']
print(json.dumps({'subject': str(m['subject']),
                  'texts': [p.get_content() for p in parts],
                  'cte': [str(p.get('Content-Transfer-Encoding', '')).lower() for p in parts]}))
`;

function readWithPython(data: Buffer): { subject: string; texts: string[]; cte: string[] } {
  const read = spawnSync(SYSTEM_PYTHON, ['-c', READ_WITH_PYTHON], { input: data, timeout: 20_000 });
  if (read.status !== 0) throw new Error(`python: ${read.stderr.toString()}`);
  return JSON.parse(read.stdout.toString()) as { subject: string; texts: string[]; cte: string[] };
}

const TEXT = 'Grüße aus Köln — ça va? 日本語のテキスト\r\n.a line that starts with a dot\r\n';
const HTML = '<p>Grüße aus Köln — ça va?</p>\r\n';

const EIGHT_BIT = Buffer.from(
  [
    'From: alice@a.test',
    'To: bob@remote.test',
    'Subject: 8bit to a 7bit hop',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary="ALT"',
    '',
    '--ALT',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `${TEXT}--ALT`,
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `${HTML}--ALT--`,
    '',
  ].join('\r\n'),
  'utf8',
);

// RFC 1847 §2.1: a signed part may not be changed, and this one holds 8-bit text.
const SIGNED = Buffer.from(
  [
    'From: alice@a.test',
    'To: bob@remote.test',
    'Subject: signed 8bit',
    'MIME-Version: 1.0',
    'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary="SIG"',
    '',
    '--SIG',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Unterschrieben: Grüße',
    '--SIG',
    'Content-Type: application/pgp-signature',
    '',
    '-----BEGIN PGP SIGNATURE-----',
    'iQEzBAEBCAAdFiEEnotarealsignatureAAAA=',
    '-----END PGP SIGNATURE-----',
    '--SIG--',
    '',
  ].join('\r\n'),
  'utf8',
);

async function send8bit(mta: MtaProcess, message: Buffer): Promise<string | undefined> {
  const client = await RawSmtpClient.greeted(mta.mx?.port ?? 0, { timeoutMs: 10_000 });
  try {
    expect((await client.command('MAIL FROM:<alice@a.test> BODY=8BITMIME')).code).toBe(250);
    expect((await client.command('RCPT TO:<bob@remote.test>')).code).toBe(250);
    const reply = await client.data(message);
    expect(reply.code).toBe(250);
    return /queued as (\S+)/.exec(reply.lines.join(' '))?.[1];
  } finally {
    client.destroy();
  }
}

describe.skipIf(aiosmtpdSkipReason() !== undefined)('8BITMIME to a 7-bit next hop', () => {
  let hop: Aiosmtpd | undefined;
  let mta: MtaProcess | undefined;

  beforeAll(async () => {
    hop = await startAiosmtpd({ eightBitMime: false });
    mta = await startMtaProcess({
      config: {
        hostname: 'mta.a.test',
        listen: { mx: ['127.0.0.1:0'], submission: [], submissions: [] },
        localDomains: ['a.test'],
        delivery: { relay: `127.0.0.1:${hop.port}` },
        metrics: false,
      },
      users: { alice: 'alice password' },
    });
  }, 60_000);
  afterAll(async () => {
    await mta?.stop();
    await mta?.remove();
    await hop?.stop();
  });

  it('sends 7-bit MIME whose decoded text is the original', async () => {
    if (mta === undefined || hop === undefined) throw new Error('not started');
    const before = (await hop.messages()).length;
    const id = await send8bit(mta, EIGHT_BIT);
    const got = await hop.waitForMessages(before + 1, 30_000);
    const stored = got[before];
    // No BODY=8BITMIME to a server that did not offer it, and not one octet above 0x7f.
    expect(stored?.mailOptions.map((o) => o.toUpperCase())).not.toContain('BODY=8BITMIME');
    const data = stored?.data ?? Buffer.alloc(0);
    expect(data.every((octet) => octet < 0x80)).toBe(true);
    const parsed = readWithPython(data);
    expect(parsed.subject).toBe('8bit to a 7bit hop');
    expect(parsed.cte).toHaveLength(2);
    for (const cte of parsed.cte) expect(['quoted-printable', 'base64']).toContain(cte);
    // The same text as Python reads from the original, which is each part's text without the
    // CRLF before the next boundary (it belongs to the boundary, RFC 2046 §5.1.1).
    expect(parsed.texts).toEqual(readWithPython(EIGHT_BIT).texts);
    expect(parsed.texts).toEqual([TEXT.slice(0, -2), HTML.slice(0, -2)]);
    // Our Received: is there, unchanged.
    expect(data.toString('latin1')).toMatch(
      /^Received: from client\.example \(\[127\.0\.0\.1\]\)\r\n\tby mta\.a\.test \(smtpkit\) with ESMTP id /,
    );
    await mta.waitForEvent((e) => e['msg'] === 'delivered' && e['queueId'] === id, 30_000);
  }, 90_000);

  it('returns a message it cannot convert (multipart/signed with 8-bit inside) with 5.6.3', async () => {
    if (mta === undefined || hop === undefined) throw new Error('not started');
    const before = (await hop.messages()).length;
    const id = await send8bit(mta, SIGNED);
    const [notice] = await mta.waitForMailbox('alice', 1, 60_000);
    const bytes = Buffer.from(notice ?? '', 'utf8');
    const report = parseDsn(bytes);
    expect(report.recipients).toHaveLength(1);
    expect(report.recipients[0]).toMatchObject({ action: 'failed', status: '5.6.3' });
    expect(report.recipients[0]?.finalRecipient.address).toBe('bob@remote.test');
    expect(notice).toMatch(/^Return-Path: <>\r\nDelivered-To: alice@a\.test\r\n/);
    const failed = await mta.waitForEvent(
      (e) => e['msg'] === 'failed' && e['queueId'] === id,
      10_000,
    );
    expect(String(failed['reply'])).toMatch(/^554 5\.6\.3 /);
    // Nothing of it reached the 7-bit hop.
    expect((await hop.messages()).length).toBe(before);
  }, 90_000);
});
