import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MimeNode, SplitterChunk } from '@zone-eu/mailsplit';
import { DowngradeError } from '../downgrade-error.js';
import { type PartPlan, planPart } from '../part-plan.js';
import { SevenBitDetector } from '../seven-bit.js';
import { createEmbeddedSplitter } from './embedded-splitter.js';
import { rewriteHeaderField } from './header-fields.js';
import { SyncEncoder } from './sync-encoder.js';

/** Options of {@link downgradeTo7bit}. */
export interface DowngradeOptions {
  /**
   * How many octets of a part's body are read before its encoding is chosen (its header is sent
   * only then). A part declared `8bit`/`binary` and longer is always encoded; a part declared
   * `7bit` (or with no label) and clean that far is sent as it is, and 8-bit data later in it is
   * a `ERR_MIME_DOWNGRADE_UNCONVERTIBLE` error. At least 1024. Default 1 MiB.
   */
  readonly sniffBytes?: number;
  /** Bound on the header block of one part (mailsplit's `maxHeadSize`). Default 1 MiB. */
  readonly maxHeadSize?: number;
}

const DEFAULT_SNIFF_BYTES = 1024 * 1024;
const DEFAULT_MAX_HEAD_SIZE = 1024 * 1024;

/** A leaf part whose body is being read, before or after its encoding was chosen. */
interface Leaf {
  readonly node: MimeNode;
  /** Held while the plan is not made: the body read so far. */
  held: Buffer[];
  heldBytes: number;
  plan: PartPlan | undefined;
  encoder: SyncEncoder | undefined;
  /** The encoder's output so far ended with a line break. */
  endsWithLineBreak: boolean;
  /** The part was declared base64 or quoted-printable: only stray 8-bit octets are repaired. */
  readonly encoded: 'base64' | 'quoted-printable' | undefined;
}

const HEX = '0123456789ABCDEF';
const toBuffer = (chunk: Uint8Array): Buffer =>
  Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);

/** Whether any ancestor of `node` is multipart/signed: its content may not change (RFC 1847 §2.1). */
function underSigned(node: MimeNode): boolean {
  for (let p = node.parentNode; p !== false; p = p.parentNode) {
    if (p.contentType === 'multipart/signed') return true;
  }
  return false;
}

function refuseSigned(node: MimeNode): void {
  if (underSigned(node)) {
    throw new DowngradeError(
      'ERR_MIME_DOWNGRADE_SIGNED',
      'an 8-bit part inside multipart/signed cannot be converted without breaking its signature (RFC 1847 §2.1)',
    );
  }
}

function headersOf(node: MimeNode) {
  if (node.headers === false) node.parseHeaders();
  return node.headers as Exclude<MimeNode['headers'], false>;
}

/** Rewrites the header fields of `node` that hold 8-bit octets or over-long lines. */
function rewriteHeaders(node: MimeNode): void {
  const headers = headersOf(node);
  for (const line of headers.getList()) {
    const rewritten = rewriteHeaderField(line.line);
    if (rewritten === undefined) continue;
    refuseSigned(node);
    line.line = rewritten;
    headers.changed = true;
  }
}

/** RFC 2045 §6.1: a multipart or an embedded message is labelled 7bit once its content is 7-bit. */
function relabelContainer(node: MimeNode): void {
  if (node.encoding === '8bit' || node.encoding === 'binary') {
    headersOf(node).update('Content-Transfer-Encoding', '7bit');
    node.encoding = '7bit';
  }
}

