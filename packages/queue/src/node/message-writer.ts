import type { JournalRecord } from '../journal-record.js';
import { type MessageSource, messageChunks } from '../message-bytes.js';
import type { MessageEnvelope, RecipientState } from '../queue-store.js';
import type { Extent } from '../segment-ledger.js';
import type { Position } from './journal-writer.js';

/** Queues one record, pinning its segment in `pinned` (see `LocalSpool`). */
export type AppendRecord = (
  record: JournalRecord,
  pinned: number[],
) => { readonly position: Position; readonly body: number };

/** The head of a message's M record: all of it but the bytes. */
export interface MessageHead {
  readonly id: string;
  readonly tag: number;
  readonly envelope: MessageEnvelope;
  readonly states: readonly RecipientState[];
  readonly bounceRequested: boolean;
}

/** Where a message was queued for writing. */
export interface WrittenMessage {
  readonly extents: readonly Extent[];
  readonly size: number;
  /** The segment of its M record. */
  readonly commitSegment: number;
}

/**
 * Queues a message's records: B records of about `chunkBytes` as its bytes come, then the M
 * record with the rest, which commits them (an enqueue, and a compaction's copy). A single array
 * is cut into views, not copied; chunks of a stream are joined into records of about
 * `chunkBytes`. Durability is the caller's: it syncs the writer before telling anyone.
 */
export async function appendMessage(
  append: AppendRecord,
  head: MessageHead,
  message: MessageSource,
  chunkBytes: number,
  pinned: number[],
): Promise<WrittenMessage> {
  const { id, tag } = head;
  const extents: Extent[] = [];
  let size = 0;
  const emit = (body: Uint8Array) => {
    const at = append({ type: 'chunk', id, tag, body }, pinned);
    extents.push({ segment: at.position.segment, offset: at.body, length: body.length });
  };
  let tail: Uint8Array;
  if (message instanceof Uint8Array) {
    let start = 0;
    while (message.length - start > chunkBytes) {
      emit(message.subarray(start, start + chunkBytes));
      start += chunkBytes;
    }
    tail = message.subarray(start);
    size = message.length;
  } else {
    let parts: Uint8Array[] = [];
    let partBytes = 0;
    for await (const chunk of messageChunks(message)) {
      parts.push(chunk);
      partBytes += chunk.length;
      size += chunk.length;
      if (partBytes >= chunkBytes) {
        emit(concat(parts, partBytes));
        parts = [];
        partBytes = 0;
      }
    }
    tail = concat(parts, partBytes);
  }
  const at = append({ type: 'message', ...head, size, body: tail }, pinned);
  if (tail.length > 0)
    extents.push({ segment: at.position.segment, offset: at.body, length: tail.length });
  return { extents, size, commitSegment: at.position.segment };
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
