import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { QueueError } from '../queue-error.js';
import { syncDirectory } from './sync-directory.js';

/** A segment file name: its number in 16 hexadecimal digits, so names sort as numbers. */
export function segmentName(seq: number): string {
  return `${seq.toString(16).padStart(16, '0')}.seg`;
}

/** The number of a segment file name, or undefined for any other name. */
export function segmentNumber(name: string): number | undefined {
  const m = /^([0-9a-f]{16})\.seg$/.exec(name);
  return m === null ? undefined : Number.parseInt(m[1] as string, 16);
}

/** How far ahead of the data a segment's blocks are allocated (with zeros). */
const PREALLOCATE_BYTES = 1024 * 1024;
const ZEROS = new Uint8Array(PREALLOCATE_BYTES);

/** Queued bytes past which the loop writes (without fdatasync) before anyone waits. */
const FLUSH_BYTES = 4 * 1024 * 1024;

interface Batch {
  readonly seq: number;
  readonly buffers: Uint8Array[];
  bytes: number;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Where an appended record starts. */
export interface Position {
  readonly segment: number;
  readonly offset: number;
}

/**
 * Appends records to the journal's head segment with group commit: `append` only queues bytes
 * (and says where they will lie); `sync` resolves once everything appended before it is written
 * and, with `fsync`, on disk. One loop writes whatever queued while the previous write and
 * fdatasync ran, in one gathered write and one fdatasync, so concurrent enqueues and settles
 * share them. A segment past `segmentBytes` is closed (fdatasync first) and the next one created
 * (its directory entry fsynced before anything in it is acknowledged).
 *
 * @example
 * ```ts
 * const at = writer.append(encodeRecord(record));
 * await writer.sync(); // durable
 * ```
 */
export class JournalWriter {
  readonly #dir: string;
  readonly #fsync: boolean;
  readonly #segmentBytes: number;
  readonly #onSegment: (seq: number) => void;
  readonly #preallocate: boolean;
  #seq: number;
  #size = 0;
  #queue: Batch[] = [];
  #waiters: Waiter[] = [];
  #running = false;
  #queuedBytes = 0;
  #failure: unknown;
  #file:
    | { seq: number; handle: FileHandle; written: number; allocated: number; dirty: boolean }
    | undefined;
  /** fdatasync calls made (the bench reports them per message). */
  syncs = 0;

  constructor(
    dir: string,
    firstSeq: number,
    options: {
      readonly fsync: boolean;
      readonly segmentBytes: number;
      readonly onSegment: (seq: number) => void;
      readonly preallocate?: boolean;
    },
  ) {
    this.#preallocate = options.preallocate ?? true;
    this.#dir = dir;
    this.#seq = firstSeq;
    this.#fsync = options.fsync;
    this.#segmentBytes = options.segmentBytes;
    this.#onSegment = options.onSegment;
    this.#onSegment(firstSeq);
  }

  /** The segment appends go to now. */
  get head(): number {
    return this.#seq;
  }

  /** Queues a record's bytes; returns where it starts. */
  append(pieces: readonly Uint8Array[]): Position {
    if (this.#failure !== undefined)
      throw new QueueError('ERR_QUEUE_IO', 'the journal failed', { cause: this.#failure });
    let bytes = 0;
    for (const p of pieces) bytes += p.length;
    if (this.#size > 0 && this.#size + bytes > this.#segmentBytes) {
      this.#seq++;
      this.#size = 0;
      this.#onSegment(this.#seq);
    }
    const position = { segment: this.#seq, offset: this.#size };
    this.#size += bytes;
    let batch = this.#queue[this.#queue.length - 1];
    if (batch === undefined || batch.seq !== this.#seq) {
      batch = { seq: this.#seq, buffers: [], bytes: 0 };
      this.#queue.push(batch);
    }
    for (const p of pieces) if (p.length > 0) batch.buffers.push(p);
    batch.bytes += bytes;
    this.#queuedBytes += bytes;
    // A big message's chunks go to the file as they come, not all at its commit.
    if (this.#queuedBytes >= FLUSH_BYTES && !this.#running) void this.#run();
    return position;
  }

  /** Resolves once everything appended so far is written (and fsynced, with `fsync`). */
  sync(): Promise<void> {
    if (this.#failure !== undefined)
      return Promise.reject(
        new QueueError('ERR_QUEUE_IO', 'the journal failed', { cause: this.#failure }),
      );
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      if (!this.#running) void this.#run();
    });
  }

  /** Writes and syncs what is queued, then closes the head segment's file. */
  async close(): Promise<void> {
    if (this.#queue.length > 0 || this.#running) await this.sync().catch(() => {});
    const file = this.#file;
    this.#file = undefined;
    await file?.handle.close();
  }

  async #run(): Promise<void> {
    this.#running = true;
    try {
      while (this.#waiters.length > 0 || this.#queuedBytes >= FLUSH_BYTES) {
        const waiters = this.#waiters;
        const batches = this.#queue;
        this.#waiters = [];
        this.#queue = [];
        this.#queuedBytes = 0;
        try {
          for (const batch of batches) await this.#write(batch);
          const file = this.#file;
          if (file?.dirty && waiters.length > 0) {
            if (this.#fsync) {
              await file.handle.datasync();
              this.syncs++;
            }
            file.dirty = false;
          }
          for (const w of waiters) w.resolve();
        } catch (error) {
          this.#failure = error;
          const all = [...waiters, ...this.#waiters];
          this.#waiters = [];
          for (const w of all)
            w.reject(new QueueError('ERR_QUEUE_IO', 'journal write failed', { cause: error }));
          break;
        }
      }
    } finally {
      this.#running = false;
    }
  }

  async #write(batch: Batch): Promise<void> {
    let file = this.#file;
    if (file === undefined || file.seq !== batch.seq) {
      if (file !== undefined) {
        if (file.dirty && this.#fsync) {
          await file.handle.datasync();
          this.syncs++;
        }
        await file.handle.close();
      }
      const handle = await open(join(this.#dir, segmentName(batch.seq)), 'wx');
      if (this.#fsync) await syncDirectory(this.#dir);
      file = { seq: batch.seq, handle, written: 0, allocated: 0, dirty: false };
      this.#file = file;
    }
    if (batch.bytes === 0) return;
    // Zeros written ahead of the data, in the same write: later records overwrite allocated
    // blocks, so their fdatasync flushes data without a metadata (size, extent) commit. The
    // reader stops at the zeros (no record starts with 0x00).
    const end = file.written + batch.bytes;
    let buffers = batch.buffers;
    let expected = batch.bytes;
    if (this.#preallocate && end > file.allocated) {
      const ahead = Math.min(PREALLOCATE_BYTES, Math.max(0, this.#segmentBytes - end));
      if (ahead > 0) {
        buffers = [...batch.buffers, ZEROS.subarray(0, ahead)];
        expected += ahead;
      }
      file.allocated = end + ahead;
    }
    const { bytesWritten } = await file.handle.writev(buffers, file.written);
    if (bytesWritten !== expected)
      throw new Error(`short write: ${bytesWritten} of ${batch.bytes} bytes`);
    file.written += batch.bytes;
    file.dirty = true;
  }
}
