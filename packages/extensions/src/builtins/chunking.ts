import { defineExtension, verb } from '../define-extension.js';
import { extensionReplies } from '../extension-replies.js';
import { accept, reject } from '../outcome.js';

/** The parsed arguments of a BDAT command. */
export interface BdatArguments {
  readonly size: number;
  readonly last: boolean;
}

/**
 * RFC 3030 §2:
 *   bdat-cmd   ::= "BDAT" SP chunk-size [ SP end-marker ] CR LF
 *   chunk-size ::= 1*DIGIT
 *   end-marker ::= "LAST"
 * The verb is matched case-insensitively (RFC 5321 §2.4), so `last` is too. Sizes are capped at
 * 15 digits, well past any message limit, so the number stays exact.
 *
 * @example
 * ```ts
 * import { bdatArguments } from '@smtpkit/extensions';
 * bdatArguments('0 LAST'); // { size: 0, last: true }
 * ```
 */
export function bdatArguments(argument: string | undefined): BdatArguments | undefined {
  if (argument === undefined) return undefined;
  const space = argument.indexOf(' ');
  const digits = space === -1 ? argument : argument.slice(0, space);
  if (digits.length === 0 || digits.length > 15) return undefined;
  for (let i = 0; i < digits.length; i++) {
    const c = digits.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  if (space === -1) return { size: Number(digits), last: false };
  if (argument.slice(space + 1).toUpperCase() !== 'LAST') return undefined;
  return { size: Number(digits), last: true };
}

/**
 * CHUNKING, RFC 3030: the BDAT verb. Allowed once a recipient is accepted and between chunks;
 * elsewhere it gets 503 5.5.1 and its chunk is still read and discarded ("chunk consumed when
 * rejected": the octets follow the command whatever the reply). A BDAT whose size cannot be read
 * cannot be skipped, so its 501 closes the session. DATA after a BDAT chunk in the same
 * transaction gets 503 5.5.1 (no mixing, RFC 3030 §2). `BDAT 0 LAST` ends a message.
 *
 * @example
 * ```ts
 * import { chunking, createRegistry } from '@smtpkit/extensions';
 * const registry = createRegistry([chunking()]);
 * // registry.dispatch('BDAT', '324 LAST', ctx) → { kind: 'bdat', size: 324, last: true, reply: 250 2.0.0 }
 * ```
 */
export function chunking() {
  return defineExtension({
    name: 'CHUNKING',
    keyword: 'CHUNKING',
    verbs: {
      BDAT: verb({
        states: ['rcpt', 'bdat'],
        // Before MAIL the command the client is missing is MAIL; after it, a recipient.
        outOfSequence: (ctx) =>
          ctx.phase === 'connected' || ctx.phase === 'greeted'
            ? extensionReplies.R503_5_5_1_NeedMailCommand
            : extensionReplies.R503_5_5_1_NeedRcptCommand,
        parse(argument) {
          const parsed = bdatArguments(argument);
          if (parsed === undefined) {
            return reject(extensionReplies.R501_5_5_4_InvalidChunkSize, { close: true });
          }
          return accept(parsed);
        },
        // RFC 3030 §2: a chunk that is not the last gets its own 250 once its octets are read.
        handle: (_ctx, a: BdatArguments) => ({
          kind: 'bdat',
          size: a.size,
          last: a.last,
          reply: extensionReplies.R250_2_0_0_ChunkAccepted,
        }),
        discardOnReject: (a: BdatArguments) => a.size,
      }),
    },
    replies: {
      R503_5_5_1_NeedMailCommand: extensionReplies.R503_5_5_1_NeedMailCommand,
      R503_5_5_1_NeedRcptCommand: extensionReplies.R503_5_5_1_NeedRcptCommand,
      R250_2_0_0_ChunkAccepted: extensionReplies.R250_2_0_0_ChunkAccepted,
      R503_5_5_1_DataAfterBdat: extensionReplies.R503_5_5_1_DataAfterBdat,
    },
    guard(v, ctx) {
      if (v === 'DATA' && ctx.phase === 'bdat') return extensionReplies.R503_5_5_1_DataAfterBdat;
      return undefined;
    },
  });
}
