import { randomBytes } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { checkEnvelope } from '../envelope-check.js';
import { encodeRecord, type JournalRecord } from '../journal-record.js';
import type { MessageSource } from '../message-bytes.js';
import { QueueError } from '../queue-error.js';
import { initialStates, QueueIndex } from '../queue-index.js';
import type {
  Lease,
  LeaseRequest,
  MessageEnvelope,
  QueuedMessage,
  QueueSelector,
  QueueStats,
  QueueStore,
  RecipientResult,
} from '../queue-store.js';
import { SegmentLedger } from '../segment-ledger.js';
import { CONTROL_SOCKET, serveControl, stopControl } from './control-server.js';
import { JournalWriter, type Position, segmentName } from './journal-writer.js';
import { type AppendRecord, appendMessage } from './message-writer.js';
import { nativeCrc32 } from './native-crc32.js';
import { SegmentReaders } from './segment-readers.js';
import { compactSegment } from './spool-compaction.js';
import { acquireSpoolLock, type SpoolLock } from './spool-lock.js';
import { recoverJournal } from './spool-recovery.js';
import { syncDirectory } from './sync-directory.js';

/** Tuning of a spool opened for work; see `openSpool`. */
export interface SpoolTuning {
  readonly fsync: boolean;
  readonly segmentBytes: number;
  readonly chunkBytes: number;
  readonly lockWaitMs: number;
}

/** Counters of the journal, for benchmarks and metrics. */
export interface JournalStats {
  /** fdatasync calls on segments since open. */
  readonly fsyncs: number;
  /** Segment files now. */
  readonly segments: number;
  /** Messages enqueued since open. */
  readonly enqueued: number;
  /** Records found unusable at open (torn tails), and chunks of messages never committed. */
  readonly discarded: { readonly tails: number; readonly orphanChunks: number };
}

const MAINTENANCE_ROUNDS = 1000;

/**
 * The spool opened by the process that works it (the MTA) or by an admin tool when no MTA runs:
 * the journal (`journal/*.seg`) behind a {@link QueueIndex}. Built by `openSpool`.
 */
export class LocalSpool implements QueueStore {
  readonly dir: string;
  readonly #journalDir: string;
  readonly #tuning: SpoolTuning;
  readonly #index: QueueIndex;
  readonly #ledger: SegmentLedger;
  readonly #writer: JournalWriter;
  readonly #readers: SegmentReaders;
  readonly #lock: SpoolLock;
  readonly #discarded: JournalStats['discarded'];
  readonly #ops = new Set<Promise<unknown>>();
  readonly #idPrefix = randomBytes(3).toString('base64url');
  #counter = 0;
  #tag = randomBytes(4).readUInt32BE(0);
  #enqueued = 0;
  #closed = false;
  #maintaining: Promise<void> | undefined;
  #maintainAgain = false;
  #control: Server | undefined;
  /** Segments with records whose effect is not yet in the ledger: never deleted meanwhile. */
  readonly #pins = new Map<number, number>();

