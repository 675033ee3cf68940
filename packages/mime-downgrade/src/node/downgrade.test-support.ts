// Shared by this package's tests (not exported): run the converter, check what it wrote.
import { Readable, type Transform } from 'node:stream';
import { type MimeNode, Splitter, type SplitterChunk } from '@zone-eu/mailsplit';
import { expect } from 'vitest';
import { type DowngradeOptions, downgradeTo7bit } from './downgrade.js';

/** The converter's whole output for `chunks`. */
export async function downgrade(
  chunks: Iterable<Uint8Array> | Readable,
  options: DowngradeOptions = {},
): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of downgradeTo7bit(chunks, options)) out.push(chunk);
  return Buffer.concat(out);
}

/** `text` as octets: UTF-8, or one octet per char with `latin1`. */
export const octets = (text: string, encoding: BufferEncoding = 'utf8'): Buffer =>
  Buffer.from(text.replace(/\n/g, '\r\n'), encoding);

/** Every octet below 0x80 and every line at most 998 octets before its CRLF (RFC 5321 §4.5.3.1.6). */
export function expectSevenBit(out: Buffer): void {
  const eightBit = out.findIndex((octet) => octet >= 0x80);
  expect(eightBit, `8-bit octet at ${eightBit}`).toBe(-1);
  for (const line of out.toString('latin1').split('\r\n'))
    expect(line.length).toBeLessThanOrEqual(998);
}

/** A Readable of `bytes`, one octet per chunk. */
export const byteStream = (bytes: Buffer): Readable =>
  Readable.from(
    (function* () {
      for (const octet of bytes) yield Buffer.of(octet);
    })(),
  );

/** A leaf part of a message, its body decoded from its transfer encoding. */
export interface DecodedLeaf {
  readonly contentType: string;
  readonly encoding: string;
  readonly content: Buffer;
}

/** The leaf parts of `message` in order, each body decoded (libqp / libbase64 through mailsplit). */
export async function decodedLeaves(message: Buffer): Promise<DecodedLeaf[]> {
  const splitter = new Splitter({ ignoreEmbedded: false, defaultInlineEmbedded: true });
  splitter.end(message);
  const leaves: DecodedLeaf[] = [];
  let current: { node: MimeNode; decoder: Transform; out: Buffer[] } | undefined;
  const close = async (): Promise<void> => {
    if (current === undefined) return;
    const { node, decoder, out } = current;
    current = undefined;
    decoder.end();
    for await (const chunk of decoder) out.push(chunk as Buffer);
    leaves.push({
      contentType: node.contentType || '',
      encoding: node.encoding || '',
      content: Buffer.concat(out),
    });
  };
  for await (const item of splitter as AsyncIterable<SplitterChunk>) {
    if (item.type === 'node') {
      await close();
      if (item.multipart === false && item.messageNode !== true) {
        current = { node: item, decoder: item.getDecoder() as Transform, out: [] };
      }
    } else if (item.type === 'body' && current !== undefined) {
      current.decoder.write(item.value);
      const ready = current.decoder.read() as Buffer | null;
      if (ready !== null) current.out.push(ready);
    } else {
      await close();
    }
  }
  await close();
  return leaves;
}
