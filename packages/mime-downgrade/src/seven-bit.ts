/**
 * RFC 5321 §4.5.3.1.6: "The maximum total length of a text line including the <CRLF> is 1000
 * octets (not counting the leading dot duplicated for transparency)", so 998 octets before CRLF.
 * RFC 2045 §2.7 asks the same of 7bit data.
 */
export const MAX_LINE_OCTETS = 998;

/**
 * An incremental scan for what keeps a message from crossing a 7-bit hop as it is: any octet
 * above 127, a NUL (RFC 2045 §2.7: 7bit data holds neither), or a line longer than
 * {@link MAX_LINE_OCTETS}. Feed it the message in chunks, in order; chunk boundaries never change
 * the answer. A line ends at LF; a CR just before that LF does not count towards its length.
 *
 * @example
 * ```ts
 * const scan = new SevenBitDetector();
 * for (const chunk of [Buffer.from('Subject: hi\r\n\r\n'), Buffer.from('caf\u00e9\r\n')]) scan.push(chunk);
 * scan.sevenBit; // false: é is two octets above 127
 * ```
 */
export class SevenBitDetector {
  #eightBit = false;
  #nul = false;
  #longLine = false;
  /** Octets of the current line so far (a CR that ends the chunk counted, taken back at LF). */
  #lineLength = 0;
  #pendingCr = false;

  /** Scans the next chunk of the message. */
  push(chunk: Uint8Array): void {
    if (this.#eightBit && this.#nul && this.#longLine) return;
    let start = 0;
    for (;;) {
      const lf = chunk.indexOf(0x0a, start);
      const end = lf === -1 ? chunk.length : lf;
      this.#scanOctets(chunk, start, end);
      if (lf === -1) break;
      // The LF ends the line; a CR right before it is part of the line break, not of the line.
      const endsWithCr = end > start ? chunk[end - 1] === 0x0d : this.#pendingCr;
      const length = this.#lineLength - (endsWithCr ? 1 : 0);
      if (length > MAX_LINE_OCTETS) this.#longLine = true;
      this.#lineLength = 0;
      this.#pendingCr = false;
      start = lf + 1;
    }
  }

  #scanOctets(chunk: Uint8Array, start: number, end: number): void {
    if (end === start) return;
    if (!this.#eightBit || !this.#nul) {
      for (let i = start; i < end; i++) {
        const octet = chunk[i] as number;
        if (octet >= 0x80) this.#eightBit = true;
        else if (octet === 0) this.#nul = true;
      }
    }
    this.#lineLength += end - start;
    this.#pendingCr = chunk[end - 1] === 0x0d;
    // A line past the limit plus a possible CR is too long whatever follows.
    if (this.#lineLength > MAX_LINE_OCTETS + 1) this.#longLine = true;
  }

  /** True while no octet above 127, no NUL and no over-long line has been seen. */
  get sevenBit(): boolean {
    return (
      !this.#eightBit &&
      !this.#nul &&
      !this.#longLine &&
      this.#lineLength <= MAX_LINE_OCTETS + (this.#pendingCr ? 1 : 0)
    );
  }

  /** An octet above 127 was seen. */
  get eightBit(): boolean {
    return this.#eightBit;
  }

  /** A NUL octet was seen. */
  get nul(): boolean {
    return this.#nul;
  }

  /** A line longer than {@link MAX_LINE_OCTETS} (without its CRLF) was seen. */
  get longLine(): boolean {
    return this.#longLine || this.#lineLength > MAX_LINE_OCTETS + (this.#pendingCr ? 1 : 0);
  }
}

/**
 * Whether a message (all its chunks, in order) can cross a hop without 8BITMIME as it is: no octet
 * above 127, no NUL, no line over 998 octets. An MTA given `BODY=8BITMIME` runs this first and
 * skips {@link downgradeTo7bit} when it holds (RFC 6152 §3 asks for conversion only of 8-bit data).
 *
 * @example
 * ```ts
 * isSevenBit([Buffer.from('Subject: hi\r\n\r\nplain ASCII\r\n')]); // true
 * isSevenBit([Buffer.from('Subject: hi\r\n\r\ncaf\u00e9\r\n')]); // false
 * ```
 */
export function isSevenBit(chunks: Iterable<Uint8Array>): boolean {
  const scan = new SevenBitDetector();
  for (const chunk of chunks) {
    scan.push(chunk);
    if (!scan.sevenBit) return false;
  }
  return scan.sevenBit;
}
