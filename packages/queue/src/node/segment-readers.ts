import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Extent } from '../segment-ledger.js';
import { segmentName } from './journal-writer.js';

const READ_PIECE = 64 * 1024;

interface Reader {
  readonly handle: Promise<FileHandle>;
  users: number;
}

/**
 * Read handles of the journal's segments, opened on first use and kept; a segment in use by a
 * reader is not deleted (the spool asks `inUse` first), so a delivery reading a message never
 * sees its file vanish under it when a compaction moves the message.
 */
export class SegmentReaders {
  readonly #dir: string;
  readonly #readers = new Map<number, Reader>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  inUse(seq: number): boolean {
    return (this.#readers.get(seq)?.users ?? 0) > 0;
  }

  /** The bytes of the extents, in pieces of at most 64 KiB (fresh arrays the caller may keep). */
  async *read(extents: readonly Extent[]): AsyncGenerator<Uint8Array> {
    const taken = extents.map((e) => this.#take(e.segment));
    try {
      for (let i = 0; i < extents.length; i++) {
        const e = extents[i] as Extent;
        const handle = await (taken[i] as Reader).handle;
        for (let at = 0; at < e.length; ) {
          const n = Math.min(READ_PIECE, e.length - at);
          const piece = new Uint8Array(n);
          let got = 0;
          while (got < n) {
            const { bytesRead } = await handle.read(piece, got, n - got, e.offset + at + got);
            if (bytesRead === 0) throw new Error(`segment ${e.segment} ends before its data`);
            got += bytesRead;
          }
          at += n;
          yield piece;
        }
      }
    } finally {
      for (const r of taken) r.users--;
    }
  }

  /** Closes the handle of a segment about to be deleted. */
  async forget(seq: number): Promise<void> {
    const r = this.#readers.get(seq);
    if (r === undefined) return;
    this.#readers.delete(seq);
    await (await r.handle.catch(() => undefined))?.close();
  }

  async close(): Promise<void> {
    for (const seq of [...this.#readers.keys()]) await this.forget(seq);
  }

  #take(seq: number): Reader {
    let r = this.#readers.get(seq);
    if (r === undefined) {
      const handle = open(join(this.#dir, segmentName(seq)), 'r');
      handle.catch(() => {});
      r = { handle, users: 0 };
      this.#readers.set(seq, r);
    }
    r.users++;
    return r;
  }
}
