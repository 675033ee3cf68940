import type { AddressLiteral, Domain, ForwardPath, ReversePath } from '@smtpkit/address';

/**
 * One ESMTP parameter of a MAIL or RCPT command.
 *
 * RFC 5321 §4.1.2: `esmtp-param = esmtp-keyword ["=" esmtp-value]`. The keyword is kept as sent and
 * compared case-insensitively; the value stays raw (xtext and the like are not decoded here: the
 * extension that owns the parameter decodes it).
 *
 * @example
 * ```ts
 * const size: EsmtpParameter = { keyword: 'SIZE', value: '1000' };
 * const smtputf8: EsmtpParameter = { keyword: 'SMTPUTF8', value: undefined };
 * ```
 */
export interface EsmtpParameter {
  readonly keyword: string;
  readonly value: string | undefined;
}

/**
 * `HELO`, `EHLO` (RFC 5321 §4.1.1.1) and `LHLO` (RFC 2033 §4.1).
 *
 * @example
 * ```ts
 * const c = parseCommand('EHLO [192.0.2.1]'); // { verb: 'EHLO', domain: { kind: 'ipv4', … } }
 * ```
 */
export interface HelloCommand {
  readonly verb: 'HELO' | 'EHLO' | 'LHLO';
  readonly domain: Domain | AddressLiteral;
  readonly raw: string;
}

/**
 * `MAIL FROM:<reverse-path> [SP Mail-parameters]` (RFC 5321 §4.1.1.2).
 *
 * @example
 * ```ts
 * const c = parseCommand('MAIL FROM:<> BODY=8BITMIME'); // reversePath { kind: 'null' }
 * ```
 */
export interface MailCommand {
  readonly verb: 'MAIL';
  readonly reversePath: ReversePath;
  readonly params: readonly EsmtpParameter[];
  readonly raw: string;
}

/**
 * `RCPT TO:<forward-path> [SP Rcpt-parameters]` (RFC 5321 §4.1.1.3).
 *
 * @example
 * ```ts
 * const c = parseCommand('RCPT TO:<Postmaster>'); // forwardPath { kind: 'postmaster' }
 * ```
 */
export interface RcptCommand {
  readonly verb: 'RCPT';
  readonly forwardPath: ForwardPath;
  readonly params: readonly EsmtpParameter[];
  readonly raw: string;
}

/**
 * Verbs without an argument: DATA, RSET, QUIT (RFC 5321 §4.1.1) and STARTTLS (RFC 3207 §4).
 *
 * @example
 * ```ts
 * parseCommand('STARTTLS'); // { verb: 'STARTTLS', raw: 'STARTTLS' }
 * ```
 */
export interface BareCommand {
  readonly verb: 'DATA' | 'RSET' | 'QUIT' | 'STARTTLS';
  readonly raw: string;
}

/**
 * `NOOP [SP String]` and `HELP [SP String]` (RFC 5321 §4.1.1.8, §4.1.1.9).
 *
 * @example
 * ```ts
 * parseCommand('HELP MAIL'); // { verb: 'HELP', argument: 'MAIL', … }
 * ```
 */
export interface OptionalArgumentCommand {
  readonly verb: 'NOOP' | 'HELP';
  readonly argument: string | undefined;
  readonly raw: string;
}

/**
 * `VRFY SP String` and `EXPN SP String` (RFC 5321 §4.1.1.6, §4.1.1.7); the String is decoded. A
 * user name and domain (§3.5.1: a Dot-string or a Mailbox) comes as sent.
 *
 * @example
 * ```ts
 * parseCommand('VRFY "John Smith"'); // { verb: 'VRFY', argument: 'John Smith', … }
 * ```
 */
export interface VerifyCommand {
  readonly verb: 'VRFY' | 'EXPN';
  readonly argument: string;
  /**
   * RFC 6531 §3.7.4.1: the client sent `SP "SMTPUTF8"` after the argument (read only under
   * SMTPUTF8), so the reply may carry UTF-8 addresses.
   */
  readonly smtputf8?: boolean;
  readonly raw: string;
}

/**
 * `BDAT SP chunk-size [SP end-marker]` (RFC 3030 §2).
 *
 * @example
 * ```ts
 * parseCommand('BDAT 86 LAST'); // { verb: 'BDAT', size: 86, last: true, … }
 * ```
 */
export interface BdatCommand {
  readonly verb: 'BDAT';
  readonly size: number;
  readonly last: boolean;
  readonly raw: string;
}

/**
 * `AUTH SP mechanism [SP initial-response]` (RFC 4954 §4); `=` (empty response) is kept as `'='`.
 *
 * @example
 * ```ts
 * parseCommand('AUTH plain ='); // { verb: 'AUTH', mechanism: 'PLAIN', initialResponse: '=', … }
 * ```
 */
export interface AuthCommand {
  readonly verb: 'AUTH';
  readonly mechanism: string;
  readonly initialResponse: string | undefined;
  readonly raw: string;
}

/**
 * `ETRN SP [ "@" / "#" ] node-name` (RFC 1985 §5); the argument is kept as sent.
 *
 * @example
 * ```ts
 * parseCommand('ETRN @example.com'); // { verb: 'ETRN', argument: '@example.com', … }
 * ```
 */
export interface EtrnCommand {
  readonly verb: 'ETRN';
  readonly argument: string;
  readonly raw: string;
}

/**
 * A verb this package does not know, passed on for extensions. `name` is upper-cased.
 *
 * @example
 * ```ts
 * parseCommand('xclient ADDR=192.0.2.1'); // { verb: 'UNKNOWN', name: 'XCLIENT', argument: 'ADDR=192.0.2.1', … }
 * ```
 */
export interface UnknownCommand {
  readonly verb: 'UNKNOWN';
  readonly name: string;
  readonly argument: string | undefined;
  readonly raw: string;
}

/**
 * A parsed SMTP command line. `raw` is the line as received, without its CRLF.
 *
 * @example
 * ```ts
 * import { parseCommand } from '@smtpkit/wire';
 * const command: Command = parseCommand('RCPT TO:<jones@example.com> NOTIFY=NEVER');
 * if (command.verb === 'RCPT') console.log(command.params[0]?.keyword); // 'NOTIFY'
 * ```
 */
export type Command =
  | HelloCommand
  | MailCommand
  | RcptCommand
  | BareCommand
  | OptionalArgumentCommand
  | VerifyCommand
  | BdatCommand
  | AuthCommand
  | EtrnCommand
  | UnknownCommand;

/**
 * The `verb` of every command this package parses (`UNKNOWN` stands for the rest).
 *
 * @example
 * ```ts
 * const verbs: CommandVerb[] = ['MAIL', 'RCPT', 'UNKNOWN'];
 * ```
 */
export type CommandVerb = Command['verb'];
