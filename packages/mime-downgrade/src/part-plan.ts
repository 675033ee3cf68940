import { DowngradeError } from './downgrade-error.js';
import { SevenBitDetector } from './seven-bit.js';

/** What becomes of one leaf part (a part with a body, not a multipart or an embedded message). */
export type PartPlan =
  /** The body stays byte for byte; `relabel`: its `8bit`/`binary` label becomes `7bit`. */
  | { readonly kind: 'keep'; readonly relabel: boolean }
  /** The body is encoded; Content-Transfer-Encoding becomes `encoding`. */
  | { readonly kind: 'encode'; readonly encoding: 'quoted-printable' | 'base64' };

/** What {@link planPart} looks at. */
export interface PartFacts {
  /** Lower-case media type (`text/plain`), with mailsplit's defaults applied. */
  readonly contentType: string;
  /** Lower-case Content-Transfer-Encoding, `''` when absent. */
  readonly encoding: string;
  /** The first octets of the body (all of it when `ended`). */
  readonly window: Uint8Array;
  /** The window holds the whole body. */
  readonly ended: boolean;
}

/**
 * Text whose octets are mostly ASCII (at most this share 8-bit) goes in quoted-printable, which
 * keeps its lines readable; the rest in base64 (RFC 2045 §6.8: for data that is not "largely
 * ... US-ASCII"), where quoted-printable would triple most octets.
 */
const QP_MAX_EIGHT_BIT_SHARE = 0.5;

/** RFC 2046 §5.2.2, §5.2.3: message/partial and message/external-body are 7bit only. */
const SEVEN_BIT_ONLY = new Set(['message/partial', 'message/external-body']);

/**
 * Decides how a leaf part crosses a 7-bit hop (RFC 6152 §3, RFC 2045 §6): a body that is already
 * 7-bit data (no 8-bit octet, no NUL, lines of at most 998 octets) stays as it is; otherwise
 * mostly-ASCII text becomes quoted-printable (its lines stay lines) and everything else base64.
 * A body declared `8bit`/`binary` and longer than the window is encoded whatever the window
 * holds. Throws a {@link DowngradeError} for a part no encoding may carry: 8-bit `message/partial`
 * or `message/external-body`, a multipart that could not be split, a `message/rfc822` body (RFC
 * 2046 §5.2.1), or an unknown Content-Transfer-Encoding.
 *
 * @example
 * ```ts
 * planPart({ contentType: 'text/plain', encoding: '8bit', window: Buffer.from('caf\u00e9\r\n'), ended: true });
 * // → { kind: 'encode', encoding: 'quoted-printable' }
 * ```
 */
export function planPart(facts: PartFacts): PartPlan {
  const scan = new SevenBitDetector();
  scan.push(facts.window);
  const declaredEightBit = facts.encoding === '8bit' || facts.encoding === 'binary';
  if (scan.sevenBit && (facts.ended || !declaredEightBit)) {
    return { kind: 'keep', relabel: declaredEightBit };
  }
  const type = facts.contentType;
  if (
    SEVEN_BIT_ONLY.has(type) ||
    type.startsWith('multipart/') ||
    type === 'message/rfc822' ||
    !(facts.encoding === '' || facts.encoding === '7bit' || declaredEightBit)
  ) {
    throw new DowngradeError(
      'ERR_MIME_DOWNGRADE_UNCONVERTIBLE',
      `a ${type} part with Content-Transfer-Encoding '${facts.encoding || '7bit'}' holds 8-bit data that no encoding may carry there`,
    );
  }
  if (type.startsWith('text/') && !scan.nul) {
    let eightBit = 0;
    for (const octet of facts.window) if (octet >= 0x80) eightBit++;
    if (eightBit <= facts.window.length * QP_MAX_EIGHT_BIT_SHARE) {
      return { kind: 'encode', encoding: 'quoted-printable' };
    }
  }
  return { kind: 'encode', encoding: 'base64' };
}
