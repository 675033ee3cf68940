/** Four letters as one number, each folded to upper case (`& 0xdf`). */
function fold4(t: string): number {
  return (
    (((t.charCodeAt(0) & 0xdf) << 24) |
      ((t.charCodeAt(1) & 0xdf) << 16) |
      ((t.charCodeAt(2) & 0xdf) << 8) |
      (t.charCodeAt(3) & 0xdf)) >>>
    0
  );
}

/**
 * A case-insensitive lookup of a verb as sent among `names` (upper-case letters only), giving the
 * name from `names` itself or undefined. A command's verb is looked up once per command line: a
 * four-letter verb (all the core ones) is read as one number, so no upper-case copy of it is made
 * and the table it indexes is indexed with its own interned string. Only ASCII letters fold onto
 * letters under `& 0xdf`, so no other text matches a name.
 *
 * @example
 * ```ts
 * const lookup = verbLookup(['MAIL', 'STARTTLS']);
 * lookup('mAiL'); // 'MAIL'
 * lookup('xyzw'); // undefined
 * ```
 */
export function verbLookup(names: readonly string[]): (text: string) => string | undefined {
  const four = new Map<number, string>();
  const other = new Map<string, string>();
  for (const name of names) {
    if (name.length === 4) four.set(fold4(name), name);
    else other.set(name, name);
  }
  return (text) => (text.length === 4 ? four.get(fold4(text)) : other.get(text.toUpperCase()));
}
