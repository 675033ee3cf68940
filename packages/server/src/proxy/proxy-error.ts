import type { Reply } from '@smtpkit/reply';

/**
 * Stable codes of {@link ProxyError}. `ERR_PROXY_OPTION` is API misuse (bad allow-list entry,
 * bad option); every other code is a peer sending something the PROXY protocol or XCLIENT does
 * not allow, and the connection (PROXY) or command (XCLIENT) must be refused.
 */
export type ProxyErrorCode =
  | 'ERR_PROXY_OPTION'
  | 'ERR_PROXY_NOT_ALLOWED'
  | 'ERR_PROXY_SIGNATURE'
  | 'ERR_PROXY_V1_SYNTAX'
  | 'ERR_PROXY_V1_TOO_LONG'
  | 'ERR_PROXY_V2_VERSION'
  | 'ERR_PROXY_V2_COMMAND'
  | 'ERR_PROXY_V2_FAMILY'
  | 'ERR_PROXY_V2_TOO_LONG'
  | 'ERR_PROXY_V2_ADDRESS'
  | 'ERR_PROXY_V2_TLV'
  | 'ERR_PROXY_V2_CRC32C'
  | 'ERR_XCLIENT_SYNTAX'
  | 'ERR_XCLIENT_NOT_ALLOWED';

/**
 * Error of the PROXY protocol and XCLIENT parsers. XCLIENT errors carry the `reply` to send.
 *
 * @example
 * ```ts
 * try { parser.push(bytes); } catch (e) { if (e instanceof ProxyError) socket.destroy(); }
 * ```
 */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  readonly code: ProxyErrorCode;
  /** `misuse`: the calling program is wrong; `peer`: the other side sent something invalid. */
  readonly origin: 'misuse' | 'peer';
  /** For XCLIENT errors: the reply to send. */
  readonly reply: Reply | undefined;
  constructor(code: ProxyErrorCode, message: string, reply?: Reply) {
    super(message);
    this.code = code;
    this.origin = code === 'ERR_PROXY_OPTION' ? 'misuse' : 'peer';
    this.reply = reply;
  }
}
