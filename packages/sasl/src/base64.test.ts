import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Strict, encodeBase64, utf8DecodeStrict } from './base64.js';

describe('strict base64 (RFC 4648 §4)', () => {
  it('decodes the RFC 4648 §10 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, b64] of vectors) {
      expect(encodeBase64(plain)).toBe(b64);
      expect(new TextDecoder().decode(decodeBase64Strict(b64))).toBe(plain);
    }
  });
  it.each([
    'Zg',
    'Zg=',
    'Z===',
    'Zm9v\r\n',
    ' Zm9v',
    'Zm9-',
    'Zm_v',
    '=Zm9',
    'Zg==Zg==',
    'Zm9vé===',
  ])('refuses %j', (text) => {
    expect(decodeBase64Strict(text)).toBeUndefined();
  });
  it('round-trips any bytes and agrees with Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = encodeBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(decodeBase64Strict(text)).toEqual(bytes);
      }),
    );
  });
  it('utf8DecodeStrict refuses ill-formed sequences', () => {
    expect(utf8DecodeStrict(Uint8Array.from([0xed, 0xa0, 0x80]))).toBeUndefined(); // surrogate
    expect(utf8DecodeStrict(Uint8Array.from([0xc0, 0xaf]))).toBeUndefined(); // overlong
    expect(utf8DecodeStrict(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))).toBe('\ufeffa'); // BOM kept
  });
});
