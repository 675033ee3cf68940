import {
  type ForwardPath,
  isAddressError,
  parseForwardPath,
  parseReversePath,
  type ReversePath,
} from '@smtpkit/address';
import { ClientError } from '../client-error.js';
import type { SendEnvelope } from '../session/client-events.js';

/**
 * The envelope of {@link SmtpClient.send}: the session's {@link SendEnvelope} with addresses as
 * text or parsed. A text address is a mailbox (`a@example.org`) or a path (`<a@example.org>`);
 * `''` or `'<>'` is the null reverse-path of a bounce (RFC 5321 §4.5.5). UTF-8 addresses are
 * accepted (SMTPUTF8 is then used, or the send fails if the server lacks it).
 *
 * @example
 * ```ts
 * const envelope: MessageEnvelope = { from: 'a@example.org', to: ['b@example.com', 'c@example.com'] };
 * ```
 */
export interface MessageEnvelope extends Omit<SendEnvelope, 'from' | 'to'> {
  readonly from: string | ReversePath;
  readonly to: string | ForwardPath | readonly (string | ForwardPath)[];
}

const UTF8 = { smtputf8: true } as const;

/**
 * Parses the text addresses of an envelope with @smtpkit/address.
 *
 * @throws {ClientError} `ERR_CLIENT_MISUSE_INVALID_ARGUMENT` for an address that does not parse.
 * @example
 * ```ts
 * toSendEnvelope({ from: '', to: 'b@example.com' }).from; // { kind: 'null' }
 * ```
 */
export function toSendEnvelope(envelope: MessageEnvelope): SendEnvelope {
  const { from, to, ...rest } = envelope;
  const list = typeof to === 'string' || !Array.isArray(to) ? [to as string | ForwardPath] : to;
  return {
    ...rest,
    from: typeof from === 'string' ? parsed('from', from, reverse) : from,
    to: list.map((t) => (typeof t === 'string' ? parsed('to', t, forward) : t)),
  };
}

function reverse(text: string): ReversePath {
  if (text === '') return { kind: 'null' };
  return parseReversePath(text.startsWith('<') ? text : `<${text}>`, UTF8);
}

function forward(text: string): ForwardPath {
  return parseForwardPath(text.startsWith('<') ? text : `<${text}>`, UTF8);
}

function parsed<T>(field: string, text: string, parse: (text: string) => T): T {
  try {
    return parse(text);
  } catch (error) {
    if (isAddressError(error)) {
      throw new ClientError(
        'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
        `envelope ${field}: ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
}
