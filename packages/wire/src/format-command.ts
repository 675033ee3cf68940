import {
  type ForwardPath,
  formatPath,
  isAddressError,
  parseMailbox,
  type ReversePath,
} from '@smtpkit/address';
import type { Command, EsmtpParameter } from './command.js';
import { isEsmtpKeyword, isEsmtpValue } from './esmtp-parameters.js';
import { formatSmtpString, isDotStringText } from './smtp-string.js';
import { hasControl, hasLineBreakOrNul } from './text-checks.js';
import { WireError } from './wire-error.js';

type WithoutRaw<T> = T extends unknown ? Omit<T, 'raw'> : never;

/**
 * A command to send: a {@link Command} without `raw` (a parsed command is accepted too).
 *
 * @example
 * ```ts
 * const c: CommandInput = { verb: 'RCPT', forwardPath: { kind: 'postmaster' }, params: [] };
 * ```
 */
export type CommandInput = WithoutRaw<Command>;

/**
 * Options of {@link formatCommand}.
 *
 * @example
 * ```ts
 * formatCommandText(command, { form: 'unicode' }); // U-labels and UTF-8 local parts
 * ```
 */
export interface FormatCommandOptions {
  /** Write paths and EHLO names with U-labels and UTF-8 (SMTPUTF8 in use); ASCII by default. */
  readonly form?: 'ascii' | 'unicode';
}

const encoder = new TextEncoder();

const KNOWN_VERBS = new Set([
  'HELO',
  'EHLO',
  'LHLO',
  'MAIL',
  'RCPT',
  'DATA',
  'RSET',
  'QUIT',
  'STARTTLS',
  'NOOP',
  'HELP',
  'VRFY',
  'EXPN',
  'BDAT',
  'AUTH',
  'ETRN',
]);

/**
 * A VRFY / EXPN argument as servers read it (RFC 5321 §3.5.1, §4.1.2): a user name (Dot-string)
 * or a mailbox as is, anything else as a String (an Atom, else a Quoted-string).
 */
function verifyArgumentText(value: string): string {
  if (isDotStringText(value, { smtputf8: true })) return value;
  if (value.includes('@')) {
    try {
      parseMailbox(value, { smtputf8: true });
      return value;
    } catch (error) {
      if (!isAddressError(error) || error.misuse) throw error;
    }
  }
  return formatSmtpString(value);
}

/**
 * Refuses CR, LF and NUL: one of them in an envelope field would end the command early and let the
 * rest of the field be read as a command of its own (command injection, RFC 5321 §2.3.8).
 */
function guard(what: string, value: string): string {
  if (hasLineBreakOrNul(value)) {
    throw new WireError('ERR_WIRE_MISUSE_INJECTION', `CR, LF or NUL in ${what}`);
  }
  return value;
}

/**
 * Writes a path, refusing CR, LF and NUL in any of its fields before the address package sees
 * them, and turning its usage errors into ours.
 */
function path(what: string, value: ReversePath | ForwardPath, form: 'ascii' | 'unicode'): string {
  if (value.kind === 'mailbox') {
    const { localPart, domain } = value.mailbox;
    guard(what, localPart);
    if (domain.kind === 'domain') {
      guard(what, domain.ascii);
      guard(what, domain.unicode);
    } else guard(what, domain.text);
  }
  let text: string;
  try {
    text = formatPath(value, form);
  } catch (cause) {
    throw new WireError('ERR_WIRE_MISUSE_INVALID_ARGUMENT', `cannot write the ${what}`, { cause });
  }
  return guard(what, text);
}

function invalid(message: string): never {
  throw new WireError('ERR_WIRE_MISUSE_INVALID_ARGUMENT', message);
}

/** A free-text argument: no controls, no leading or trailing white space (it would not survive). */
function token(what: string, value: string, spaces: boolean): string {
  guard(what, value);
  if (value.length === 0) invalid(`${what} is empty`);
  if (hasControl(value)) invalid(`control character in ${what}`);
  if (!spaces && value.includes(' ')) invalid(`space in ${what}`);
  if (value.startsWith(' ') || value.endsWith(' ')) invalid(`${what} starts or ends with a space`);
  return value;
}

