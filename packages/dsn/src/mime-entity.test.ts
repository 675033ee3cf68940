import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binaryString,
  decodedBody,
  parseContentType,
  splitEntity,
  splitMultipart,
} from './mime-entity.js';

const enc = (t: string) => new TextEncoder().encode(t);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const parts = (body: string, boundary = 'b') => splitMultipart(enc(body), boundary).map(dec);

describe('splitMultipart (RFC 2046 §5.1.1)', () => {
  it('leaves out preamble and epilogue; the CRLF before a delimiter belongs to it', () => {
    expect(parts('preamble\r\n--b\r\none\r\n--b\r\ntwo\r\n\r\n--b--\r\nepilogue\r\n')).toEqual([
      'one',
      'two\r\n',
    ]);
  });

  it('takes transport padding after a delimiter, LF-only lines, and a first delimiter at offset 0', () => {
    expect(parts('--b  \n one\n--b\t\ntwo\n--b-- \n')).toEqual([' one', 'two']);
  });

  it('does not take a delimiter inside a line or a longer boundary for it', () => {
    expect(parts('--b\r\nx --b\r\n--bx\r\n--b--')).toEqual(['x --b\r\n--bx']);
  });

  it('runs a part without a close delimiter to the end; no delimiter at all: no parts', () => {
    expect(parts('--b\r\none\r\n--b\r\ntwo')).toEqual(['one', 'two']);
    expect(parts('no parts here')).toEqual([]);
  });

  it('gives empty parts for adjacent delimiters', () => {
    expect(parts('--b\r\n--b\r\nx\r\n--b--')).toEqual(['', 'x']);
  });
});

describe('splitEntity and parseContentType', () => {
  it('a part with no header fields starts with an empty line', () => {
    const e = splitEntity(enc('\r\nbody'));
    expect(e?.fields).toEqual([]);
    expect(dec(e?.body ?? new Uint8Array())).toBe('body');
    expect(splitEntity(enc('A: b\r\nno end'))).toBeUndefined();
  });

  it('reads quoted parameters, comments, case, and defaults to text/plain', () => {
    const ct = parseContentType(
      'Multipart/Report (a comment); Report-Type="delivery-status";\tboundary="a\\"b;c"',
    );
    expect(ct.type).toBe('multipart/report');
    expect(ct.params.get('report-type')).toBe('delivery-status');
    expect(ct.params.get('boundary')).toBe('a"b;c');
    expect(parseContentType(undefined).type).toBe('text/plain');
    expect(parseContentType('garbage').type).toBe('text/plain');
  });
});

describe('transfer decoding (RFC 2045 §6.7, §6.8)', () => {
  const body = (cte: string, text: string) =>
    decodedBody({ fields: [{ name: 'Content-Transfer-Encoding', value: cte }], body: enc(text) });

  it('undoes quoted-printable: =XX, soft breaks (with padding), a lone "=" kept', () => {
    expect(dec(body('quoted-printable', 'caf=C3=A9=\r\n au =  \nlait=\r\n'))).toBe('café au lait');
    expect(dec(body('Quoted-Printable', 'a=ZZb'))).toBe('a=ZZb');
  });

  it('undoes base64, ignoring line breaks and stray characters', () => {
    expect(dec(body('base64', 'Y2Fm\r\nw6k=\r\n'))).toBe('café');
  });

  it('decodes what Node encodes, for any bytes (base64 and quoted-printable)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const b64 = Buffer.from(bytes)
          .toString('base64')
          .replace(/.{1,76}/g, '$&\r\n');
        expect(body('base64', b64)).toEqual(bytes);
        const qp = Array.from(bytes, (b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`)
          .join('')
          .replace(/(.{1,72})/g, '$1=\r\n');
        expect(body('quoted-printable', qp)).toEqual(bytes);
      }),
    );
  });

  it('binaryString maps each octet to one UTF-16 unit, ASCII to itself', () => {
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => i % 256);
    const text = binaryString(bytes);
    expect(text.length).toBe(bytes.length);
    for (let i = 0; i < 256; i++) if (i < 0x80) expect(text.charCodeAt(i)).toBe(i);
  });

  it('reads header fields as UTF-8 (RFC 6532)', () => {
    expect(splitEntity(enc('To: <山田@例え.jp>\r\n\r\nx'))?.fields).toEqual([
      { name: 'To', value: '<山田@例え.jp>' },
    ]);
  });
});
