import { defineExtension } from '../define-extension.js';

/**
 * RFC 2920 §3.1: "The EHLO, DATA, VRFY, EXPN, TURN, QUIT, and NOOP commands can only appear as the
 * last command in a group since their success or failure produces a change of state which the
 * client SMTP must accommodate." Extension verbs say the same with `pipelining: 'last'`.
 *
 * @example
 * ```ts
 * import { PIPELINING_LAST_IN_GROUP } from '@smtpkit/extensions';
 * PIPELINING_LAST_IN_GROUP.includes('DATA'); // true
 * ```
 */
export const PIPELINING_LAST_IN_GROUP: readonly string[] = Object.freeze([
  'EHLO',
  'DATA',
  'VRFY',
  'EXPN',
  'TURN',
  'QUIT',
  'NOOP',
]);

/**
 * PIPELINING, RFC 2920: the keyword. The server reads pipelined commands whether or not it is
 * advertised; the client groups commands only when the server offers it.
 *
 * @example
 * ```ts
 * import { createRegistry, pipelining } from '@smtpkit/extensions';
 * createRegistry([pipelining()]);
 * ```
 */
export function pipelining() {
  return defineExtension({ name: 'PIPELINING', keyword: 'PIPELINING' });
}
