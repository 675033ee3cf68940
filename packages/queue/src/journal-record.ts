import { type Crc32, crc32 } from './crc32.js';
import type { MessageEnvelope, RecipientState } from './queue-store.js';

/**
 * The records of the spool's journal. A segment file is a sequence of framed records:
 *
 * ```
 * record  = magic type length checksum payload
 * magic   = %x51                       ; "Q"
 * type    = %x4D / %x42 / %x53 / %x44  ; "M" message, "B" body chunk, "S" state, "D" done
 * length  = 4OCTET                     ; payload length, big-endian, at most MAX_RECORD_PAYLOAD
 * checksum= 4OCTET                     ; CRC-32 of type, length and payload, big-endian
 * payload = id-len id rest             ; id-len 1OCTET, id 1*255 printable ASCII
 * M rest  = tag meta-len meta body     ; tag, meta-len 4OCTET; meta JSON {e, s, n, b?}; body: the last bytes
 * B rest  = tag body                   ; a piece of a message's bytes, before its M record
 * S rest  = JSON {s, b?}               ; the whole recipient state of a message
 * D rest  = (nothing)                  ; the message is final: forget it
 * ```
 *
 * A message is its B records with its tag, in order, then its M record (which commits it): B
 * records whose M never came (a crash during an enqueue, or during a copy) are ignored. The latest
 * M or S record of an id gives its state; a D record removes it.
 */
export type JournalRecord =
  | {
      readonly type: 'message';
      readonly id: string;
      /** Ties the message's B records to it. */
      readonly tag: number;
      readonly envelope: MessageEnvelope;
      readonly states: readonly RecipientState[];
      readonly bounceRequested: boolean;
      /** Total size of the message bytes (B records and the body here). */
      readonly size: number;
      /** The message's last bytes (all of them for a small message). */
      readonly body: Uint8Array;
    }
  | { readonly type: 'chunk'; readonly id: string; readonly tag: number; readonly body: Uint8Array }
  | {
      readonly type: 'state';
      readonly id: string;
      readonly states: readonly RecipientState[];
      readonly bounceRequested: boolean;
    }
  | { readonly type: 'removed'; readonly id: string };

export const RECORD_MAGIC = 0x51;
export const HEADER_SIZE = 10;
/** The largest payload a record may have: a bigger length is taken for garbage. */
export const MAX_RECORD_PAYLOAD = 64 * 1024 * 1024;
export const TYPE_BYTES = { message: 0x4d, chunk: 0x42, state: 0x53, removed: 0x44 } as const;

const encoder = new TextEncoder();

/** Whether `id` can be a queue id of the journal: 1 to 255 printable ASCII characters. */
export function isJournalId(id: string): boolean {
  return /^[\x21-\x7e]{1,255}$/.test(id);
}

function idBytes(id: string): Uint8Array {
  const out = new Uint8Array(1 + id.length);
  out[0] = id.length;
  for (let i = 0; i < id.length; i++) out[i + 1] = id.charCodeAt(i);
  return out;
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0);
  return out;
}

function stateJson(states: readonly RecipientState[], bounceRequested: boolean): string {
  return JSON.stringify(bounceRequested ? { s: states, b: true } : { s: states });
}

/**
 * The bytes of one record, as pieces for a gathered write (the body is not copied). The id must
 * satisfy {@link isJournalId}. `checksum` computes the record's CRC-32 (default: this package's
 * JavaScript one; the spool passes zlib's, which gives the same bytes).
 *
 * @example
 * ```ts
 * const pieces = encodeRecord({ type: 'removed', id: 'q1' });
 * await handle.writev(pieces);
 * ```
 */
export function encodeRecord(record: JournalRecord, checksum: Crc32 = crc32): Uint8Array[] {
  const parts: Uint8Array[] = [idBytes(record.id)];
  switch (record.type) {
    case 'message': {
      const meta = encoder.encode(
        JSON.stringify({
          e: record.envelope,
          s: record.states,
          n: record.size,
          ...(record.bounceRequested ? { b: true } : {}),
        }),
      );
      parts.push(u32(record.tag), u32(meta.length), meta, record.body);
      break;
    }
    case 'chunk':
      parts.push(u32(record.tag), record.body);
      break;
    case 'state':
      parts.push(encoder.encode(stateJson(record.states, record.bounceRequested)));
      break;
    case 'removed':
      break;
  }
  let length = 0;
  for (const p of parts) length += p.length;
  const header = new Uint8Array(HEADER_SIZE);
  const view = new DataView(header.buffer);
  header[0] = RECORD_MAGIC;
  header[1] = TYPE_BYTES[record.type];
  view.setUint32(2, length);
  let crc = checksum(header.subarray(1, 6));
  for (const p of parts) crc = checksum(p, crc);
  view.setUint32(6, crc);
  return [header, ...parts];
}

/** The record as one array (tests, small records). */
export function encodeRecordBytes(record: JournalRecord): Uint8Array {
  const pieces = encodeRecord(record);
  let length = 0;
  for (const p of pieces) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
