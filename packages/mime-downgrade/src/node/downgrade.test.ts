import { byteByByte } from '@smtpkit/testing';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { isDowngradeError } from '../downgrade-error.js';
import {
  byteStream,
  decodedLeaves,
  downgrade,
  expectSevenBit,
  octets,
} from './downgrade.test-support.js';

const TEXT_UTF8 = 'Grüße aus Köln, naïve café — 日本語も少し。\nSecond line.\n';
const TEXT_LATIN1 = 'Café crème à la française, déjà vu.\n';
const HTML = '<p>Ça va? Smörgåsbord — “quotes”.</p>\n';
/** A binary attachment, already base64: it must come out byte for byte. */
const ATTACHMENT = [
  '--OUTER',
  'Content-Type: application/octet-stream; name="blob.bin"',
  'Content-Disposition: attachment; filename="blob.bin"',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10, 13]).toString('base64'),
].join('\n');

const MIXED = [
  'From: Jürgen Groß <jg@example.com>',
  'To: "Dœ, Jane" <jane@example.org>, plain@example.net',
  'Subject: Grüße — résumé',
  'Message-ID: <m1@example.com>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary=OUTER',
  '',
  'This is a multi-part message in MIME format.',
  '--OUTER',
  'Content-Type: multipart/alternative; boundary="INNER"',
  '',
  '--INNER',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  TEXT_UTF8,
  '--INNER',
  'Content-Type: text/html; charset="utf-8"',
  'Content-Transfer-Encoding: 8bit',
  '',
  HTML,
  '--INNER--',
  '',
  '--OUTER',
  'Content-Type: text/plain; charset=iso-8859-1',
  'Content-Transfer-Encoding: 8bit',
  '',
  '@LATIN1@',
  ATTACHMENT,
  '--OUTER--',
  '',
].join('\n');

/** The mixed message: UTF-8 everywhere, the Latin-1 part in Latin-1 octets. */
function mixedMessage(): Buffer {
  const [before, after] = MIXED.split('@LATIN1@') as [string, string];
  return Buffer.concat([octets(before), octets(TEXT_LATIN1, 'latin1'), octets(after)]);
}

