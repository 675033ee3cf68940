export { BdatReader, type BdatReadResult, encodeBdatChunk } from './bdat-reader.js';
export { decodeData, type DecodeDataResult } from './decode-data.js';
export {
  type BareLineEndingPolicy,
  type DataDecodeResult,
  DataDecoder,
  type DataDecoderOptions,
  type DataViolation,
  type DataViolationKind,
  type LongLinePolicy,
  violationError,
} from './data-decoder.js';
export { DataEncoder, encodeData } from './data-encoder.js';
export { dataReplies } from './data-replies.js';
