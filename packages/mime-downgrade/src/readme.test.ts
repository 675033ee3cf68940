/** The README snippet, as a test: its printed values are the asserted ones. */
import { describe, expect, it } from 'vitest';
import { downgradeTo7bit, isSevenBit } from './index.js';

describe('README', () => {
  it('converts the documented message to the documented output', async () => {
    const message = Buffer.from(
      'From: Zoë <zoe@example.com>\r\n' +
        'Subject: Grüße\r\n' +
        'MIME-Version: 1.0\r\n' +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        'Content-Transfer-Encoding: 8bit\r\n' +
        '\r\n' +
        'Grüße aus Köln\r\n',
    );
    expect(isSevenBit([message])).toBe(false);
    const out: Buffer[] = [];
    for await (const chunk of downgradeTo7bit([message])) out.push(chunk);
    expect(Buffer.concat(out).toString()).toBe(
      [
        'From: =?UTF-8?Q?Zo=C3=AB?= <zoe@example.com>',
        'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Gr=C3=BC=C3=9Fe aus K=C3=B6ln',
        '',
      ].join('\r\n'),
    );
  });
});
