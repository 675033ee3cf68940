import {
  C421ServiceNotAvailable,
  C451LocalError,
  C521HostDoesNotAcceptMail,
  C550MailboxUnavailable,
  C554TransactionFailed,
  C556DomainDoesNotAcceptMail,
} from './reply-codes.js';
import { createReply as r } from './reply.js';

/**
 * Ready replies an SMTP client or an MTA's delivery agent needs when it must describe a failure
 * itself (no answer, routing, expiry) and put it in a delivery status notification (RFC 3464
 * `Status:` and `Diagnostic-Code:`). Part of `replies`.
 *
 * @example
 * ```ts
 * deliveryReplies.R554_5_4_7_DeliveryTimeExpired; // also reachable as replies.R554_5_4_7_DeliveryTimeExpired
 * ```
 */
export const deliveryReplies = {
  /** 451 could not connect to any host for the domain (X.4.1). */
  R451_4_4_1_NoAnswerFromHost: r(C451LocalError, '4.4.1', 'No answer from host'),
  /** 421 the connection broke during the session (X.4.2). */
  R421_4_4_2_BadConnection: r(C421ServiceNotAvailable, '4.4.2', 'Bad connection'),
  /** 451 DNS or directory lookup failed temporarily (X.4.3). */
  R451_4_4_3_DirectoryServerFailure: r(C451LocalError, '4.4.3', 'Directory server failure'),
  /** 554 no route to the destination (X.4.4). */
  R554_5_4_4_UnableToRoute: r(C554TransactionFailed, '5.4.4', 'Unable to route'),
  /** 554 the message stayed in the queue past its lifetime (X.4.7). */
  R554_5_4_7_DeliveryTimeExpired: r(C554TransactionFailed, '5.4.7', 'Delivery time expired'),
  /** 451 sender domain does not resolve now (X.1.8). */
  R451_4_1_8_BadSenderSystemAddress: r(C451LocalError, '4.1.8', "Bad sender's system address"),
  /** 521 this host does not accept mail (RFC 7504 §3.1, X.3.2). */
  R521_5_3_2_HostDoesNotAcceptMail: r(
    C521HostDoesNotAcceptMail,
    '5.3.2',
    'Host does not accept mail',
  ),
  /** 556 the recipient domain publishes a null MX (RFC 7504 §3.2, RFC 7505 §4.1, X.1.10). */
  R556_5_1_10_DomainDoesNotAcceptMail: r(
    C556DomainDoesNotAcceptMail,
    '5.1.10',
    'Recipient address has null MX',
  ),
  /** 554 8-bit message for a host without 8BITMIME, and downgrading is not possible (RFC 6152 §3, X.6.3). */
  R554_5_6_3_ConversionNotSupported: r(
    C554TransactionFailed,
    '5.6.3',
    'Conversion required but not supported',
  ),
  /** 550 UTF-8 header message cannot go to a host without SMTPUTF8 (RFC 6531 §3.2, X.6.9). */
  R550_5_6_9_Utf8HeaderNotTransferable: r(
    C550MailboxUnavailable,
    '5.6.9',
    'UTF-8 header message cannot be transferred',
  ),
  /** 550 SMTPUTF8 envelope for a host without SMTPUTF8 (RFC 6531 §3.2, X.6.7). */
  R550_5_6_7_Utf8AddressNotPermitted: r(
    C550MailboxUnavailable,
    '5.6.7',
    'Non-ASCII addresses not permitted for that recipient',
  ),
} as const;
