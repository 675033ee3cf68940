import { type BuildDsnOptions, type BuiltDsn, buildReport } from './build-dsn.js';
import { DsnError } from './dsn-error.js';

/** Options of {@link buildDoubleBounce}: those of `buildDsn`, and the postmaster to tell. */
export interface BuildDoubleBounceOptions extends BuildDsnOptions {
  /** The postmaster's address (RFC 5321 §4.5.1), e.g. `postmaster@mx.example.com`. */
  readonly postmaster: string;
}

/**
 * Builds the notice a postmaster gets when a message from the null reverse-path `<>` (most
 * likely a DSN itself) fails: the same RFC 6522 report as `buildDsn`, addressed to `postmaster`
 * instead of the sender (to whom nothing may be sent, RFC 5321 §4.5.5), still sent from `<>` so
 * that it cannot loop. Only the header of the failed message is returned, whatever its RET.
 *
 * @example
 * ```ts
 * import { buildDoubleBounce } from '@smtpkit/dsn';
 * const notice = buildDoubleBounce({
 *   postmaster: 'postmaster@mx.example.com',
 *   reportingMta: 'mx.example.com',
 *   envelope: { sender: '' },
 *   recipients: [{ address: 'alice@example.com', action: 'failed', status: '5.1.1' }],
 *   now: Date.UTC(2026, 0, 2, 3, 4, 5),
 *   messageId: 'dsn.2',
 * });
 * notice.recipient; // 'postmaster@mx.example.com'
 * notice.sender; // ''
 * ```
 */
export function buildDoubleBounce(options: BuildDoubleBounceOptions): BuiltDsn {
  if (options.postmaster.trim() === '') {
    throw new DsnError('ERR_DSN_MISUSE_OPTION', 'postmaster is empty');
  }
  return buildReport(options, options.postmaster, 'double-bounce');
}
