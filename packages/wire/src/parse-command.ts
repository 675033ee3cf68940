import {
  type AddressLimits,
  type AddressLiteral,
  type AddressOptions,
  type Domain,
  isAddressError,
  parseDomain,
  parseMailbox,
  scanForwardPath,
  scanReversePath,
} from '@smtpkit/address';
import type { Reply } from '@smtpkit/reply';
import type { Command, EsmtpParameter } from './command.js';
import { parseEsmtpParameters } from './esmtp-parameters.js';
import { isDotStringText, parseSmtpString } from './smtp-string.js';
import { verbLookup } from './verb-lookup.js';
import { WireError } from './wire-error.js';
import { wireReplies } from './wire-replies.js';

/**
 * Options of {@link parseCommand}.
 *
 * @example
 * ```ts
 * parseCommand('MAIL FROM: <a@example.com>', { spaceAfterColon: 'accept' });
 * ```
 */
export interface CommandParseOptions {
  /**
   * RFC 6531: accept UTF-8 in paths, EHLO names and parameter values. A server that advertises
   * SMTPUTF8 sets it; checking that MAIL carried the SMTPUTF8 parameter is the extension's job.
   */
  readonly smtputf8?: boolean;
  /** Address size limits (RFC 5321 §4.5.3.1), passed to `@smtpkit/address`. */
  readonly addressLimits?: Partial<AddressLimits>;
  /**
   * `MAIL FROM: <a@b>`: RFC 5321 §4.1.1.2 has no space after the colon, so `reject` is the
   * default: a strict reading keeps what a server accepts predictable, and the RFC's grammar is
   * what clients are tested against. `accept` tolerates spaces there, as many servers do for old
   * clients that send them.
   */
  readonly spaceAfterColon?: 'reject' | 'accept';
  /**
   * `raw` leaves the extension verbs this package can parse (STARTTLS, BDAT, AUTH, ETRN) unparsed,
   * as `UNKNOWN` commands with their argument, for a caller whose extension registry parses
   * them (a server parses each command once). `parse` (the default) types them.
   */
  readonly extensionVerbs?: 'parse' | 'raw';
}

interface Context {
  /** The line as received, trailing white space included. */
  readonly raw: string;
  /** The line without trailing white space. */
  readonly line: string;
  readonly verb: string;
  /** Index just past the verb's SP, or the line length when there is no argument. */
  readonly argStart: number;
  readonly argument: string | undefined;
  readonly options: CommandParseOptions;
}

function fail(code: 'ERR_WIRE_COMMAND_SYNTAX', message: string, reply: Reply): never {
  throw new WireError(code, message, { reply });
}

/**
 * The address options of the last call's two settings: a server passes the same ones for every
 * command, so MAIL and RCPT make no options object each. Compared by value (the limits object by
 * identity), so a caller's new options object with other settings is never given stale ones.
 */
let lastSmtputf8: boolean | undefined;
let lastLimits: Partial<AddressLimits> | undefined;
let lastAddressOptions: AddressOptions = {};

function addressOptions(options: CommandParseOptions): AddressOptions {
  if (options.smtputf8 === lastSmtputf8 && options.addressLimits === lastLimits) {
    return lastAddressOptions;
  }
  lastAddressOptions = toAddressOptions(options);
  lastSmtputf8 = options.smtputf8;
  lastLimits = options.addressLimits;
  return lastAddressOptions;
}

function toAddressOptions(options: CommandParseOptions): AddressOptions {
  const out: { smtputf8?: boolean; limits?: Partial<AddressLimits> } = {};
  if (options.smtputf8 !== undefined) out.smtputf8 = options.smtputf8;
  if (options.addressLimits !== undefined) out.limits = options.addressLimits;
  return out;
}

function rethrowAddress(error: unknown): never {
  // Only bad text has a reply; an address misuse error is a bug here, not the peer's fault.
  if (isAddressError(error) && error.reply !== undefined) {
    throw new WireError('ERR_WIRE_ADDRESS', error.message, { reply: error.reply, cause: error });
  }
  throw error;
}

/** RFC 5321 §4.1.1: the command verb is letters; `X-` verbs and extension verbs add digits and "-". */
function isVerb(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok =
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      (i > 0 && ((c >= 48 && c <= 57) || c === 45));
    if (!ok) return false;
  }
  return true;
}

function requireNoArgument(ctx: Context): void {
  if (ctx.argument !== undefined) {
    fail(
      'ERR_WIRE_COMMAND_SYNTAX',
      `${ctx.verb} takes no argument`,
      wireReplies.R501_5_5_4_NoArgumentAllowed,
    );
  }
}

