/**
 * Where a basic reply code is defined and the text its RFC gives it.
 *
 * @example
 * ```ts
 * const info: BasicReplyCodeInfo = { code: 503, text: 'Bad sequence of commands', reference: 'RFC 5321 §4.2.3' };
 * ```
 */
export interface BasicReplyCodeInfo {
  readonly code: number;
  readonly text: string;
  readonly reference: string;
}

/**
 * The known basic reply codes with their defining text, in numeric order. RFC 5321 §4.2.3 texts
 * are verbatim; the first definition wins where an extension reuses a number (251, 252, 454).
 *
 * @example
 * ```ts
 * import { basicReplyCodes } from '@smtpkit/reply';
 * basicReplyCodes.find((c) => c.code === 354)?.text; // 'Start mail input; end with <CRLF>.<CRLF>'
 * ```
 */
export const basicReplyCodes: readonly BasicReplyCodeInfo[] = Object.freeze(
  (
    [
      [211, 'System status, or system help reply', 'RFC 5321 §4.2.3'],
      [214, 'Help message', 'RFC 5321 §4.2.3'],
      [220, '<domain> Service ready', 'RFC 5321 §4.2.3'],
      [221, '<domain> Service closing transmission channel', 'RFC 5321 §4.2.3'],
      [235, 'Authentication Succeeded', 'RFC 4954 §6'],
      [250, 'Requested mail action okay, completed', 'RFC 5321 §4.2.3'],
      [251, 'User not local; will forward to <forward-path>', 'RFC 5321 §4.2.3'],
      [252, 'Cannot VRFY user, but will accept message and attempt delivery', 'RFC 5321 §4.2.3'],
      [253, 'OK, <n> pending messages for node <x> started', 'RFC 1985 §5'],
      [334, 'Server challenge', 'RFC 4954 §4'],
      [354, 'Start mail input; end with <CRLF>.<CRLF>', 'RFC 5321 §4.2.3'],
      [421, '<domain> Service not available, closing transmission channel', 'RFC 5321 §4.2.3'],
      [432, 'A password transition is needed', 'RFC 4954 §6'],
      [450, 'Requested mail action not taken: mailbox unavailable', 'RFC 5321 §4.2.3'],
      [451, 'Requested action aborted: local error in processing', 'RFC 5321 §4.2.3'],
      [452, 'Requested action not taken: insufficient system storage', 'RFC 5321 §4.2.3'],
      [454, 'Temporary authentication failure', 'RFC 4954 §6'],
      [455, 'Server unable to accommodate parameters', 'RFC 5321 §4.2.3'],
      [458, 'Unable to queue messages for node <x>', 'RFC 1985 §5'],
      [459, 'Node <x> not allowed: <reason>', 'RFC 1985 §5'],
      [500, 'Syntax error, command unrecognized', 'RFC 5321 §4.2.3'],
      [501, 'Syntax error in parameters or arguments', 'RFC 5321 §4.2.3'],
      [502, 'Command not implemented', 'RFC 5321 §4.2.3'],
      [503, 'Bad sequence of commands', 'RFC 5321 §4.2.3'],
      [504, 'Command parameter not implemented', 'RFC 5321 §4.2.3'],
      [521, 'Host does not accept mail', 'RFC 7504 §3.1'],
      [530, 'Authentication required', 'RFC 4954 §6'],
      [534, 'Authentication mechanism is too weak', 'RFC 4954 §6'],
      [535, 'Authentication credentials invalid', 'RFC 4954 §6'],
      [538, 'Encryption required for requested authentication mechanism', 'RFC 4954 §6'],
      [550, 'Requested action not taken: mailbox unavailable', 'RFC 5321 §4.2.3'],
      [551, 'User not local; please try <forward-path>', 'RFC 5321 §4.2.3'],
      [552, 'Requested mail action aborted: exceeded storage allocation', 'RFC 5321 §4.2.3'],
      [553, 'Requested action not taken: mailbox name not allowed', 'RFC 5321 §4.2.3'],
      [554, 'Transaction failed', 'RFC 5321 §4.2.3'],
      [555, 'MAIL FROM/RCPT TO parameters not recognized or not implemented', 'RFC 5321 §4.2.3'],
      [556, 'Domain does not accept mail', 'RFC 7504 §3.2'],
    ] as const
  ).map(([code, text, reference]) => Object.freeze({ code, text, reference })),
);