describe('downgradeTo7bit', () => {
  it('keeps a 7-bit message byte for byte', async () => {
    const message = octets(
      [
        'From: a@example.com',
        'Subject: plain',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary=OUTER',
        '',
        '--OUTER',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        'Hello = world, trailing space ',
        '',
        ATTACHMENT,
        '--OUTER--',
        '',
      ].join('\n'),
    );
    expect((await downgrade([message])).equals(message)).toBe(true);
  });

  it('converts 8-bit text/plain (UTF-8, Latin-1) and text/html in nested multiparts', async () => {
    const message = mixedMessage();
    const out = await downgrade([message]);
    expectSevenBit(out);
    const text = out.toString('latin1');
    // Structure and boundaries kept; the base64 attachment untouched.
    expect(text).toContain('Content-Type: multipart/mixed; boundary=OUTER\r\n');
    expect(text).toContain('Content-Type: multipart/alternative; boundary="INNER"\r\n');
    expect(text).toContain(octets(ATTACHMENT).toString('latin1'));
    expect(text).toContain('This is a multi-part message in MIME format.\r\n--OUTER\r\n');
    // Charsets kept, encodings updated.
    expect(text).toContain('Content-Type: text/plain; charset=iso-8859-1\r\n');
    expect(text).not.toMatch(/Content-Transfer-Encoding: 8bit/i);
    expect(text).toMatch(
      /Content-Type: text\/html; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable/,
    );
    // Line-oriented QP: the CRLF lines of the text stay lines.
    expect(text).toContain('Second line.\r\n');

    const parsed = await simpleParser(out);
    expect(parsed.subject).toBe('Grüße — résumé');
    expect(parsed.from?.value[0]).toEqual({ name: 'Jürgen Groß', address: 'jg@example.com' });
    const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
    expect(to?.value.map((a) => [a.name, a.address])).toEqual([
      ['Dœ, Jane', 'jane@example.org'],
      ['', 'plain@example.net'],
    ]);
    // Each part decodes to its original octets.
    const leaves = await decodedLeaves(out);
    expect(leaves.map((l) => [l.contentType, l.content.toString('latin1')])).toEqual([
      ['text/plain', octets(TEXT_UTF8).toString('latin1')],
      ['text/html', octets(HTML).toString('latin1')],
      ['text/plain', octets(TEXT_LATIN1, 'latin1').toString('latin1')],
      ['application/octet-stream', '\x00\x01\x02\xff\xfe\x80\n\r'],
    ]);
    const blob = parsed.attachments.find((a) => a.filename === 'blob.bin');
    expect(blob?.content).toEqual(Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10, 13]));
  });

  it('gives the same output fed one octet at a time, as a Readable', async () => {
    const message = mixedMessage();
    const whole = await downgrade([message]);
    expect((await downgrade(byteByByte(message))).equals(whole)).toBe(true);
    expect((await downgrade(byteStream(message))).equals(whole)).toBe(true);
  });

  it('recurses into a message/rfc822 attachment: no 8bit label on it, its parts converted', async () => {
    const inner = [
      'From: Zoë <zoe@example.com>',
      'Subject: Forwarded — ça marche',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Inner text: ünïcödé.',
      '',
    ].join('\n');
    const message = octets(
      [
        'From: a@example.com',
        'Subject: fwd',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary=B',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        'See attached.',
        '--B',
        'Content-Type: message/rfc822',
        'Content-Disposition: attachment; filename="fwd.eml"',
        'Content-Transfer-Encoding: 8bit',
        '',
        inner,
        '--B--',
        '',
      ].join('\n'),
    );
    const out = await downgrade([message]);
    expectSevenBit(out);
    const text = out.toString('latin1');
    expect(text).toContain(
      'Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename="fwd.eml"\r\nContent-Transfer-Encoding: 7bit\r\n',
    );
    expect(text).not.toMatch(/Content-Transfer-Encoding: (8bit|base64)\r\n\r\nFrom: =\?UTF-8/);
    const parsed = await simpleParser(out);
    const attached = parsed.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(attached).toBeDefined();
    const forwarded = await simpleParser(attached?.content ?? Buffer.alloc(0));
    expect(forwarded.subject).toBe('Forwarded — ça marche');
    expect(forwarded.text).toBe('Inner text: ünïcödé.\n');
    expect(forwarded.from?.value[0]?.name).toBe('Zoë');
  });

  it('turns a raw UTF-8 Subject into encoded-words and leaves the rest of the header alone', async () => {
    const message = octets('Subject: Привет, мир\nX-Note: ascii\n\nbody\n');
    const out = await downgrade([message]);
    expectSevenBit(out);
    expect(out.toString('latin1')).toMatch(
      /^Subject: =\?UTF-8\?Q\?[^\r\n]+\?=(\r\n =\?UTF-8\?Q\?[^\r\n]+\?=)*\r\nX-Note: ascii\r\n\r\nbody\r\n$/,
    );
    expect((await simpleParser(out)).subject).toBe('Привет, мир');
  });

  it('makes a non-MIME 8-bit message MIME: version, content type with charset, quoted-printable', async () => {
    const out = await downgrade([octets('From: a@example.com\n\nnaïve\n')]);
    expectSevenBit(out);
    expect(out.toString('latin1')).toBe(
      'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\nFrom: a@example.com\r\n\r\nna=C3=AFve\r\n',
    );
  });

  it('relabels an 8bit part that holds only 7-bit data, keeping its body', async () => {
    const out = await downgrade([
      octets('Content-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\nascii only\n'),
    ]);
    expect(out.toString('latin1')).toBe(
      'Content-Type: text/plain\r\nContent-Transfer-Encoding: 7bit\r\n\r\nascii only\r\n',
    );
  });

  it('encodes a 7bit part with a line over 998 octets, and binary data as base64', async () => {
    const long = `${'x'.repeat(2000)}\n`;
    const out = await downgrade([
      octets(
        `Content-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\n${long}--B\nContent-Type: image/png\nContent-Transfer-Encoding: binary\n\n`,
      ),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]),
      octets('\n--B--\n'),
    ]);
    expectSevenBit(out);
    const leaves = await decodedLeaves(out);
    expect(leaves.map((l) => l.content)).toEqual([
      octets(long).subarray(0, -2),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]),
    ]);
    expect(out.toString('latin1')).toContain(
      'Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n',
    );
  });

  it('uses base64 for text that is mostly 8-bit', async () => {
    const body = '日本語のテキストです。\n';
    const out = await downgrade([
      octets(`Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${body}`),
    ]);
    expect(out.toString('latin1')).toContain('Content-Transfer-Encoding: base64');
    expect((await decodedLeaves(out))[0]?.content.toString()).toBe(body.replace(/\n/g, '\r\n'));
  });

  it('drops stray 8-bit octets from a base64 part, which decoders ignore anyway', async () => {
    const out = await downgrade([
      octets(
        'Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\naGVs\u00e9bG8=\n',
      ),
    ]);
    expect(out.toString('latin1')).toContain('\r\n\r\naGVsbG8=\r\n');
  });

  it('encodes a part declared 8bit that is longer than the sniff window, whatever its start', async () => {
    const body = `${'a'.repeat(3000)}\nend: é\n`;
    const out = await downgrade(
      [
        octets(
          `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${body}`,
        ),
      ],
      { sniffBytes: 1024 },
    );
    expectSevenBit(out);
    expect((await decodedLeaves(out))[0]?.content.toString()).toBe(body.replace(/\n/g, '\r\n'));
  });

  it('refuses 8-bit data found past the sniff window in a part sent as it is (5.6.3)', async () => {
    const body = `${'a\n'.repeat(1000)}late é\n`;
    const error = await downgrade([octets(`Content-Type: text/plain\n\n${body}`)], {
      sniffBytes: 1024,
    }).catch((e: unknown) => e);
    expect(isDowngradeError(error) && error.code).toBe('ERR_MIME_DOWNGRADE_UNCONVERTIBLE');
    expect(isDowngradeError(error) && error.enhancedStatus).toBe('5.6.3');
  });

  it('refuses an 8-bit part inside multipart/signed (5.6.3)', async () => {
    const message = octets(
      [
        'Content-Type: multipart/signed; protocol="application/pgp-signature"; micalg=pgp-sha256; boundary=S',
        '',
        '--S',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        'signed café',
        '--S',
        'Content-Type: application/pgp-signature',
        '',
        '-----BEGIN PGP SIGNATURE-----',
        '--S--',
        '',
      ].join('\n'),
    );
    const error = await downgrade([message]).catch((e: unknown) => e);
    expect(
      isDowngradeError(error) && [error.code, error.enhancedStatus, error.reply?.code],
    ).toEqual(['ERR_MIME_DOWNGRADE_SIGNED', '5.6.3', 554]);
  });

  it('refuses a raw UTF-8 address (5.6.7) and raw 8-bit in a Message-ID (5.6.9)', async () => {
    const address = await downgrade([octets('From: Jörg <jörg@example.com>\n\nx\n')]).catch(
      (e: unknown) => e,
    );
    expect(isDowngradeError(address) && [address.code, address.enhancedStatus]).toEqual([
      'ERR_MIME_DOWNGRADE_UTF8_ADDRESS',
      '5.6.7',
    ]);
    const id = await downgrade([octets('Message-ID: <é@example.com>\n\nx\n')]).catch(
      (e: unknown) => e,
    );
    expect(isDowngradeError(id) && [id.code, id.enhancedStatus]).toEqual([
      'ERR_MIME_DOWNGRADE_UTF8_HEADER',
      '5.6.9',
    ]);
  });

  it('moves an 8-bit filename into RFC 2231 form', async () => {
    const out = await downgrade([
      octets(
        'Content-Type: application/pdf\nContent-Disposition: attachment; filename="résumé.pdf"\nContent-Transfer-Encoding: base64\n\nJVBERg==\n',
      ),
    ]);
    expectSevenBit(out);
    expect((await simpleParser(out)).attachments[0]?.filename).toBe('résumé.pdf');
  });

  it('refuses an invalid option', async () => {
    const error = await downgrade([octets('x\n')], { sniffBytes: 10 }).catch((e: unknown) => e);
    expect(isDowngradeError(error) && [error.code, error.misuse]).toEqual([
      'ERR_MIME_DOWNGRADE_MISUSE_OPTION',
      true,
    ]);
  });

  it('passes an error of the source through', async () => {
    async function* failing() {
      yield octets('Subject: x\n\n');
      throw new Error('disk gone');
    }
    await expect(downgrade(failing() as unknown as Iterable<Uint8Array>)).rejects.toThrow(
      'disk gone',
    );
  });
});
