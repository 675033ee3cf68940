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

// RFC 3454 C.1.2: non-ASCII space characters.
const NON_ASCII_SPACE = /[\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]/g;
// RFC 3454 B.1: commonly mapped to nothing.
const MAPPED_TO_NOTHING =
  /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/g;
// RFC 3454 C.2.1, C.2.2, C.3, C.4 (BMP part), C.5, C.6, C.7, C.8, C.9 (BMP part).
const PROHIBITED =
  /[\u0000-\u001f\u007f-\u009f\u06dd\u070f\u180e\u200c\u200d\u200e\u200f\u2028-\u202e\u2060-\u2063\u206a-\u206f\u2ff0-\u2ffb\ud800-\udfff\ue000-\uf8ff\ufdd0-\ufdef\ufeff\ufff9-\ufffd\ufffe\uffff]/u;

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
  const mapped = text.replace(NON_ASCII_SPACE, ' ').replace(MAPPED_TO_NOTHING, '');
  const normalized = mapped.normalize('NFKC');
  if (PROHIBITED.test(normalized)) return undefined;
  // C.3 private use and C.4 non-characters outside the BMP: planes 15–16, U+nFFFE/U+nFFFF.
  for (const ch of normalized) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xf0000 || (cp > 0xffff && (cp & 0xfffe) === 0xfffe)) return undefined;
    if (cp >= 0xe0001 && cp <= 0xe007f) return undefined; // C.9 tagging characters
  }
  return normalized;
}