function requireArgument(ctx: Context): string {
  if (ctx.argument === undefined) {
    fail(
      'ERR_WIRE_COMMAND_SYNTAX',
      `${ctx.verb} needs an argument`,
      wireReplies.R501_5_5_4_ArgumentRequired,
    );
  }
  return ctx.argument;
}

/**
 * RFC 5321 §4.1.1.1: `ehlo = "EHLO" SP ( Domain / address-literal ) CRLF` and
 * `helo = "HELO" SP Domain CRLF`. HELO is given the EHLO grammar too: clients without a name send
 * an address literal there, and refusing it helps nobody.
 */
function helloArgument(ctx: Context): Domain | AddressLiteral {
  const text = ctx.argument;
  const syntax = HELLO_SYNTAX[ctx.verb] ?? wireReplies.R501_5_5_4_EhloSyntax;
  if (text === undefined || text.includes(' ')) {
    return fail('ERR_WIRE_COMMAND_SYNTAX', `${ctx.verb} needs one domain`, syntax);
  }
  try {
    if (text.startsWith('[')) {
      // address-literal: parsed by the address package as the domain part of a mailbox.
      return parseMailbox(`postmaster@${text}`, addressOptions(ctx.options)).domain;
    }
    return parseDomain(text, addressOptions(ctx.options));
  } catch (error) {
    if (isAddressError(error) && !error.misuse) {
      return fail('ERR_WIRE_COMMAND_SYNTAX', error.message, syntax);
    }
    throw error;
  }
}

/**
 * Finds `prefix` (`FROM:` / `TO:`, case-insensitive) at the argument start and returns the index
 * of the path that follows, skipping spaces only when `spaceAfterColon` is `accept`.
 */
function pathStart(ctx: Context, prefix: string, reply: Reply): number {
  const { line, argStart } = ctx;
  if (
    ctx.argument === undefined ||
    line.slice(argStart, argStart + prefix.length).toUpperCase() !== prefix
  ) {
    return fail('ERR_WIRE_COMMAND_SYNTAX', `${ctx.verb} needs ${prefix}<path>`, reply);
  }
  let at = argStart + prefix.length;
  if (line.charCodeAt(at) === 32) {
    if (ctx.options.spaceAfterColon !== 'accept') {
      return fail('ERR_WIRE_COMMAND_SYNTAX', `no space allowed after ${prefix}`, reply);
    }
    while (line.charCodeAt(at) === 32) at++;
  }
  return at;
}

/** Parameters after a path: `[SP Mail-parameters]` (RFC 5321 §4.1.1.2, §4.1.1.3). */
function trailingParameters(ctx: Context, end: number, reply: Reply): readonly EsmtpParameter[] {
  const { line } = ctx;
  if (end === line.length) return [];
  if (line.charCodeAt(end) !== 32 || end + 1 === line.length) {
    return fail('ERR_WIRE_COMMAND_SYNTAX', 'unexpected text after the path', reply);
  }
  return parseEsmtpParameters(line.slice(end + 1), { smtputf8: ctx.options.smtputf8 === true });
}

type VerbParser = (ctx: Context) => Command;

const hello =
  (verb: 'HELO' | 'EHLO' | 'LHLO'): VerbParser =>
  (ctx) => ({ verb, domain: helloArgument(ctx), raw: ctx.raw });

const bare =
  (verb: 'DATA' | 'RSET' | 'QUIT' | 'STARTTLS'): VerbParser =>
  (ctx) => {
    requireNoArgument(ctx);
    return { verb, raw: ctx.raw };
  };

const optional =
  (verb: 'NOOP' | 'HELP'): VerbParser =>
  (ctx) => ({ verb, argument: ctx.argument, raw: ctx.raw });

/** RFC 6531 §3.7.4.1: the optional parameter after the String of VRFY and EXPN. */
const SMTPUTF8_PARAMETER = / SMTPUTF8$/i;

/**
 * RFC 5321 §4.1.1.6/7: `vrfy = "VRFY" SP String CRLF`, `expn = "EXPN" SP String CRLF`, and
 * §4.1.2: `String = Atom / Quoted-string`, `Atom = 1*atext`. A Quoted-string is decoded, an Atom
 * kept as sent. §3.5.1: "For the VRFY command, the string is a user name or a user name and
 * domain", and clients send them unquoted (curl: `VRFY user@example.com`), so a Dot-string
 * (`john.smith`) or a Mailbox is taken as sent too. Anything else (spaces, backslashes or quotes
 * outside a Quoted-string, `<a@b>`) is a 501 5.5.4. Under SMTPUTF8, RFC 6531 §3.3 allows UTF-8 in
 * them and §3.7.4.1 adds `[ SP "SMTPUTF8" ]` after the String.
 */