/** Whether `octets` (the start of a body) is UTF-8, an incomplete last sequence allowed. */
function looksUtf8(octets: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(octets, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Labels a part that is being encoded: Content-Transfer-Encoding, and MIME headers it lacks. */
function labelEncoded(leaf: Leaf, encoding: string, window: Uint8Array): void {
  const headers = headersOf(leaf.node);
  headers.update('Content-Transfer-Encoding', encoding);
  if (!headers.hasHeader('Content-Type') && leaf.node.contentType === 'text/plain') {
    // RFC 2045 §5.2 would read it as US-ASCII; name what the octets are (RFC 1428 otherwise).
    headers.add(
      'Content-Type',
      `text/plain; charset=${looksUtf8(window) ? 'utf-8' : 'unknown-8bit'}`,
    );
  }
  const root = leaf.node.parentNode === false || leaf.node.parentNode.rfc822;
  if (root && !headers.hasHeader('MIME-Version')) headers.add('MIME-Version', '1.0');
}

/** Replaces stray 8-bit octets in a base64 body (ignored by decoders, RFC 2045 §6.8) or a QP one. */
function repairEncoded(chunk: Buffer, encoding: 'base64' | 'quoted-printable'): Buffer {
  let clean = true;
  for (const octet of chunk) if (octet >= 0x80) clean = false;
  if (clean) return chunk;
  if (encoding === 'base64') return Buffer.from(chunk.filter((octet) => octet < 0x80));
  // A raw octet in quoted-printable decodes as itself in lenient decoders; =XX says the same.
  let text = '';
  for (const octet of chunk) {
    text += octet >= 0x80 ? `=${HEX[octet >> 4]}${HEX[octet & 15]}` : String.fromCharCode(octet);
  }
  return Buffer.from(text, 'latin1');
}

/**
 * Converts an 8-bit MIME message into 7-bit MIME for a next hop that does not offer 8BITMIME
 * (RFC 6152 §3: "convert the message to 7-bit MIME or bounce it"). Every leaf part that is not
 * already 7-bit data (an octet above 127, a NUL, a line over 998 octets) is encoded:
 * quoted-printable for mostly-ASCII text (its CRLF lines stay lines), base64 otherwise, and its
 * Content-Transfer-Encoding is updated (charset parameters kept). 8-bit octets in header fields
 * become RFC 2047 encoded-words where the field allows them (Subject, display names, comments;
 * RFC 2231 parameters in Content-Type and Content-Disposition). Multiparts and embedded
 * `message/rfc822` messages are recursed and relabelled `7bit`; their boundaries, and every part
 * that needs no conversion, are kept byte for byte. The output holds only 7-bit octets and lines
 * of at most 998 octets.
 *
 * A message that cannot be made 7-bit without breaking it makes the returned iterable throw a
 * {@link DowngradeError} whose `reply` is the bounce to send (554 5.6.3, 550 5.6.7, 550 5.6.9):
 * an 8-bit part inside `multipart/signed`, a raw UTF-8 address (SMTPUTF8), raw 8-bit in a field
 * that may carry no encoded-word. Output already yielded must then be discarded (an MTA abandons
 * the transaction). Errors of `message` travel through unchanged.
 *
 * @example
 * ```ts
 * import { downgradeTo7bit } from '@smtpkit/mime-downgrade';
 * const message = Buffer.from(
 *   'Subject: caf\u00e9\r\nContent-Type: text/plain; charset=utf-8\r\n' +
 *     'Content-Transfer-Encoding: 8bit\r\n\r\ncaf\u00e9\r\n',
 * );
 * const out: Buffer[] = [];
 * for await (const chunk of downgradeTo7bit([message])) out.push(chunk);
 * // Subject: =?UTF-8?Q?caf=C3=A9?= … Content-Transfer-Encoding: quoted-printable … caf=C3=A9
 * ```
 */
export async function* downgradeTo7bit(
  message: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Readable,
  options: DowngradeOptions = {},
): AsyncGenerator<Buffer, void, undefined> {
  const sniffBytes = options.sniffBytes ?? DEFAULT_SNIFF_BYTES;
  const maxHeadSize = options.maxHeadSize ?? DEFAULT_MAX_HEAD_SIZE;
  for (const [name, value] of [
    ['sniffBytes', sniffBytes],
    ['maxHeadSize', maxHeadSize],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1024) {
      throw new DowngradeError(
        'ERR_MIME_DOWNGRADE_MISUSE_OPTION',
        `${name} must be an integer of at least 1024, not ${String(value)}`,
      );
    }
  }
  const splitter = createEmbeddedSplitter({ maxHeadSize });
  const source = Readable.from(
    (async function* () {
      for await (const chunk of message as AsyncIterable<Uint8Array>) yield toBuffer(chunk);
    })(),
  );
  // The pipeline's failure reaches the loop below through the splitter, destroyed with it.
  pipeline(source, splitter).catch(() => {});
  const check = new SevenBitDetector();
  /** The output guard: nothing that is not 7-bit data leaves (RFC 6152 §3). */
  const emit = (chunk: Buffer): Buffer => {
    check.push(chunk);
    if (check.eightBit || check.nul || check.longLine) {
      throw new DowngradeError(
        'ERR_MIME_DOWNGRADE_UNCONVERTIBLE',
        check.longLine
          ? 'a line of the message is longer than 998 octets and sits where it cannot be re-encoded'
          : `8-bit data in a part whose first ${sniffBytes} octets were 7-bit and that was sent as it is`,
      );
    }
    return chunk;
  };

  let leaf: Leaf | undefined;
  /** Chooses the leaf's plan from what is held, and returns what can be sent now. */
  const decide = (current: Leaf, ended: boolean): Buffer[] => {
    const body = Buffer.concat(current.held, current.heldBytes);
    const window = body.subarray(0, sniffBytes);
    const plan = planPart({
      contentType: current.node.contentType || 'text/plain',
      encoding: current.node.encoding || '',
      window,
      ended,
    });
    current.plan = plan;
    current.held = [];
    current.heldBytes = 0;
    if (plan.kind === 'keep') {
      if (plan.relabel) relabelContainer(current.node);
      return [current.node.getHeaders(), body];
    }
    refuseSigned(current.node);
    labelEncoded(current, plan.encoding, window);
    current.encoder =
      plan.encoding === 'base64' ? SyncEncoder.base64() : SyncEncoder.quotedPrintable();
    return [current.node.getHeaders(), ...encode(current, body)];
  };
  const encode = (current: Leaf, chunk: Buffer): Buffer[] => {
    const out = current.encoder?.write(chunk);
    if (out === undefined || out.length === 0) return [];
    current.endsWithLineBreak = out[out.length - 1] === 0x0a;
    return [out];
  };
  /** Ends the current leaf: what it still holds, and its encoder's rest. */
  const finish = async (): Promise<Buffer[]> => {
    const current = leaf;
    leaf = undefined;
    if (current === undefined) return [];
    const out = current.plan === undefined ? decide(current, true) : [];
    if (current.encoder !== undefined) {
      const rest = await current.encoder.end();
      if (rest.length > 0) {
        out.push(rest);
        current.endsWithLineBreak = rest[rest.length - 1] === 0x0a;
      }
      // The CRLF before a boundary belongs to the boundary; a part at the end of the message
      // still ends its last line: base64 ignores the break, and "=" CRLF is a soft break in QP.
      if (!current.endsWithLineBreak && current.node.parentNode === false) {
        out.push(
          Buffer.from(
            current.plan?.kind === 'encode' && current.plan.encoding === 'base64'
              ? '\r\n'
              : '=\r\n',
          ),
        );
      }
    }
    return out;
  };

  for await (const item of splitter as AsyncIterable<SplitterChunk>) {
    if (item.type === 'node') {
      for (const out of await finish()) yield emit(out);
      const node = item;
      rewriteHeaders(node);
      if (node.multipart !== false || node.messageNode === true) {
        relabelContainer(node);
        yield emit(node.getHeaders());
        continue;
      }
      const encoding = node.encoding || '';
      const encoded =
        encoding === 'base64' || encoding === 'quoted-printable' ? encoding : undefined;
      leaf = {
        node,
        held: [],
        heldBytes: 0,
        plan: undefined,
        encoder: undefined,
        endsWithLineBreak: true,
        encoded,
      };
      if (encoded !== undefined) {
        leaf.plan = { kind: 'keep', relabel: false };
        yield emit(node.getHeaders());
      }
    } else if (item.type === 'body' && leaf !== undefined) {
      const chunk = toBuffer(item.value);
      if (leaf.encoded !== undefined) {
        const repaired = repairEncoded(chunk, leaf.encoded);
        if (repaired !== chunk) refuseSigned(leaf.node);
        yield emit(repaired);
      } else if (leaf.plan === undefined) {
        leaf.held.push(chunk);
        leaf.heldBytes += chunk.length;
        if (leaf.heldBytes > sniffBytes) for (const out of decide(leaf, false)) yield emit(out);
      } else if (leaf.encoder !== undefined) {
        for (const out of encode(leaf, chunk)) yield emit(out);
      } else {
        yield emit(chunk);
      }
    } else {
      for (const out of await finish()) yield emit(out);
      yield emit(repairData(item.node, toBuffer(item.value)));
    }
  }
  for (const out of await finish()) yield emit(out);
}

/**
 * A multipart's own text (preamble, delimiters, epilogue) with 8-bit octets: RFC 2046 §5.1.1 has
 * the preamble and epilogue ignored by readers, so such octets become "?". Anywhere else (a
 * multipart with no usable boundary) the data cannot be made 7-bit.
 */
function repairData(node: MimeNode | false | undefined, chunk: Buffer): Buffer {
  let clean = true;
  for (const octet of chunk) if (octet >= 0x80 || octet === 0) clean = false;
  if (clean) return chunk;
  let owner: MimeNode | false | undefined = node;
  while (
    owner !== false &&
    owner !== undefined &&
    (owner.multipart === false || owner._boundary === false)
  )
    owner = owner.parentNode;
  if (owner === false || owner === undefined || node === undefined || node === false) {
    throw new DowngradeError(
      'ERR_MIME_DOWNGRADE_UNCONVERTIBLE',
      'a multipart with no boundary holds 8-bit data',
    );
  }
  refuseSigned(node);
  return Buffer.from(chunk.map((octet) => (octet >= 0x80 || octet === 0 ? 0x3f : octet)));
}
