import { type Crc32, crc32 } from './crc32.js';
import { isMessageEnvelope, isRecipientStates } from './envelope-check.js';
import {
  HEADER_SIZE,
  type JournalRecord,
  MAX_RECORD_PAYLOAD,
  RECORD_MAGIC,
  TYPE_BYTES,
} from './journal-record.js';

/** One step of a {@link JournalReader}. */
export type JournalStep =
  | {
      readonly kind: 'record';
      readonly record: JournalRecord;
      /** Offset of the record in the stream. */
      readonly offset: number;
      /** Length of the whole record, header included. */
      readonly length: number;
      /** Offset in the stream of the record's body bytes (message and chunk records). */
      readonly bodyOffset: number;
    }
  | { readonly kind: 'need-data' }
  /**
   * The bytes at `offset` are no record the journal wrote (zeros past the end of the data, a
   * record torn by a crash, garbage): the reader stops there for good.
   */
  | { readonly kind: 'invalid'; readonly offset: number; readonly reason: InvalidReason };

export type InvalidReason = 'magic' | 'type' | 'length' | 'checksum' | 'payload' | 'truncated';

const decoder = new TextDecoder('utf-8', { fatal: true });
const TYPES = new Map<number, JournalRecord['type']>(
  Object.entries(TYPE_BYTES).map(([name, byte]) => [byte, name as JournalRecord['type']]),
);

/**
 * Reads journal records from bytes fed in any chunking: push bytes, then call `next()` until it
 * asks for more data. A record is returned only whole and with a matching checksum; the first
 * bytes that are not a valid record end the stream (`invalid`), and `end()` at the end of a file
 * tells a record cut short (`truncated`) from a clean end. Never throws for what it reads.
 *
 * @example
 * ```ts
 * const reader = new JournalReader();
 * reader.push(bytes);
 * for (let step = reader.next(); step.kind === 'record'; step = reader.next()) apply(step.record);
 * ```
 */
export class JournalReader {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  /** Stream offset of the first buffered byte. */
  #offset = 0;
  #invalid: JournalStep | undefined;
  readonly #checksum: Crc32;

  /** `checksum`: the CRC-32 to check records with (the spool gives a native one). */
  constructor(startOffset = 0, checksum: Crc32 = crc32) {
    this.#offset = startOffset;
    this.#checksum = checksum;
  }

  /** Bytes received and not yet returned as records. */
  get buffered(): number {
    return this.#buffered;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0 || this.#invalid !== undefined) return;
    this.#chunks.push(bytes);
    this.#buffered += bytes.length;
  }

