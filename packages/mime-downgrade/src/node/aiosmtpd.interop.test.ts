// The converter's output crossing a real SMTP hop as 7-bit data (no BODY=8BITMIME), to aiosmtpd,
// then read back by Python's email package, a MIME reader this package has nothing in common with.
import { spawnSync } from 'node:child_process';
import {
  type Aiosmtpd,
  aiosmtpdSkipReason,
  RawSmtpClient,
  SYSTEM_PYTHON,
  startAiosmtpd,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downgrade, expectSevenBit, octets } from './downgrade.test-support.js';

/** Prints the Subject and each text part's decoded text, as JSON. */
const READ_WITH_PYTHON = `
import email, email.policy, json, sys
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
parts = [p for p in m.walk() if p.get_content_maintype() == 'text']
print(json.dumps({'subject': str(m['subject']), 'from': str(m['from']),
                  'texts': [p.get_content() for p in parts],
                  'cte': [p.get('Content-Transfer-Encoding') for p in parts]}))
`;

const MESSAGE = octets(
  [
    'From: Zoë Ångström <zoe@example.com>',
    'To: b@example.org',
    'Subject: Ünïcödé über alles',
    'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary=ALT',
    '',
    '--ALT',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Grüße — ça va?',
    '.a line that starts with a dot',
    '--ALT',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    '<p>Grüße — ça va?</p>',
    '--ALT--',
    '',
  ].join('\n'),
);

describe.skipIf(aiosmtpdSkipReason() !== undefined)('downgradeTo7bit through aiosmtpd', () => {
  let server: Aiosmtpd;
  beforeAll(async () => {
    server = await startAiosmtpd();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sends 7-bit data that Python decodes back to the original text', async () => {
    const converted = await downgrade([MESSAGE]);
    expectSevenBit(converted);
    const client = await RawSmtpClient.greeted(server.port);
    expect((await client.command('MAIL FROM:<zoe@example.com>')).code).toBe(250);
    expect((await client.command('RCPT TO:<b@example.org>')).code).toBe(250);
    expect((await client.data(converted)).code).toBe(250);
    await client.command('QUIT');
    client.destroy();

    const [stored] = await server.waitForMessages(1, 10_000);
    expect(stored?.mailOptions).toEqual([]);
    const data = stored?.data ?? Buffer.alloc(0);
    expectSevenBit(data);
    const read = spawnSync(SYSTEM_PYTHON, ['-c', READ_WITH_PYTHON], {
      input: data,
      timeout: 10_000,
    });
    expect(read.status, read.stderr.toString()).toBe(0);
    const parsed = JSON.parse(read.stdout.toString()) as {
      subject: string;
      from: string;
      texts: string[];
      cte: string[];
    };
    expect(parsed.subject).toBe('Ünïcödé über alles');
    expect(parsed.from).toBe('Zoë Ångström <zoe@example.com>');
    expect(parsed.cte).toEqual(['quoted-printable', 'quoted-printable']);
    expect(parsed.texts.map((t) => t.replace(/\r\n/g, '\n'))).toEqual([
      'Grüße — ça va?\n.a line that starts with a dot', // the CRLF before a delimiter is the delimiter's
      '<p>Grüße — ça va?</p>',
    ]);
  });
});