const verify =
  (verb: 'VRFY' | 'EXPN'): VerbParser =>
  (ctx) => {
    const smtputf8 = ctx.options.smtputf8 === true;
    let text = requireArgument(ctx);
    const parameter = smtputf8 && SMTPUTF8_PARAMETER.test(text);
    if (parameter) text = text.slice(0, -' SMTPUTF8'.length);
    const argument = verifyArgument(text, ctx.options);
    if (argument === undefined) {
      return fail(
        'ERR_WIRE_COMMAND_SYNTAX',
        `${verb} needs a String (Atom or Quoted-string) or a mailbox (RFC 5321 §4.1.1.6, §4.1.2)`,
        wireReplies.R501_5_5_4_SyntaxErrorInParameters,
      );
    }
    return parameter
      ? { verb, argument, smtputf8: true, raw: ctx.raw }
      : { verb, argument, raw: ctx.raw };
  };

/** The value of a VRFY / EXPN argument (see `verify`), or undefined when it is none of its forms. */
function verifyArgument(text: string, options: CommandParseOptions): string | undefined {
  const smtputf8 = options.smtputf8 === true;
  const string = parseSmtpString(text, { smtputf8 });
  if (string !== undefined) return string;
  if (isDotStringText(text, { smtputf8 })) return text;
  if (!text.includes('@')) return undefined;
  try {
    parseMailbox(text, addressOptions(options));
    return text;
  } catch (error) {
    if (isAddressError(error) && !error.misuse) return undefined;
    throw error;
  }
}

/** The verbs extensions own; left unparsed with `extensionVerbs: 'raw'`. */
const EXTENSION_VERBS: ReadonlySet<string> = new Set(['STARTTLS', 'BDAT', 'AUTH', 'ETRN']);

/** The syntax reply of each greeting, naming the command the client used. */
const HELLO_SYNTAX: Readonly<Record<string, Reply>> = {
  HELO: wireReplies.R501_5_5_4_HeloSyntax,
  EHLO: wireReplies.R501_5_5_4_EhloSyntax,
  LHLO: wireReplies.R501_5_5_4_LhloSyntax,
};

const verbs: Readonly<Record<string, VerbParser>> = {
  HELO: hello('HELO'),
  EHLO: hello('EHLO'),
  LHLO: hello('LHLO'),
  // RFC 5321 §4.1.1.2: mail = "MAIL FROM:" Reverse-path [SP Mail-parameters] CRLF
  MAIL: (ctx) => {
    const reply = wireReplies.R501_5_5_4_MailSyntax;
    const start = pathStart(ctx, 'FROM:', reply);
    let scanned: ReturnType<typeof scanReversePath>;
    try {
      scanned = scanReversePath(ctx.line, start, addressOptions(ctx.options));
    } catch (error) {
      rethrowAddress(error);
    }
    const params = trailingParameters(ctx, scanned.end, reply);
    return { verb: 'MAIL', reversePath: scanned.value, params, raw: ctx.raw };
  },
  // RFC 5321 §4.1.1.3: rcpt = "RCPT TO:" ( "<Postmaster@" Domain ">" / "<Postmaster>" /
  //                          Forward-path ) [SP Rcpt-parameters] CRLF
  RCPT: (ctx) => {
    const reply = wireReplies.R501_5_5_4_RcptSyntax;
    const start = pathStart(ctx, 'TO:', reply);
    let scanned: ReturnType<typeof scanForwardPath>;
    try {
      scanned = scanForwardPath(ctx.line, start, addressOptions(ctx.options));
    } catch (error) {
      rethrowAddress(error);
    }
    const params = trailingParameters(ctx, scanned.end, reply);
    return { verb: 'RCPT', forwardPath: scanned.value, params, raw: ctx.raw };
  },
  DATA: bare('DATA'),
  RSET: bare('RSET'),
  QUIT: bare('QUIT'),
  STARTTLS: bare('STARTTLS'),
  NOOP: optional('NOOP'),
  HELP: optional('HELP'),
  VRFY: verify('VRFY'),
  EXPN: verify('EXPN'),
  // RFC 3030 §2: bdat-cmd = "BDAT" SP chunk-size [ SP end-marker ] CRLF
  //              chunk-size = 1*DIGIT ; end-marker = "LAST"
  BDAT: (ctx) => {
    const reply = wireReplies.R501_5_5_4_BdatSyntax;
    const parts = (ctx.argument ?? '').split(' ');
    const [sizeText = '', marker, ...extra] = parts;
    if (!/^[0-9]{1,15}$/.test(sizeText) || extra.length > 0) {
      return fail('ERR_WIRE_COMMAND_SYNTAX', 'BDAT needs a chunk size', reply);
    }
    if (marker !== undefined && marker.toUpperCase() !== 'LAST') {
      return fail('ERR_WIRE_COMMAND_SYNTAX', 'BDAT end marker must be LAST', reply);
    }
    return { verb: 'BDAT', size: Number(sizeText), last: marker !== undefined, raw: ctx.raw };
  },
  // RFC 4954 §4: "AUTH" SP sasl-mech [SP initial-response]; sasl-mech per RFC 4422 §3.1
  // (upper-case letters, digits, "-" and "_"; SASL names compare case-insensitively).
  AUTH: (ctx) => {
    const reply = wireReplies.R501_5_5_4_AuthSyntax;
    const parts = (ctx.argument ?? '').split(' ');
    const [mechanism = '', initialResponse, ...extra] = parts;
    if (!/^[A-Za-z0-9_-]+$/.test(mechanism) || extra.length > 0 || initialResponse === '') {
      return fail('ERR_WIRE_COMMAND_SYNTAX', 'AUTH needs a mechanism name', reply);
    }
    return { verb: 'AUTH', mechanism: mechanism.toUpperCase(), initialResponse, raw: ctx.raw };
  },
  // RFC 1985 §5: "ETRN" SP [ "@" / "#" ] node-name; kept as sent for the ETRN extension.
  ETRN: (ctx) => ({ verb: 'ETRN', argument: requireArgument(ctx), raw: ctx.raw }),
};

