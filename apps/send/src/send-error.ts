/**
 * Stable codes of {@link SendError}: `ERR_SEND_USAGE` is a bad command line and
 * `ERR_SEND_FILE` a file named on it that cannot be read (exit status 2 for both);
 * `ERR_SEND_REFUSED` is what a server or the network did to the message (exit status 1).
 *
 * @example
 * ```ts
 * const status = (code: SendErrorCode) => (code === 'ERR_SEND_REFUSED' ? 1 : 2);
 * ```
 */
export type SendErrorCode = 'ERR_SEND_USAGE' | 'ERR_SEND_FILE' | 'ERR_SEND_REFUSED';

/**
 * The one error class of the sender, with a stable string `code`; its message is one line.
 *
 * @example
 * ```ts
 * try { parseSendOptions(['--to']); }
 * catch (e) { if (e instanceof SendError && e.code === 'ERR_SEND_USAGE') process.exitCode = 2; }
 * ```
 */
export class SendError extends Error {
  override readonly name = 'SendError';
  readonly code: SendErrorCode;

  constructor(code: SendErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Exit statuses: every recipient and the message accepted; anything refused or not delivered;
 * a bad command line.
 *
 * @example
 * ```ts
 * process.exitCode = EXIT.refused;
 * ```
 */
export const EXIT = Object.freeze({ accepted: 0, refused: 1, usage: 2 });
