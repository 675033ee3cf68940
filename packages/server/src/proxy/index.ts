export { type AllowList, type CidrBlock, createAllowList, isAllowed, parseCidr } from './cidr.js';
export {
  formatIPv4,
  formatIPv6,
  type IpAddress,
  parseIPv4,
  parseIPv6,
  parseIpAddress,
} from './ip-address.js';
export {
  PP2_TYPE,
  type ProxyAddresses,
  type ProxyHeader,
  type ProxySslInfo,
  type ProxyTlv,
} from './proxy-header.js';
export {
  createProxyHeaderParser,
  DEFAULT_PROXY_V2_MAX_LENGTH,
  ProxyHeaderParser,
  type ProxyHeaderParserOptions,
  type ProxyParseResult,
} from './proxy-header-parser.js';
export { encodeProxyV1, PROXY_V1_MAX_LENGTH, parseProxyV1Line } from './proxy-v1.js';
export {
  encodeProxyV2,
  PROXY_V2_SIGNATURE,
  type ProxyV2Fields,
  parseProxyV2Header,
  parseTlvs,
} from './proxy-v2.js';
export {
  decodeXtext,
  parseXclientArguments,
  type XclientAttributes,
  type XclientValue,
  xclientReplies,
} from './xclient.js';
export { type XclientOptions, xclient, xclientAttributesOf } from './xclient-extension.js';