/** The table's verb a verb as sent names, case-insensitively (see {@link verbLookup}). */
const tableVerb = verbLookup(Object.keys(verbs));

/** True for a character RFC 5321 never allows in a command line (controls and DEL). */
function isControl(c: number): boolean {
  return c < 32 || c === 127;
}

/**
 * Parses one command line (without its CRLF) into a typed {@link Command}.
 *
 * RFC 5321 §4.1.1: verbs are case-insensitive and separated from their argument by one SP;
 * trailing white space is tolerated ("SMTP receivers SHOULD tolerate trailing white space before
 * the terminating <CRLF>"). Control characters anywhere in the line are a syntax error. Verbs this
 * package does not know come back as `UNKNOWN`, for extensions.
 *
 * @throws {WireError} with the `reply` a server sends back: `500 5.5.2` (not a command line),
 *   `501 5.5.4` (bad argument or parameter), or the address error's reply
 *   (`501 5.1.7`, `501 5.1.3`, `553 5.6.7`).
 * @example
 * ```ts
 * const cmd = parseCommand('MAIL FROM:<jqp@example.com> SIZE=1000');
 * // { verb: 'MAIL', reversePath: { kind: 'mailbox', … }, params: [{ keyword: 'SIZE', value: '1000' }], raw }
 * ```
 */
export function parseCommand(line: string, options: CommandParseOptions = {}): Command {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  const text = end === line.length ? line : line.slice(0, end);
  const space = text.indexOf(' ');
  const verbText = space < 0 ? text : text.slice(0, space);
  if (!isVerb(verbText)) {
    fail('ERR_WIRE_COMMAND_SYNTAX', 'not a command line', wireReplies.R500_5_5_2_SyntaxError);
  }
  const known = tableVerb(verbText);
  const verb = known ?? verbText.toUpperCase();
  const parser = known === undefined ? undefined : verbs[known];
  for (let i = space + 1; i > 0 && i < text.length; i++) {
    if (isControl(text.charCodeAt(i))) {
      // RFC 5321 §4.2.2: 500 for a command not recognized, 501 for a known command whose
      // arguments are wrong (RFC 3463 X.5.4 "Invalid command arguments").
      fail(
        'ERR_WIRE_COMMAND_SYNTAX',
        'control character in command line',
        parser === undefined
          ? wireReplies.R500_5_5_2_SyntaxError
          : wireReplies.R501_5_5_4_SyntaxErrorInParameters,
      );
    }
  }
  const argStart = space < 0 ? text.length : space + 1;
  const ctx: Context = {
    raw: line,
    line: text,
    verb,
    argStart,
    argument: space < 0 ? undefined : text.slice(argStart),
    options,
  };
  if (parser === undefined || (options.extensionVerbs === 'raw' && EXTENSION_VERBS.has(verb))) {
    return { verb: 'UNKNOWN', name: verb, argument: ctx.argument, raw: line };
  }
  return parser(ctx);
}
