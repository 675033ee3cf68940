import { type Reply, replies, withText } from '@smtpkit/reply';
import type { AddressErrorCode, AddressRole } from './address-error.js';

/*
 * RFC 3463 §3.2: X.1.3 "Bad destination mailbox address syntax", X.1.7 "Bad sender's mailbox
 * address syntax"; §3.6: X.5.4 "Invalid command arguments".
 * RFC 5321 §4.5.3.1.10 lists "501 Path too long" for an over-long path.
 * RFC 6531 §3.5: a server that receives a UTF-8 address without SMTPUTF8 answers
 * "553 5.6.7 Non-ASCII addresses not permitted for that sender/recipient" (§3.7.1 X.6.7).
 */
const base: Record<AddressRole, Reply> = {
  sender: replies.R501_5_1_7_BadSenderAddressSyntax,
  recipient: replies.R501_5_1_3_BadRecipientAddressSyntax,
  domain: replies.R501_5_5_4_SyntaxErrorInParameters,
};

const detail: Record<AddressErrorCode, string> = {
  ERR_ADDRESS_SYNTAX: '',
  ERR_ADDRESS_LOCAL_PART_TOO_LONG: 'local part too long',
  ERR_ADDRESS_DOMAIN_TOO_LONG: 'domain too long',
  ERR_ADDRESS_LABEL_TOO_LONG: 'domain label too long',
  ERR_ADDRESS_PATH_TOO_LONG: 'path too long',
  ERR_ADDRESS_UTF8_NOT_PERMITTED: '',
  ERR_ADDRESS_IDNA: 'invalid internationalised domain name',
};

const cache = new Map<string, Reply>();

/** The reply a server sends for an address error of `code` found in a `role` argument. */
export function replyForAddressError(code: AddressErrorCode, role: AddressRole): Reply {
  if (code === 'ERR_ADDRESS_UTF8_NOT_PERMITTED') return replies.R553_5_6_7_Utf8AddressNotPermitted;
  const text = detail[code];
  if (text === '') return base[role];
  const key = `${code}/${role}`;
  let reply = cache.get(key);
  if (reply === undefined) {
    const first = base[role].lines[0] ?? '';
    reply = withText(base[role], `${first}: ${text}`);
    cache.set(key, reply);
  }
  return reply;
}
