/*
 * RFC 4013 (SASLprep), the stringprep profile SCRAM applies to user names and passwords
 * (RFC 5802 §5.1 "Normalize(str)"):
 *   §2.1 Mapping: non-ASCII space characters (RFC 3454 C.1.2) map to SPACE (U+0020); "commonly
 *        mapped to nothing" characters (B.1) map to nothing.
 *   §2.2 Normalization: Unicode normalization form KC.
 *   §2.3 Prohibited output: C.1.2, C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9.
 * This implementation covers the mapping, NFKC and the prohibited ranges below; it does not run
 * the bidirectional check (§2.4) nor reject unassigned code points, which stored passwords are
 * unlikely to hold.
 */

/** RFC 3454 C.1.2: non-ASCII space characters. */
function isNonAsciiSpace(cp: number): boolean {
  return (
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200b) ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** RFC 3454 B.1: commonly mapped to nothing. */
function isMappedToNothing(cp: number): boolean {
  return (
    cp === 0xad ||
    cp === 0x34f ||
    cp === 0x1806 ||
    (cp >= 0x180b && cp <= 0x180d) ||
    (cp >= 0x200b && cp <= 0x200d) ||
    cp === 0x2060 ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    cp === 0xfeff
  );
}

/** RFC 3454 C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8, C.9. */
function isProhibited(cp: number): boolean {
  return (
    cp <= 0x1f ||
    (cp >= 0x7f && cp <= 0x9f) || // C.2.1, C.2.2 controls
    cp === 0x6dd ||
    cp === 0x70f ||
    cp === 0x180e ||
    (cp >= 0x200c && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2063) ||
    (cp >= 0x206a && cp <= 0x206f) || // C.2.2, C.8
    (cp >= 0x2ff0 && cp <= 0x2ffb) || // C.7
    (cp >= 0xd800 && cp <= 0xdfff) || // C.5 surrogates
    (cp >= 0xe000 && cp <= 0xf8ff) || // C.3 private use
    (cp >= 0xfdd0 && cp <= 0xfdef) || // C.4
    cp === 0xfeff ||
    (cp >= 0xfff9 && cp <= 0xfffd) || // C.2.2, C.6
    (cp & 0xfffe) === 0xfffe || // C.4 U+nFFFE, U+nFFFF
    (cp >= 0x1d173 && cp <= 0x1d17a) || // C.2.2 musical controls
    (cp >= 0xe0001 && cp <= 0xe007f) || // C.9 tags
    cp >= 0xf0000 // C.3 planes 15 and 16
  );
}

/**
 * SASLprep (RFC 4013) of a string, or `undefined` when it holds prohibited output.
 *
 * @example
 * ```ts
 * saslPrep('I\u00ADX');  // 'IX'
 * saslPrep('\u2168');    // 'IX' (NFKC)
 * saslPrep('\u0007');    // undefined
 * ```
 */
export function saslPrep(text: string): string | undefined {
  let mapped = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (isMappedToNothing(cp)) continue;
    mapped += isNonAsciiSpace(cp) ? ' ' : ch;
  }
  const normalized = mapped.normalize('NFKC');
  for (const ch of normalized) if (isProhibited(ch.codePointAt(0) ?? 0)) return undefined;
  return normalized;
}