  next(): JournalStep {
    if (this.#invalid !== undefined) return this.#invalid;
    const header = this.#peek(HEADER_SIZE);
    if (header === undefined) {
      if (this.#buffered > 0 && this.#first()[0] !== RECORD_MAGIC) return this.#fail('magic');
      return { kind: 'need-data' };
    }
    if (header[0] !== RECORD_MAGIC) return this.#fail('magic');
    const type = TYPES.get(header[1] as number);
    if (type === undefined) return this.#fail('type');
    const view = new DataView(header.buffer, header.byteOffset, HEADER_SIZE);
    const length = view.getUint32(2);
    if (length > MAX_RECORD_PAYLOAD) return this.#fail('length');
    const whole = this.#peek(HEADER_SIZE + length);
    if (whole === undefined) return { kind: 'need-data' };
    const payload = whole.subarray(HEADER_SIZE);
    if (this.#checksum(payload, this.#checksum(whole.subarray(1, 6))) !== view.getUint32(6))
      return this.#fail('checksum');
    const decoded = decodePayload(type, payload);
    if (decoded === undefined) return this.#fail('payload');
    const offset = this.#offset;
    this.#consume(HEADER_SIZE + length);
    return {
      kind: 'record',
      record: decoded.record,
      offset,
      length: HEADER_SIZE + length,
      bodyOffset: offset + HEADER_SIZE + decoded.bodyStart,
    };
  }

  /** At the end of the input: a clean end, or the offset of a record cut short. */
  end(): { readonly kind: 'end' } | JournalStep {
    if (this.#invalid !== undefined) return this.#invalid;
    if (this.#buffered === 0) return { kind: 'end' };
    return this.#fail('truncated');
  }

  #fail(reason: InvalidReason): JournalStep {
    this.#invalid = { kind: 'invalid', offset: this.#offset, reason };
    this.#chunks = [];
    this.#buffered = 0;
    return this.#invalid;
  }

  #first(): Uint8Array {
    return this.#chunks[0] as Uint8Array;
  }

  /** The first `n` buffered bytes as one array, or undefined when fewer are buffered. */
  #peek(n: number): Uint8Array | undefined {
    if (this.#buffered < n) return undefined;
    const first = this.#first();
    if (first.length >= n) return first.subarray(0, n);
    let count = 0;
    let size = 0;
    while (size < n) size += (this.#chunks[count++] as Uint8Array).length;
    const merged = new Uint8Array(size);
    let at = 0;
    for (let i = 0; i < count; i++) {
      const c = this.#chunks[i] as Uint8Array;
      merged.set(c, at);
      at += c.length;
    }
    this.#chunks.splice(0, count, merged);
    return merged.subarray(0, n);
  }

  #consume(n: number): void {
    this.#offset += n;
    this.#buffered -= n;
    let left = n;
    while (left > 0) {
      const first = this.#first();
      if (first.length <= left) {
        this.#chunks.shift();
        left -= first.length;
      } else {
        this.#chunks[0] = first.subarray(left);
        left = 0;
      }
    }
  }
}

function json(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The record in a checked payload, or undefined when its contents make no sense. */
function decodePayload(
  type: JournalRecord['type'],
  payload: Uint8Array,
): { record: JournalRecord; bodyStart: number } | undefined {
  const idLength = payload[0];
  if (idLength === undefined || idLength === 0 || payload.length < 1 + idLength) return undefined;
  let id = '';
  for (let i = 1; i <= idLength; i++) {
    const c = payload[i] as number;
    if (c < 0x21 || c > 0x7e) return undefined;
    id += String.fromCharCode(c);
  }
  const rest = payload.subarray(1 + idLength);
  const view = new DataView(rest.buffer, rest.byteOffset, rest.length);
  const start = 1 + idLength;
  switch (type) {
    case 'removed':
      return rest.length === 0 ? { record: { type, id }, bodyStart: start } : undefined;
    case 'chunk': {
      if (rest.length < 4) return undefined;
      return {
        record: { type, id, tag: view.getUint32(0), body: rest.subarray(4) },
        bodyStart: start + 4,
      };
    }
    case 'state': {
      const value = json(rest);
      if (!isRecord(value)) return undefined;
      const bounce = value['b'];
      if (bounce !== undefined && bounce !== true) return undefined;
      const states = value['s'];
      if (!Array.isArray(states) || !isRecipientStates(states, states.length)) return undefined;
      return {
        record: { type, id, states, bounceRequested: bounce === true },
        bodyStart: payload.length,
      };
    }
    case 'message': {
      if (rest.length < 8) return undefined;
      const tag = view.getUint32(0);
      const metaLength = view.getUint32(4);
      if (rest.length < 8 + metaLength) return undefined;
      const meta = json(rest.subarray(8, 8 + metaLength));
      if (!isRecord(meta)) return undefined;
      const envelope = meta['e'];
      const states = meta['s'];
      const size = meta['n'];
      const bounce = meta['b'];
      const body = rest.subarray(8 + metaLength);
      if (
        !isMessageEnvelope(envelope) ||
        !isRecipientStates(states, envelope.recipients.length) ||
        !Number.isSafeInteger(size) ||
        (size as number) < body.length ||
        (bounce !== undefined && bounce !== true)
      )
        return undefined;
      return {
        record: {
          type,
          id,
          tag,
          envelope,
          states,
          bounceRequested: bounce === true,
          size: size as number,
          body,
        },
        bodyStart: start + 8 + metaLength,
      };
    }
  }
}
