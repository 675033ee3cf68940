export {
  AddressError,
  type AddressErrorCode,
  type AddressErrorOptions,
  type AddressRole,
  isAddressError,
} from './address-error.js';
export {
  type AddressLimits,
  type AddressOptions,
  DEFAULT_ADDRESS_LIMITS,
} from './address-limits.js';
export { type AddressLiteral, formatIpv6, parseAddressLiteral } from './address-literal.js';
export { type Domain, domainsEqual, parseDomain } from './domain.js';
export { toAsciiDomain, toUnicodeDomain } from './idna.js';
export {
  formatLocalPart,
  isDotString,
  type LocalPartForm,
  type LocalPartScan,
  scanLocalPart,
} from './local-part.js';
export {
  type DomainForm,
  formatMailbox,
  type Mailbox,
  type MailboxOptions,
  type MailboxScan,
  parseMailbox,
  requiresSmtpUtf8,
  scanMailbox,
} from './mailbox.js';
export {
  type ForwardPath,
  formatPath,
  parseForwardPath,
  parseReversePath,
  type ReversePath,
  scanForwardPath,
  scanReversePath,
} from './path.js';
