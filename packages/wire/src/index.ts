/**
 * @smtpkit/wire: sans-IO SMTP framing and codecs. Bytes in, typed values and events out, bytes
 * to send back; no sockets, no timers, no `node:*` modules.
 */
export type {
  AuthCommand,
  BareCommand,
  BdatCommand,
  Command,
  CommandVerb,
  EsmtpParameter,
  EtrnCommand,
  HelloCommand,
  MailCommand,
  OptionalArgumentCommand,
  RcptCommand,
  UnknownCommand,
  VerifyCommand,
} from './command.js';
export {
  type CommandEvent,
  CommandReader,
  type CommandReaderOptions,
  DEFAULT_COMMAND_LINE_LENGTH,
} from './command-reader.js';
export * from './data/index.js';
export { type EhloReply, parseEhloReply } from './ehlo-reply.js';
export {
  type EsmtpParameterOptions,
  isEsmtpKeyword,
  isEsmtpValue,
  parseEsmtpParameters,
} from './esmtp-parameters.js';
export {
  type CommandInput,
  type FormatCommandOptions,
  formatCommand,
  formatCommandText,
} from './format-command.js';
export { type FormatReplyOptions, formatReply, formatReplyText } from './format-reply.js';
export {
  type BareLinePolicy,
  LINE_HEAD_LENGTH,
  type LineEvent,
  type LineFault,
  LineReader,
  type LineReaderOptions,
  NEED_DATA,
} from './line-reader.js';
export { type CommandParseOptions, parseCommand } from './parse-command.js';
export {
  DEFAULT_REPLY_LINE_LENGTH,
  DEFAULT_REPLY_MAX_LINES,
  type ReplyEvent,
  ReplyReader,
  type ReplyReaderOptions,
} from './reply-reader.js';
export { formatSmtpString, parseQuotedString } from './smtp-string.js';
export {
  isWireError,
  WireError,
  type WireErrorCode,
  type WireErrorOptions,
} from './wire-error.js';
export { lineFaultReply, wireReplies } from './wire-replies.js';
export * from './xtext/index.js';
