/**
 * Stable codes of {@link MtaError}: `ERR_MTA_USAGE` a bad command line (exit status 2),
 * `ERR_MTA_CONFIG` a configuration that does not validate (exit status 2, the message names the
 * key), the others what the machine did to us (a port taken, a file that cannot be read).
 *
 * @example
 * ```ts
 * const status = (code: MtaErrorCode) => (code === 'ERR_MTA_USAGE' || code === 'ERR_MTA_CONFIG' ? 2 : 1);
 * ```
 */
export type MtaErrorCode =
  | 'ERR_MTA_USAGE'
  | 'ERR_MTA_CONFIG'
  | 'ERR_MTA_FILES'
  | 'ERR_MTA_LISTEN'
  | 'ERR_MTA_QUEUE';

/**
 * The one error class of the MTA app.
 *
 * @example
 * ```ts
 * try { await loadConfig({ file: 'mta.yaml' }); }
 * catch (e) { if (e instanceof MtaError) console.error(e.message); }
 * ```
 */
export class MtaError extends Error {
  override readonly name = 'MtaError';
  readonly code: MtaErrorCode;

  constructor(code: MtaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  /** A bad command line or configuration: the user's to fix. */
  get misuse(): boolean {
    return this.code === 'ERR_MTA_USAGE' || this.code === 'ERR_MTA_CONFIG';
  }
}
