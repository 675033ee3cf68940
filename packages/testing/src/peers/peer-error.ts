/**
 * Stable codes of {@link PeerError}. `ERR_PEER_USAGE` is API misuse (a bad option given to a launcher);
 * the others describe what the peer program did.
 */
export type PeerErrorCode =
  | 'ERR_PEER_USAGE'
  | 'ERR_PEER_MISSING'
  | 'ERR_PEER_TIMEOUT'
  | 'ERR_PEER_EXIT'
  | 'ERR_PEER_START'
  | 'ERR_PEER_OUTPUT';

/**
 * The one error class of the peer launchers, with a stable string `code`.
 *
 * @example
 * ```ts
 * try { await runSwaks({ port, from, to }); }
 * catch (e) { if (e instanceof PeerError && e.code === 'ERR_PEER_TIMEOUT') console.error(e.stderr); }
 * ```
 */
export class PeerError extends Error {
  override readonly name = 'PeerError';
  readonly code: PeerErrorCode;
  /** What the program printed on stdout before it failed, when it ran at all. */
  readonly stdout: string;
  /** What the program printed on stderr before it failed, when it ran at all. */
  readonly stderr: string;

  constructor(
    code: PeerErrorCode,
    message: string,
    output: { stdout?: string; stderr?: string } = {},
  ) {
    super(message);
    this.code = code;
    this.stdout = output.stdout ?? '';
    this.stderr = output.stderr ?? '';
  }
}
