import type { Transform } from 'node:stream';
import { Encoder as Base64Encoder } from 'libbase64';
import { Encoder as QpEncoder } from 'libqp';

/**
 * A libqp / libbase64 encoder driven by hand: their transforms encode synchronously, so what a
 * `write` produced is read back at once, in order with the rest of the message.
 */
export class SyncEncoder {
  readonly #stream: Transform;

  private constructor(stream: Transform) {
    this.#stream = stream;
  }

  /**
   * Quoted-printable (RFC 2045 §6.7) in libqp's binary mode: only CRLF pairs stay line breaks, a
   * lone CR or LF is encoded (=0D, =0A), so decoding gives the exact octets back; lines of at most
   * 76 characters (rule 5).
   */
  static quotedPrintable(): SyncEncoder {
    return new SyncEncoder(new QpEncoder({ binary: true, lineLength: 76 }));
  }

  /** Base64 (RFC 2045 §6.8) in lines of 76 characters. */
  static base64(): SyncEncoder {
    return new SyncEncoder(new Base64Encoder({ lineLength: 76 }));
  }

  /** Encodes the next chunk; returns what is ready. */
  write(chunk: Uint8Array): Buffer | undefined {
    this.#stream.write(chunk);
    return (this.#stream.read() as Buffer | null) ?? undefined;
  }

  /** Ends the input; returns the rest. */
  async end(): Promise<Buffer> {
    this.#stream.end();
    const rest: Buffer[] = [];
    for await (const chunk of this.#stream) rest.push(chunk as Buffer);
    return Buffer.concat(rest);
  }
}
