export {
  DowngradeError,
  type DowngradeErrorCode,
  isDowngradeError,
} from './downgrade-error.js';
export { type DowngradeOptions, downgradeTo7bit } from './node/downgrade.js';
export { isSevenBit, MAX_LINE_OCTETS, SevenBitDetector } from './seven-bit.js';