function params(list: readonly EsmtpParameter[], smtputf8: boolean): string {
  let out = '';
  const seen = new Set<string>();
  for (const { keyword, value } of list) {
    guard('a parameter keyword', keyword);
    if (!isEsmtpKeyword(keyword)) invalid(`invalid esmtp-keyword ${JSON.stringify(keyword)}`);
    const folded = keyword.toUpperCase();
    if (seen.has(folded)) invalid(`parameter ${keyword} given twice`);
    seen.add(folded);
    if (value === undefined) out += ` ${keyword}`;
    else {
      guard(`the value of ${keyword}`, value);
      if (!isEsmtpValue(value, { smtputf8 })) invalid(`invalid esmtp-value for ${keyword}`);
      out += ` ${keyword}=${value}`;
    }
  }
  return out;
}

/**
 * Formats a command line as text, CRLF included, refusing anything that could not be parsed back
 * to the same command. Round trip: `parseCommand(formatCommandText(c))` gives `c` back.
 *
 * @throws {WireError} `ERR_WIRE_MISUSE_INJECTION` for CR, LF or NUL in any argument, address,
 *   parameter, EHLO name or AUTH data; `ERR_WIRE_MISUSE_INVALID_ARGUMENT` for other values the
 *   grammar does not allow.
 * @example
 * ```ts
 * formatCommandText({ verb: 'BDAT', size: 1024, last: true }); // 'BDAT 1024 LAST\r\n'
 * ```
 */
export function formatCommandText(
  command: CommandInput,
  options: FormatCommandOptions = {},
): string {
  const form = options.form ?? 'ascii';
  const utf8 = form === 'unicode';
  switch (command.verb) {
    case 'HELO':
    case 'EHLO':
    case 'LHLO': {
      const d = command.domain;
      const name = d.kind === 'domain' ? (utf8 ? d.unicode : d.ascii) : d.text;
      return `${command.verb} ${token('the EHLO name', name, false)}\r\n`;
    }
    case 'MAIL':
      return `MAIL FROM:${path('reverse-path', command.reversePath, form)}${params(command.params, utf8)}\r\n`;
    case 'RCPT':
      return `RCPT TO:${path('forward-path', command.forwardPath, form)}${params(command.params, utf8)}\r\n`;
    case 'DATA':
    case 'RSET':
    case 'QUIT':
    case 'STARTTLS':
      return `${command.verb}\r\n`;
    case 'NOOP':
    case 'HELP':
      return command.argument === undefined
        ? `${command.verb}\r\n`
        : `${command.verb} ${token('the argument', command.argument, true)}\r\n`;
    case 'VRFY':
    case 'EXPN': {
      guard('the argument', command.argument);
      if (hasControl(command.argument)) invalid('control character in the argument');
      const parameter = command.smtputf8 === true ? ' SMTPUTF8' : '';
      return `${command.verb} ${verifyArgumentText(command.argument)}${parameter}\r\n`;
    }
    case 'BDAT':
      if (
        !Number.isSafeInteger(command.size) ||
        command.size < 0 ||
        command.size > 999_999_999_999_999
      ) {
        invalid(`BDAT size ${command.size} is not a non-negative integer of at most 15 digits`);
      }
      return `BDAT ${command.size}${command.last ? ' LAST' : ''}\r\n`;
    case 'AUTH': {
      guard('the AUTH mechanism', command.mechanism);
      if (!/^[A-Za-z0-9_-]+$/.test(command.mechanism)) invalid('invalid SASL mechanism name');
      const response =
        command.initialResponse === undefined
          ? ''
          : ` ${token('the AUTH initial response', command.initialResponse, false)}`;
      return `AUTH ${command.mechanism.toUpperCase()}${response}\r\n`;
    }
    case 'ETRN':
      return `ETRN ${token('the ETRN argument', command.argument, true)}\r\n`;
    case 'UNKNOWN': {
      guard('the verb', command.name);
      if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(command.name)) invalid('invalid verb');
      if (KNOWN_VERBS.has(command.name.toUpperCase()))
        invalid(`${command.name} is not an unknown verb`);
      return command.argument === undefined
        ? `${command.name.toUpperCase()}\r\n`
        : `${command.name.toUpperCase()} ${token('the argument', command.argument, true)}\r\n`;
    }
  }
}

/**
 * Formats a command line as the bytes to send (UTF-8, CRLF included). See
 * {@link formatCommandText}.
 *
 * @example
 * ```ts
 * socket.write(formatCommand({ verb: 'MAIL', reversePath: { kind: 'null' }, params: [] })); // MAIL FROM:<>
 * ```
 */
export function formatCommand(
  command: CommandInput,
  options: FormatCommandOptions = {},
): Uint8Array {
  return encoder.encode(formatCommandText(command, options));
}
