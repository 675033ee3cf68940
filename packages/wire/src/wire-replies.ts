import {
  C500SyntaxError,
  C501ParamSyntaxError,
  createReply,
  type Reply,
  replies,
} from '@smtpkit/reply';
import type { LineFault } from './line-reader.js';

/**
 * The replies this package attaches to peer errors, so a server can answer them as they are.
 * Each one is named by code, enhanced code (RFC 3463) and meaning.
 *
 * @example
 * ```ts
 * import { wireReplies } from '@smtpkit/wire';
 * wireReplies.R500_5_5_2_BareLf.code; // 500
 * ```
 */
export const wireReplies: {
  readonly R500_5_5_2_LineTooLong: Reply;
  readonly R500_5_5_2_SyntaxError: Reply;
  readonly R500_5_5_2_BareLf: Reply;
  readonly R500_5_5_2_BareCr: Reply;
  readonly R500_5_5_2_InvalidUtf8: Reply;
  readonly R501_5_5_4_SyntaxErrorInParameters: Reply;
  readonly R501_5_5_4_DuplicateParameter: Reply;
  readonly R501_5_5_4_EhloSyntax: Reply;
  readonly R501_5_5_4_HeloSyntax: Reply;
  readonly R501_5_5_4_LhloSyntax: Reply;
  readonly R501_5_5_4_MailSyntax: Reply;
  readonly R501_5_5_4_RcptSyntax: Reply;
  readonly R501_5_5_4_NoArgumentAllowed: Reply;
  readonly R501_5_5_4_ArgumentRequired: Reply;
  readonly R501_5_5_4_BdatSyntax: Reply;
  readonly R501_5_5_4_AuthSyntax: Reply;
} = Object.freeze({
  R500_5_5_2_LineTooLong: replies.R500_5_5_2_LineTooLong,
  R500_5_5_2_SyntaxError: replies.R500_5_5_2_SyntaxError,
  // RFC 5321 §2.3.8: CR and LF only ever appear together, as the line end.
  R500_5_5_2_BareLf: createReply(C500SyntaxError, '5.5.2', 'Bare LF received; lines end with CRLF'),
  R500_5_5_2_BareCr: createReply(C500SyntaxError, '5.5.2', 'Bare CR received; lines end with CRLF'),
  R500_5_5_2_InvalidUtf8: createReply(C500SyntaxError, '5.5.2', 'Command line is not valid UTF-8'),
  R501_5_5_4_SyntaxErrorInParameters: replies.R501_5_5_4_SyntaxErrorInParameters,
  R501_5_5_4_DuplicateParameter: createReply(C501ParamSyntaxError, '5.5.4', 'Duplicate parameter'),
  R501_5_5_4_EhloSyntax: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Syntax: EHLO domain-or-address-literal',
  ),
  R501_5_5_4_HeloSyntax: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Syntax: HELO domain-or-address-literal',
  ),
  R501_5_5_4_LhloSyntax: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Syntax: LHLO domain-or-address-literal',
  ),
  R501_5_5_4_MailSyntax: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Syntax: MAIL FROM:<address> [parameters]',
  ),
  R501_5_5_4_RcptSyntax: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Syntax: RCPT TO:<address> [parameters]',
  ),
  R501_5_5_4_NoArgumentAllowed: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'This command takes no argument',
  ),
  R501_5_5_4_ArgumentRequired: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'This command needs an argument',
  ),
  R501_5_5_4_BdatSyntax: createReply(C501ParamSyntaxError, '5.5.4', 'Syntax: BDAT size [LAST]'),
  R501_5_5_4_AuthSyntax: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Syntax: AUTH mechanism [initial-response]',
  ),
});

/**
 * The reply to a command line the line reader refused (RFC 5321 §4.2.2 500: "Syntax error,
 * command unrecognized ... [including] command line too long"; RFC 3463 X.5.2).
 *
 * @example
 * ```ts
 * lineFaultReply('bare-lf'); // wireReplies.R500_5_5_2_BareLf
 * ```
 */
export function lineFaultReply(fault: LineFault): Reply {
  switch (fault) {
    case 'too-long':
      return wireReplies.R500_5_5_2_LineTooLong;
    case 'bare-lf':
      return wireReplies.R500_5_5_2_BareLf;
    case 'bare-cr':
      return wireReplies.R500_5_5_2_BareCr;
  }
}
