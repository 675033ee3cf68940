import { type Reply, replies, withText } from '@smtpkit/reply';
import { wireReplies } from '@smtpkit/wire';

/**
 * Catalogue replies reworded for the command the client used (HELO, LHLO) and for LMTP, where
 * the greeting command is LHLO (RFC 2033 §4.1). Same codes and enhanced codes as the originals.
 *
 * @example
 * ```ts
 * sessionReplies.R503_5_5_1_LhloFirst.lines; // ['Send LHLO first']
 * ```
 */
export const sessionReplies = {
  /** 501 5.5.4 HELO without a usable domain (RFC 5321 §4.1.1.1: `"HELO" SP Domain CRLF`). */
  R501_5_5_4_HeloSyntax: withText(
    wireReplies.R501_5_5_4_HeloSyntax,
    'Syntax: HELO domain-or-address-literal',
  ),
  /** 501 5.5.4 LHLO without a usable domain (RFC 2033 §4.1). */
  R501_5_5_4_LhloSyntax: withText(
    wireReplies.R501_5_5_4_HeloSyntax,
    'Syntax: LHLO domain-or-address-literal',
  ),
  /** 503 5.5.1 a transaction command before LHLO on an LMTP server. */
  R503_5_5_1_LhloFirst: withText(replies.R503_5_5_1_HelloFirst, 'Send LHLO first'),
} as const satisfies Record<string, Reply>;
