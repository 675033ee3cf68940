import { deliveryReplies } from './replies-delivery.js';
import { limitReplies } from './replies-limits.js';
import { securityReplies } from './replies-security.js';
import { sessionReplies } from './replies-session.js';
import type { Reply } from './reply.js';

/** Names kept from the first API draft. */
interface DeprecatedReplies {
  /**
   * @deprecated Named in the first API draft with X.1.3, which RFC 3463 defines as "Bad
   * destination mailbox address syntax". The sender's is X.1.7, so this is the same value as
   * `R501_5_1_7_BadSenderAddressSyntax` (501 5.1.7); use that name.
   */
  readonly R501_5_1_3_BadSenderAddressSyntax: Reply;
}

/**
 * The shape of `replies`: every entry keeps its TSDoc.
 *
 * @example
 * ```ts
 * const catalogue: ReplyCatalogue = replies;
 * ```
 */
export type ReplyCatalogue = typeof sessionReplies &
  typeof securityReplies &
  typeof limitReplies &
  typeof deliveryReplies &
  DeprecatedReplies;

/**
 * The catalogue of ready replies, named `R<code>_<class>_<subject>_<detail>_<Meaning>` (or
 * `R<code>_<Meaning>` where no enhanced status applies). Every entry is a frozen `Reply`; change
 * the text with `withText`, never the code. Enhanced codes follow RFC 3463 / RFC 5248 and the
 * basic codes the IANA registry associates with them; the tests list the few justified exceptions.
 *
 * @example
 * ```ts
 * import { replies, withText, formatReplyLines } from '@smtpkit/reply';
 * formatReplyLines(replies.R550_5_1_1_NoSuchUser, { enhanced: true }); // ['550 5.1.1 No such user']
 * const queued = withText(replies.R250_2_0_0_MessageAccepted, 'Ok: queued as 4F2A9');
 * ```
 */
export const replies: Readonly<ReplyCatalogue> = Object.freeze({
  ...sessionReplies,
  ...securityReplies,
  ...limitReplies,
  ...deliveryReplies,
  R501_5_1_3_BadSenderAddressSyntax: sessionReplies.R501_5_1_7_BadSenderAddressSyntax,
});

/**
 * The name of a catalogue entry, e.g. `'R550_5_1_1_NoSuchUser'`.
 *
 * @example
 * ```ts
 * const name: ReplyName = 'R550_5_1_1_NoSuchUser';
 * replies[name].code; // 550
 * ```
 */
export type ReplyName = keyof ReplyCatalogue;
