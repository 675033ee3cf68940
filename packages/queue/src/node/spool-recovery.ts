import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { JournalReader } from '../journal-reader.js';
import type { MessageEnvelope, RecipientState } from '../queue-store.js';
import type { Extent } from '../segment-ledger.js';
import { segmentNumber } from './journal-writer.js';
import { nativeCrc32 } from './native-crc32.js';

/** A message found by recovery, with where its data and latest state lie. */
export interface RecoveredMessage {
  readonly id: string;
  readonly envelope: MessageEnvelope;
  readonly size: number;
  states: readonly RecipientState[];
  bounceRequested: boolean;
  extents: readonly Extent[];
  /** The segment of the M record committing `extents`. */
  commitSegment: number;
  stateSegment: number;
  readonly messageSegments: Set<number>;
}

/** What one scan of the journal found. */
export interface Recovery {
  /** Segment numbers and file sizes, oldest first. */
  readonly segments: readonly { readonly seq: number; readonly size: number }[];
  readonly messages: Map<string, RecoveredMessage>;
  /** D-record dependencies: segment → segments holding M records of messages it removed. */
  readonly dependencies: Map<number, Set<number>>;
  /** Records ignored: torn or invalid tails, chunks of messages never committed. */
  readonly discarded: { tails: number; orphanChunks: number };
}

const READ_SIZE = 1024 * 1024;

/**
 * Scans every segment of the journal once, oldest first, and replays its records: B records
 * gather under their id and tag, an M record commits a message (or replaces it, after a
 * compaction) with the chunks of its tag, S records replace its state, D records remove it. A
 * segment's first invalid bytes (a record torn by a crash, zeros) end that segment: every record
 * acknowledged before the crash lies before them, since a record is acknowledged only after the
 * fdatasync that covers it and everything written earlier.
 */
export async function recoverJournal(journalDir: string): Promise<Recovery> {
  const names = (await readdir(journalDir))
    .map((name) => ({ name, seq: segmentNumber(name) }))
    .filter((e): e is { name: string; seq: number } => e.seq !== undefined)
    .sort((a, b) => a.seq - b.seq);
  const messages = new Map<string, RecoveredMessage>();
  const chunks = new Map<string, Extent[]>();
  const dependencies = new Map<number, Set<number>>();
  const segments: { seq: number; size: number }[] = [];
  const discarded = { tails: 0, orphanChunks: 0 };
  const buffer = new Uint8Array(READ_SIZE);
  for (const { name, seq } of names) {
    const handle = await open(join(journalDir, name), 'r');
    try {
      const size = (await handle.stat()).size;
      segments.push({ seq, size });
      const reader = new JournalReader(0, nativeCrc32);
      let position = 0;
      let done = false;
      while (!done) {
        const { bytesRead } = await handle.read(buffer, 0, READ_SIZE, position);
        if (bytesRead === 0) {
          if (reader.end().kind !== 'end') discarded.tails++;
          break;
        }
        position += bytesRead;
        reader.push(buffer.slice(0, bytesRead));
        for (;;) {
          const step = reader.next();
          if (step.kind === 'need-data') break;
          if (step.kind === 'invalid') {
            // Zeros are the blocks allocated ahead of the data, not a torn record.
            if (step.reason !== 'magic' || buffer[step.offset - position + bytesRead] !== 0)
              discarded.tails++;
            done = true;
            break;
          }
          const r = step.record;
          switch (r.type) {
            case 'chunk': {
              const key = `${r.id}\u0000${r.tag}`;
              const list = chunks.get(key) ?? [];
              list.push({ segment: seq, offset: step.bodyOffset, length: r.body.length });
              chunks.set(key, list);
              break;
            }
            case 'message': {
              const key = `${r.id}\u0000${r.tag}`;
              const extents = chunks.get(key) ?? [];
              chunks.delete(key);
              if (r.body.length > 0)
                extents.push({ segment: seq, offset: step.bodyOffset, length: r.body.length });
              let total = 0;
              for (const e of extents) total += e.length;
              if (total !== r.size) break;
              const before = messages.get(r.id);
              const messageSegments = new Set(before?.messageSegments ?? []);
              messageSegments.add(seq);
              messages.set(r.id, {
                id: r.id,
                envelope: r.envelope,
                size: r.size,
                states: r.states,
                bounceRequested: r.bounceRequested,
                extents,
                commitSegment: seq,
                stateSegment: seq,
                messageSegments,
              });
              break;
            }
            case 'state': {
              const m = messages.get(r.id);
              if (m === undefined || r.states.length !== m.states.length) break;
              m.states = r.states;
              m.bounceRequested = r.bounceRequested;
              m.stateSegment = seq;
              break;
            }
            case 'removed': {
              const m = messages.get(r.id);
              if (m === undefined) break;
              const deps = dependencies.get(seq) ?? new Set<number>();
              for (const s of m.messageSegments) if (s !== seq) deps.add(s);
              dependencies.set(seq, deps);
              messages.delete(r.id);
              break;
            }
          }
        }
      }
    } finally {
      await handle.close();
    }
  }
  discarded.orphanChunks = chunks.size;
  return { segments, messages, dependencies, discarded };
}
