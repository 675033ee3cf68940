/**
 * Stable codes of {@link ServerSessionError}. Only API misuse throws: what a client sends never
 * does (it gets a reply).
 *
 * @example
 * ```ts
 * const code: ServerSessionErrorCode = 'ERR_SESSION_STATE';
 * ```
 */
export type ServerSessionErrorCode =
  | 'ERR_SESSION_STATE'
  | 'ERR_SERVER_OPTIONS'
  | 'ERR_SERVER_STATE';

/**
 * The base error of @smtpkit/server's session and server layer: API misuse (a method called in
 * the wrong state, invalid options). Peer misbehaviour never throws; it is answered with a reply.
 *
 * @example
 * ```ts
 * try { session.start(); session.start(); } catch (e) { (e as ServerSessionError).code; } // 'ERR_SESSION_STATE'
 * ```
 */
export class ServerSessionError extends Error {
  readonly code: ServerSessionErrorCode;
  constructor(code: ServerSessionErrorCode, message: string) {
    super(message);
    this.name = 'ServerSessionError';
    this.code = code;
  }
}
