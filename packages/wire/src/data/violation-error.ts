import { WireError } from '../wire-error.js';
import type { DataViolation } from './data-decoder.js';
import { dataReplies } from './data-replies.js';

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
