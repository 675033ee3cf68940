import { requiresSmtpUtf8 } from '@smtpkit/address';
import type {
  AnyExtension,
  ClientEnvelope,
  ClientRefusal,
  Registry,
  ServerCapabilities,
} from '@smtpkit/extensions';
import { formatCommand, isWireError } from '@smtpkit/wire';
import { ClientError } from '../client-error.js';
import type { SendEnvelope } from './client-events.js';
import type { Expectation, Transaction } from './client-state.js';

/** The commands of a transaction, in order, each with the reply it expects (none for octets). */
export interface Step {
  readonly bytes: Uint8Array;
  readonly expect: Expectation | undefined;
  /** The command's verb; `undefined` for message octets. */
  readonly verb: string | undefined;
}

/** How a transaction will go, decided before anything is written. */
export type Plan =
  | { readonly kind: 'go'; readonly tx: Transaction; readonly steps: readonly Step[] }
  | { readonly kind: 'refused'; readonly refusal: ClientRefusal };

/** What {@link planTransaction} needs to know about the session. */
export interface PlanContext {
  readonly registry: Registry<readonly AnyExtension[]>;
  readonly caps: ServerCapabilities;
  readonly tls: boolean;
  readonly lmtp: boolean;
  /** Use BDAT when the server offers CHUNKING (RFC 3030); DATA otherwise. */
  readonly chunking: boolean;
}

const encoder = new TextEncoder();

/**
 * Plans a transaction: the extensions' client side checks the envelope against the server's
 * capabilities (SMTPUTF8 missing, SIZE over the server's maximum, …) and gives the parameters to
 * send; then MAIL, one RCPT per recipient, and DATA (or, with the whole message known, BDAT
 * LAST and the message). RFC 2920 §3.1: MAIL and RCPT may come anywhere in a pipelined group,
 * DATA only last; RFC 3030 §4.2: BDAT may be pipelined.
 *
 * @throws {ClientError} `ERR_CLIENT_MISUSE_INVALID_ARGUMENT` when a value would put CR, LF or NUL
 *   on the wire, or the envelope has no recipient.
 * @example
 * ```ts
 * const plan = planTransaction(envelope, message, { registry, caps, tls: false, lmtp: false, chunking: true });
 * ```
 */
export function planTransaction(
  envelope: SendEnvelope,
  message: Uint8Array | undefined,
  ctx: PlanContext,
): Plan {
  if (envelope.to.length === 0) {
    throw new ClientError('ERR_CLIENT_MISUSE_INVALID_ARGUMENT', 'the envelope has no recipient');
  }
  const smtputf8 = envelope.smtputf8 === true || needsSmtpUtf8(envelope);
  const clientEnvelope: ClientEnvelope = {
    size: envelope.size ?? message?.length,
    body: envelope.body,
    smtputf8,
    requireTls: envelope.requireTls,
    mailParams: envelope.mailParams ?? {},
    recipients: envelope.to.map((_, i) => ({ params: envelope.rcptParams?.[i] ?? {} })),
  };
  const clientCtx = { tls: ctx.tls, lmtp: ctx.lmtp };
  const refusal = ctx.registry.clientCheck(clientEnvelope, ctx.caps, clientCtx);
  if (refusal !== undefined) return { kind: 'refused', refusal };
  const via =
    envelope.body === 'BINARYMIME' || (ctx.chunking && ctx.caps.has('CHUNKING')) ? 'BDAT' : 'DATA';
  const tx: Transaction = {
    envelope,
    via,
    pipelined: ctx.caps.has('PIPELINING'),
    unsent: ctx.registry.clientUnsent(clientEnvelope, ctx.caps),
    message,
    mail: undefined,
    rcpt: envelope.to.map(() => undefined),
    end: undefined,
    finals: [],
    chunkFailure: undefined,
    encoder: undefined,
    emptyMessage: false,
  };
  const form = smtputf8 ? 'unicode' : 'ascii';
  const steps: Step[] = [];
  try {
    steps.push({
      bytes: formatCommand(
        {
          verb: 'MAIL',
          reversePath: envelope.from,
          params: ctx.registry.clientMailParams(clientEnvelope, ctx.caps, clientCtx),
        },
        { form },
      ),
      expect: { kind: 'mail' },
      verb: 'MAIL',
    });
    envelope.to.forEach((forwardPath, index) => {
      steps.push({
        bytes: formatCommand(
          {
            verb: 'RCPT',
            forwardPath,
            params: ctx.registry.clientRcptParams(clientEnvelope, index, ctx.caps, clientCtx),
          },
          { form },
        ),
        expect: { kind: 'rcpt', index },
        verb: 'RCPT',
      });
    });
  } catch (error) {
    if (isWireError(error)) {
      throw new ClientError('ERR_CLIENT_MISUSE_INVALID_ARGUMENT', error.message, { cause: error });
    }
    throw error;
  }
  if (via === 'DATA') {
    steps.push({ bytes: encoder.encode('DATA\r\n'), expect: { kind: 'data' }, verb: 'DATA' });
  } else if (message !== undefined && tx.pipelined) {
    // The whole message in the group: BDAT n LAST and its octets (RFC 3030 §2, §4.2).
    steps.push({ bytes: bdatLine(message.length, true), expect: { kind: 'end' }, verb: 'BDAT' });
    steps.push({ bytes: message, expect: undefined, verb: undefined });
  }
  return { kind: 'go', tx, steps };
}

/** `BDAT n [LAST]` (RFC 3030 §2: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CR LF). */
export function bdatLine(size: number, last: boolean): Uint8Array {
  return encoder.encode(`BDAT ${size}${last ? ' LAST' : ''}\r\n`);
}

/** RFC 6531 §3.4: a UTF-8 address needs SMTPUTF8. */
function needsSmtpUtf8(envelope: SendEnvelope): boolean {
  if (envelope.from.kind === 'mailbox' && requiresSmtpUtf8(envelope.from.mailbox)) return true;
  return envelope.to.some((p) => p.kind === 'mailbox' && requiresSmtpUtf8(p.mailbox));
}
