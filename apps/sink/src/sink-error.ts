/**
 * Stable codes of {@link SinkError}. `ERR_SINK_USAGE` is a bad command line (exit status 2);
 * `ERR_SINK_ABORTED` a message not stored because its connection ended before the commit (the
 * client was told 421, or is gone, and will send it again); the others are what the machine did
 * to us (a Maildir that cannot be written, a port already taken).
 *
 * @example
 * ```ts
 * const status = (code: SinkErrorCode) => (code === 'ERR_SINK_USAGE' ? 2 : 1);
 * ```
 */
export type SinkErrorCode =
  | 'ERR_SINK_USAGE'
  | 'ERR_SINK_MAILDIR'
  | 'ERR_SINK_TLS_FILES'
  | 'ERR_SINK_LISTEN'
  | 'ERR_SINK_ABORTED';

/**
 * The one error class of the sink, with a stable string `code`.
 *
 * @example
 * ```ts
 * try { parseCliOptions(['--listen', 'nowhere']); }
 * catch (e) { if (e instanceof SinkError && e.code === 'ERR_SINK_USAGE') process.exitCode = 2; }
 * ```
 */
export class SinkError extends Error {
  override readonly name = 'SinkError';
  readonly code: SinkErrorCode;

  constructor(code: SinkErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