  private constructor(
    dir: string,
    tuning: SpoolTuning,
    lock: SpoolLock,
    index: QueueIndex,
    ledger: SegmentLedger,
    firstSeq: number,
    discarded: JournalStats['discarded'],
  ) {
    this.dir = dir;
    this.#journalDir = join(dir, 'journal');
    this.#tuning = tuning;
    this.#lock = lock;
    this.#index = index;
    this.#ledger = ledger;
    this.#discarded = discarded;
    this.#readers = new SegmentReaders(this.#journalDir);
    this.#writer = new JournalWriter(this.#journalDir, firstSeq, {
      fsync: tuning.fsync,
      segmentBytes: tuning.segmentBytes,
      onSegment: (seq) => {
        ledger.addSegment(seq);
        // The first segment is announced from the writer's constructor, before it is ours.
        if (this.#writer !== undefined) this.#maintain();
      },
    });
  }

  /** Takes the lock, replays the journal, and starts a new head segment. */
  static async open(dir: string, tuning: SpoolTuning, control: boolean): Promise<LocalSpool> {
    const journalDir = join(dir, 'journal');
    await mkdir(journalDir, { recursive: true });
    if (tuning.fsync) await syncDirectory(dir);
    const lock = await acquireSpoolLock(dir, tuning.lockWaitMs);
    try {
      const recovery = await recoverJournal(journalDir);
      const index = new QueueIndex(randomBytes(3).toString('base64url'));
      const ledger = new SegmentLedger();
      let last = 0;
      for (const s of recovery.segments) {
        ledger.addSegment(s.seq, s.size);
        last = s.seq;
      }
      for (const [seq, deps] of recovery.dependencies)
        for (const d of deps) ledger.addDependency(seq, d);
      for (const m of recovery.messages.values()) {
        ledger.restore(m.id, m.extents, m.commitSegment, m.stateSegment, m.messageSegments);
        index.add(m.id, m.envelope, m.size, m.states, m.bounceRequested);
      }
      const spool = new LocalSpool(dir, tuning, lock, index, ledger, last + 1, recovery.discarded);
      spool.#maintain();
      if (control) {
        try {
          spool.#control = await serveControl(spool, join(dir, CONTROL_SOCKET));
        } catch (error) {
          await spool.close();
          throw error;
        }
      }
      return spool;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  journalStats(): JournalStats {
    return {
      fsyncs: this.#writer.syncs,
      segments: this.#ledger.segments().length,
      enqueued: this.#enqueued,
      discarded: this.#discarded,
    };
  }

  async enqueue(envelope: MessageEnvelope, message: MessageSource): Promise<string> {
    this.#check();
    checkEnvelope(envelope);
    return this.#track(this.#enqueue(envelope, message));
  }

  async lease(request: LeaseRequest): Promise<Lease[]> {
    this.#check();
    return this.#index.lease(request);
  }

  read(id: string): AsyncIterable<Uint8Array> {
    const ledger = this.#ledger;
    const readers = this.#readers;
    return (async function* () {
      const extents = ledger.extents(id);
      if (extents === undefined)
        throw new QueueError('ERR_QUEUE_NOT_FOUND', `no message ${id} in the queue`);
      yield* readers.read(extents);
    })();
  }

  async renew(lease: Lease, now: number, leaseMs: number): Promise<boolean> {
    this.#check();
    return this.#index.renew(lease, now, leaseMs);
  }

  async settle(lease: Lease, results: readonly RecipientResult[]): Promise<void> {
    this.#check();
    const outcome = this.#index.settle(lease, results);
    if (outcome === undefined) return;
    const m = outcome.message;
    if (outcome.removed) return this.#track(this.#removeDurably([m.id]));
    return this.#track(this.#writeStates([m.id]));
  }

  list(selector?: QueueSelector): AsyncIterable<QueuedMessage> {
    const picked = this.#index.select(selector).map((m) => this.#index.snapshot(m));
    return (async function* () {
      yield* picked;
    })();
  }

  async get(id: string): Promise<QueuedMessage | undefined> {
    const m = this.#index.get(id);
    return m === undefined ? undefined : this.#index.snapshot(m);
  }

  async reschedule(selector: QueueSelector, at: number): Promise<number> {
    this.#check();
    const changed = this.#index.reschedule(selector, at);
    await this.#track(this.#writeStates(changed.map((m) => m.id)));
    return changed.length;
  }

  async remove(selector: QueueSelector): Promise<number> {
    this.#check();
    const ids = this.#index.select(selector).map((m) => m.id);
    for (const id of ids) this.#index.removeId(id);
    await this.#track(this.#removeDurably(ids));
    return ids.length;
  }

  async requestBounce(selector: QueueSelector, at: number): Promise<number> {
    this.#check();
    const changed = this.#index.requestBounce(selector, at);
    await this.#track(this.#writeStates(changed.map((m) => m.id)));
    return changed.length;
  }

  async stats(): Promise<QueueStats> {
    return this.#index.stats(this.#index.lastNow);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#control !== undefined)
      await stopControl(this.#control, join(this.dir, CONTROL_SOCKET));
    while (this.#ops.size > 0) await Promise.allSettled([...this.#ops]);
    while (this.#maintaining !== undefined) await this.#maintaining;
    await this.#writer.close();
    await this.#readers.close();
    await this.#lock.release();
  }

  #check(): void {
    if (this.#closed) throw new QueueError('ERR_QUEUE_MISUSE_CLOSED', 'the spool is closed');
  }

  #track<T>(op: Promise<T>): Promise<T> {
    this.#ops.add(op);
    const done = () => this.#ops.delete(op);
    op.then(done, done);
    return op;
  }

  /**
   * Queues one record; returns where it starts and where its body (if any) starts. Its segment
   * stays pinned (listed in `held`) until the caller's `#unpin`, after the ledger knows of it.
   */
  #append(record: JournalRecord, held: number[]): { position: Position; body: number } {
    const pieces = encodeRecord(record, nativeCrc32);
    let length = 0;
    for (const p of pieces) length += p.length;
    const position = this.#writer.append(pieces);
    this.#ledger.grow(position.segment, length);
    held.push(position.segment);
    this.#pins.set(position.segment, (this.#pins.get(position.segment) ?? 0) + 1);
    const bodyLength =
      record.type === 'message' || record.type === 'chunk' ? record.body.length : 0;
    return { position, body: position.offset + length - bodyLength };
  }

  #unpin(held: readonly number[]): void {
    for (const seq of held) {
      const n = (this.#pins.get(seq) ?? 1) - 1;
      if (n === 0) this.#pins.delete(seq);
      else this.#pins.set(seq, n);
    }
  }

  #newId(): string {
    const time = Date.now().toString(36).padStart(9, '0');
    return `${time}${(this.#counter++ % 1_679_616).toString(36).padStart(4, '0')}${this.#idPrefix}`;
  }

  async #enqueue(envelope: MessageEnvelope, message: MessageSource): Promise<string> {
    const pinned: number[] = [];
    try {
      return await this.#enqueuePinned(envelope, message, pinned);
    } finally {
      this.#unpin(pinned);
    }
  }

  async #enqueuePinned(
    envelope: MessageEnvelope,
    message: MessageSource,
    pinned: number[],
  ): Promise<string> {
    const id = this.#newId();
    const states = initialStates(envelope);
    const head = { id, tag: this.#tag++ >>> 0, envelope, states, bounceRequested: false };
    const append: AppendRecord = (record, held) => this.#append(record, held);
    const written = await appendMessage(append, head, message, this.#tuning.chunkBytes, pinned);
    await this.#writer.sync();
    this.#ledger.place(id, written.extents, written.commitSegment);
    this.#index.add(id, envelope, written.size, states);
    this.#enqueued++;
    return id;
  }

  /** Writes the current state of messages (S records) and waits until it is durable. */
  async #writeStates(ids: readonly string[]): Promise<void> {
    const pinned: number[] = [];
    try {
      await this.#writeStatesPinned(ids, pinned);
    } finally {
      this.#unpin(pinned);
    }
  }

  async #writeStatesPinned(ids: readonly string[], pinned: number[]): Promise<void> {
    const written: [string, number][] = [];
    for (const id of ids) {
      const m = this.#index.get(id);
      if (m === undefined) continue;
      const at = this.#append(
        {
          type: 'state',
          id,
          states: m.states,
          bounceRequested: m.bounceRequested,
        },
        pinned,
      );
      written.push([id, at.position.segment]);
    }
    if (written.length === 0) return;
    await this.#writer.sync();
    for (const [id, seq] of written) this.#ledger.moveState(id, seq);
  }

  /** Writes D records for messages already out of the index and waits until they are durable. */
  async #removeDurably(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const pinned: number[] = [];
    try {
      const written: [string, number][] = [];
      for (const id of ids)
        written.push([id, this.#append({ type: 'removed', id }, pinned).position.segment]);
      await this.#writer.sync();
      for (const [id, seq] of written) this.#ledger.forget(id, seq);
    } finally {
      this.#unpin(pinned);
    }
    this.#maintain();
  }

  /** Deletes the segments nothing needs and compacts sparse ones, one pass at a time. */
  #maintain(): void {
    if (this.#maintaining !== undefined) {
      this.#maintainAgain = true;
      return;
    }
    const run = async () => {
      try {
        for (let round = 0; round < MAINTENANCE_ROUNDS; round++) {
          this.#maintainAgain = false;
          if (!(await this.#maintenanceStep()) && !this.#maintainAgain) break;
        }
      } catch {
        // A failed deletion or copy is tried again at the next pass; the journal stays valid.
      } finally {
        this.#maintaining = undefined;
      }
    };
    this.#maintaining = run();
  }

  async #maintenanceStep(): Promise<boolean> {
    const head = this.#writer.head;
    const doomed = this.#ledger
      .deletable(head)
      .filter((seq) => !this.#readers.inUse(seq) && !this.#pins.has(seq));
    if (doomed.length > 0) {
      for (const seq of doomed) {
        await this.#readers.forget(seq);
        await unlink(join(this.#journalDir, segmentName(seq))).catch((error) => {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        });
        this.#ledger.deleted(seq);
      }
      // Before any segment that depended on these goes, their removal must be durable.
      if (this.#tuning.fsync) await syncDirectory(this.#journalDir);
      return true;
    }
    if (this.#closed) return false;
    const [sparse] = this.#ledger.compactable(head);
    if (sparse === undefined) return false;
    await this.#track(this.#compact(sparse));
    return true;
  }

  /** Writes the live messages of a segment again at the head (their data, or just their state). */
  async #compact(seq: number): Promise<void> {
    const pinned: number[] = [];
    try {
      await compactSegment(
        {
          ledger: this.#ledger,
          index: this.#index,
          readers: this.#readers,
          append: (record, held) => this.#append(record, held),
          chunkBytes: this.#tuning.chunkBytes,
          sync: () => this.#writer.sync(),
          nextTag: () => this.#tag++ >>> 0,
        },
        seq,
        pinned,
      );
    } finally {
      this.#unpin(pinned);
    }
  }
}
