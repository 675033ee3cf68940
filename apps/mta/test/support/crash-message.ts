// The messages of the crash-safety load: each carries its id, its body's length and the body's
// SHA-256 in its header, so any delivered copy can be checked on its own for truncation or
// corruption, wherever it landed (a Maildir file, the relay receiver) and whatever trace fields
// the MTA put in front of it.
import { createHash } from 'node:crypto';
import type { SeededRandom } from './seeded-random.js';

/** One message of the load. */
export interface CrashMessage {
  readonly id: string;
  readonly recipients: readonly string[];
  /** The whole message (header and body), CRLF line ends, not dot-stuffed. */
  readonly bytes: Buffer;
}

/** What a delivered copy says about itself. */
export type CopyCheck =
  | { readonly kind: 'intact'; readonly id: string }
  | { readonly kind: 'damaged'; readonly id: string; readonly reason: string }
  | { readonly kind: 'foreign'; readonly reason: string };

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');
const FIRST = 0x20;
const SPAN = 0x7f - FIRST;

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A body of at least `size` octets in lines of printable ASCII of 0 to 200 octets, some starting
 * with `.` (so the dot-stuffing of every hop is exercised, RFC 5321 §4.5.2), some a lone `.`.
 */
function body(rng: SeededRandom, size: number): Buffer {
  const out = Buffer.alloc(size + 256);
  let at = 0;
  while (at < size) {
    const length = rng.int(0, 200);
    const shape = rng.next();
    let i = 0;
    if (shape < 0.05) {
      out[at++] = 0x2e; // a line that starts with "."
      i = 1;
    } else if (shape < 0.06) {
      out[at++] = 0x2e; // a line that is only "."
      i = length;
    }
    for (; i < length; i++) out[at++] = FIRST + Math.floor(rng.next() * SPAN);
    at += CRLF.copy(out, at);
  }
  return out.subarray(0, at);
}

/**
 * Makes message `id` for `recipients` with a random body of about `size` octets.
 *
 * @example
 * ```ts
 * const m = makeCrashMessage(seededRandom(1), 's1-000001', ['a@local.test'], 4096);
 * checkCrashCopy(m.bytes); // { kind: 'intact', id: 's1-000001' }
 * ```
 */
export function makeCrashMessage(
  rng: SeededRandom,
  id: string,
  recipients: readonly string[],
  size: number,
): CrashMessage {
  const text = body(rng, size);
  const head = [
    'From: <loadgen@client.test>',
    `To: ${recipients.map((r) => `<${r}>`).join(', ')}`,
    `Subject: crash safety ${id}`,
    `Message-ID: <${id}@crash.test>`,
    `X-Crash-Id: ${id}`,
    `X-Crash-Length: ${text.length}`,
    `X-Crash-Digest: ${sha256(text)}`,
    '',
    '',
  ].join('\r\n');
  return { id, recipients, bytes: Buffer.concat([Buffer.from(head, 'latin1'), text]) };
}

/** The value of header field `name` in `header` (unfolded fields only, as ours are). */
export function headerField(header: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(header);
  return m === null ? undefined : (m[1] as string).trim();
}

/**
 * Checks one delivered copy, with whatever fields the MTA added in front: the body must be
 * exactly as long as its `X-Crash-Length` and hash to its `X-Crash-Digest`. A copy without an
 * `X-Crash-Id` is `foreign` (a DSN, or a copy cut inside its header).
 */
export function checkCrashCopy(copy: Uint8Array): CopyCheck {
  const bytes = Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength);
  const end = bytes.indexOf(HEADER_END);
  const header = bytes.subarray(0, end < 0 ? bytes.length : end + 2).toString('latin1');
  const id = headerField(header, 'X-Crash-Id');
  if (id === undefined)
    return { kind: 'foreign', reason: `no X-Crash-Id in ${bytes.length} octets` };
  if (end < 0) return { kind: 'damaged', id, reason: 'no end of header' };
  const length = Number(headerField(header, 'X-Crash-Length'));
  const digest = headerField(header, 'X-Crash-Digest');
  const text = bytes.subarray(end + HEADER_END.length);
  if (text.length !== length) {
    return { kind: 'damaged', id, reason: `body of ${text.length} octets, expected ${length}` };
  }
  if (sha256(text) !== digest) return { kind: 'damaged', id, reason: 'digest differs' };
  return { kind: 'intact', id };
}
