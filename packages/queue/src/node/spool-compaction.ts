import type { QueueIndex } from '../queue-index.js';
import type { Extent, SegmentLedger } from '../segment-ledger.js';
import { type AppendRecord, appendMessage } from './message-writer.js';
import type { SegmentReaders } from './segment-readers.js';

/** What a compaction needs of the spool. */
export interface CompactionContext {
  readonly ledger: SegmentLedger;
  readonly index: QueueIndex;
  readonly readers: SegmentReaders;
  /** Queues a record, pinning its segment in `pinned`; see `LocalSpool`. */
  readonly append: AppendRecord;
  readonly chunkBytes: number;
  sync(): Promise<void>;
  nextTag(): number;
}

interface Placed {
  readonly id: string;
  readonly extents: readonly Extent[];
  readonly state: number;
}

/** Copies are made durable (and the ledger told) every this many bytes: bounded memory. */
const COPY_BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Writes the live messages of a sparse segment again at the journal's head so the segment can
 * be deleted: a message whose bytes (or committing M record) lie in it is copied whole, as B
 * records and an M record with its current state under a new tag; a message whose latest state
 * alone lies in it gets a new S record. The ledger learns the new places only once they are
 * durable, and only for messages still queued (a removal's D record follows the copy).
 */
export async function compactSegment(
  ctx: CompactionContext,
  seq: number,
  pinned: number[],
): Promise<void> {
  const placed: Placed[] = [];
  const moved: [string, number][] = [];
  let copiedBytes = 0;
  for (const { id, data } of ctx.ledger.referrers(seq)) {
    if (ctx.index.get(id) === undefined) continue;
    if (!data) {
      const m = ctx.index.get(id);
      if (m === undefined) continue;
      const at = ctx.append(
        {
          type: 'state',
          id,
          states: m.states,
          bounceRequested: m.bounceRequested,
        },
        pinned,
      );
      moved.push([id, at.position.segment]);
      continue;
    }
    const extents = ctx.ledger.extents(id);
    if (extents === undefined) continue;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const c of ctx.readers.read(extents)) {
      chunks.push(c);
      size += c.length;
    }
    const m = ctx.index.get(id);
    if (m === undefined) continue;
    const head = {
      id,
      tag: ctx.nextTag(),
      envelope: m.envelope,
      states: m.states,
      bounceRequested: m.bounceRequested,
    };
    const copy = await appendMessage(ctx.append, head, chunks, ctx.chunkBytes, pinned);
    placed.push({ id, extents: copy.extents, state: copy.commitSegment });
    copiedBytes += size;
    if (copiedBytes >= COPY_BATCH_BYTES) {
      await commit(ctx, placed.splice(0), moved.splice(0));
      copiedBytes = 0;
    }
  }
  await commit(ctx, placed, moved);
}

/** Waits until the copies are durable, then records where the messages now lie. */
async function commit(
  ctx: CompactionContext,
  placed: readonly Placed[],
  moved: readonly (readonly [string, number])[],
): Promise<void> {
  if (placed.length === 0 && moved.length === 0) return;
  await ctx.sync();
  // A message removed meanwhile had its D record written after these: leave it forgotten.
  for (const p of placed)
    if (ctx.index.get(p.id) !== undefined) ctx.ledger.place(p.id, p.extents, p.state);
  for (const [id, s] of moved) if (ctx.index.get(id) !== undefined) ctx.ledger.moveState(id, s);
}
