import { ReplyException, replies } from '@smtpkit/reply';

/** The most header bytes read for trace fields; a header section beyond it is not counted further. */
const HEADER_SCAN_LIMIT = 256 * 1024;

const CR = 0x0d;
const LF = 0x0a;

/** True when `line` (without its CRLF) starts a `Received:` field (RFC 5322 field names are case-insensitive). */
function isReceived(line: Uint8Array): boolean {
  if (line.length < 9) return false;
  const name = 'received:';
  for (let i = 0; i < 9; i++) {
    const c = line[i] ?? 0;
    const lower = c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
    if (lower !== name.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Passes the message through while counting its `Received:` fields, and fails with 554 5.4.6 once
 * there are more than `maxHops` (RFC 5321 §6.3: "Simply counting the number of 'Received:' header
 * fields in a message has proven to be an effective, although rarely optimal, technique for
 * detecting loops in mail systems."). `alreadyAdded` counts our own field, prepended before.
 * Only the header section (up to the first empty line) is read, each chunk passed on unchanged.
 *
 * @example
 * ```ts
 * for await (const chunk of limitHops(message.stream, 100)) store(chunk);
 * ```
 */
export async function* limitHops(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  maxHops: number,
  alreadyAdded = 0,
): AsyncGenerator<Uint8Array> {
  let hops = alreadyAdded;
  let scanning = true;
  let scanned = 0;
  let line: number[] = [];
  for await (const chunk of source) {
    if (scanning) {
      for (let i = 0; i < chunk.length && scanning; i++) {
        const c = chunk[i] as number;
        scanned++;
        if (c === LF) {
          const bytes = Uint8Array.from(line[line.length - 1] === CR ? line.slice(0, -1) : line);
          if (bytes.length === 0) scanning = false;
          else if (isReceived(bytes)) hops++;
          line = [];
        } else if (line.length < 16) {
          line.push(c);
        }
        if (scanned >= HEADER_SCAN_LIMIT) scanning = false;
      }
      if (hops > maxHops) {
        throw new ReplyException(replies.R554_5_4_6_RoutingLoopDetected);
      }
    }
    yield chunk;
  }
}
