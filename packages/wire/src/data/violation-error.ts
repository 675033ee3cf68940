import { WireError } from '../wire-error.js';
import { dataReplies } from './data-replies.js';

/** The kinds of rule the message data can break. */
export type DataViolationKind = 'bare-lf' | 'bare-cr' | 'line-too-long';

/**
 * A rule the message data broke. Each kind is reported once per message, at its first occurrence,
 * so a hostile body cannot grow the list. `offset` is the position in the wire bytes (counted from
 * the first byte after the `354` reply) of the bare LF, of the bare CR, or of the first byte of the
 * long line.
 */
export interface DataViolation {
  readonly kind: DataViolationKind;
  readonly offset: number;
}

/**
 * The `WireError` for a data violation, with the reply the server sends after the terminator.
 *
 * @example
 * ```ts
 * violationError({ kind: 'bare-lf', offset: 7 }).reply?.code; // 554
 * ```
 */
export function violationError(violation: DataViolation): WireError {
  switch (violation.kind) {
    case 'bare-lf':
      return new WireError(
        'ERR_WIRE_BARE_LF',
        `bare LF in message data at octet ${violation.offset}`,
        {
          reply: dataReplies.bareLf,
        },
      );
    case 'bare-cr':
      return new WireError(
        'ERR_WIRE_BARE_CR',
        `bare CR in message data at octet ${violation.offset}`,
        {
          reply: dataReplies.bareCr,
        },
      );
    default:
      return new WireError(
        'ERR_WIRE_LINE_TOO_LONG',
        `message text line too long, starting at octet ${violation.offset}`,
        { reply: dataReplies.lineTooLong },
      );
  }
}
