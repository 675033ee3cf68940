export { formatOrcpt, type OrcptOptions, type OriginalRecipient, parseOrcpt } from './orcpt.js';
export {
  decodeUtf8AddrUnitext,
  decodeUtf8AddrXtext,
  encodeUtf8AddrUnitext,
  encodeUtf8AddrXtext,
} from './utf8-addr.js';
export { decodeXtext, decodeXtextBytes, encodeXtext, isXtext } from './xtext.js';
