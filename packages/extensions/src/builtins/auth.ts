import { decodeXtext, encodeXtext, isWireError } from '@smtpkit/wire';
import { defineExtension, param, verb } from '../define-extension.js';
import { extensionReplies } from '../extension-replies.js';
import { accept, reject } from '../outcome.js';
import type { SessionContext } from '../session-context.js';

/** The `AUTH=` MAIL parameter (RFC 4954 §5): the submitter's mailbox, or `<>` for unknown. */
export type AuthSubmitter =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'mailbox'; readonly mailbox: string };

/** The parsed AUTH command. */
export interface AuthArguments {
  /** Upper-cased SASL mechanism name. */
  readonly mechanism: string;
  /** Base64 initial response, `'='` for an empty one, `undefined` for none. */
  readonly initialResponse: string | undefined;
}

/** Options of {@link auth}. */
export interface AuthOptions {
  /** SASL mechanisms the server implements, or a policy giving them per session. */
  readonly mechanisms: readonly string[] | ((ctx: SessionContext) => readonly string[]);
  /** Offer the mechanisms without TLS too. Off by default: AUTH only after TLS. */
  readonly allowWithoutTls?: boolean;
}

// RFC 4422 §3.1: sasl-mech = 1*20mech-char; mech-char = UPPER-ALPHA / DIGIT / HYPHEN / UNDERSCORE
// (matched case-insensitively here, as RFC 4954 §4 commands are).
function isSaslMech(text: string): boolean {
  return /^[A-Za-z0-9_-]{1,20}$/.test(text);
}

// RFC 4954 §4: initial-response = base64 / "="
function isInitialResponse(text: string): boolean {
  if (text === '=') return true;
  return text.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(text);
}

/**
 * Reads `mechanism [SP initial-response]` (RFC 4954 §4).
 *
 * @example
 * ```ts
 * import { parseAuthArguments } from '@smtpkit/extensions';
 * parseAuthArguments('plain AGFsaWNlAHNlY3JldA=='); // { mechanism: 'PLAIN', initialResponse: 'AGFsaWNlAHNlY3JldA==' }
 * ```
 */
export function parseAuthArguments(
  argument: string | undefined,
): AuthArguments | 'syntax' | 'base64' {
  if (argument === undefined) return 'syntax';
  const space = argument.indexOf(' ');
  const mechanism = space === -1 ? argument : argument.slice(0, space);
  if (!isSaslMech(mechanism)) return 'syntax';
  if (space === -1) return { mechanism: mechanism.toUpperCase(), initialResponse: undefined };
  const response = argument.slice(space + 1);
  if (!isInitialResponse(response)) return 'base64';
  return { mechanism: mechanism.toUpperCase(), initialResponse: response };
}

function xtextValue(value: string): string | undefined {
  try {
    return decodeXtext(value);
  } catch (e) {
    if (isWireError(e)) return undefined;
    throw e;
  }
}

/**
 * AUTH, RFC 4954: the keyword with the mechanisms offered in this session (none, so no keyword,
 * without TLS unless `allowWithoutTls`), the AUTH verb (outside a transaction, once per session;
 * the SASL exchange itself lives in the server: the verb answers `{ kind: 'auth' }`), and the
 * `AUTH=` MAIL parameter (§5: `"AUTH=" xtext`, a mailbox or `<>`).
 *
 * @example
 * ```ts
 * import { auth, createRegistry } from '@smtpkit/extensions';
 * createRegistry([auth({ mechanisms: ['PLAIN', 'LOGIN'] })]);
 * ```
 */
export function auth(options: AuthOptions) {
  const all = (ctx: SessionContext): readonly string[] =>
    (typeof options.mechanisms === 'function' ? options.mechanisms(ctx) : options.mechanisms).map(
      (m) => m.toUpperCase(),
    );
  const offered = (ctx: SessionContext): readonly string[] =>
    ctx.tls || options.allowWithoutTls === true ? all(ctx) : [];
  return defineExtension({
    name: 'AUTH',
    keyword: 'AUTH',
    advertise: (ctx) => {
      const list = offered(ctx);
      return list.length === 0 ? false : list;
    },
    verbs: {
      AUTH: verb({
        states: ['greeted'],
        pipelining: 'last',
        outOfSequence: extensionReplies.R503_5_5_1_AuthDuringTransaction,
        // Not in effect: before EHLO/LHLO (or after HELO) AUTH is out of sequence, as the
        // keyword that offers it comes with the EHLO reply (RFC 4954 §3); RFC 4954 §6 538 5.7.11
        // only when encryption is what is missing; 502 when no mechanism is offered at all.
        inactive: (ctx) =>
          ctx.greeting !== 'ehlo' && ctx.greeting !== 'lhlo'
            ? extensionReplies.R503_5_5_1_BadSequence
            : all(ctx).length > 0 && !ctx.tls && options.allowWithoutTls !== true
              ? extensionReplies.R538_5_7_11_EncryptionRequiredForAuthMechanism
              : extensionReplies.R502_5_5_1_CommandNotImplemented,
        parse(argument) {
          const parsed = parseAuthArguments(argument);
          if (parsed === 'syntax')
            return reject(extensionReplies.R501_5_5_4_SyntaxErrorInParameters);
          if (parsed === 'base64') return reject(extensionReplies.R501_5_5_2_CannotDecodeBase64);
          return accept(parsed);
        },
        handle(ctx, a: AuthArguments) {
          // RFC 4954 §4: "After a successful AUTH command completes, a server MUST reject any
          // further AUTH commands with a 503 reply."
          if (ctx.authenticated) {
            return { kind: 'reply', reply: extensionReplies.R503_5_5_1_AlreadyAuthenticated };
          }
          if (!offered(ctx).includes(a.mechanism)) {
            return { kind: 'reply', reply: extensionReplies.R504_5_5_4_UnrecognizedAuthType };
          }
          return { kind: 'auth', mechanism: a.mechanism, initialResponse: a.initialResponse };
        },
      }),
    },
    mailParams: {
      AUTH: param({
        value: 'required',
        // RFC 4954 §5 raises the MAIL line limit by 500 octets for this parameter.
        lineExtra: 500,
        parse(value) {
          if (value === '<>') return accept<AuthSubmitter>({ kind: 'unknown' });
          const mailbox = value === undefined ? undefined : xtextValue(value);
          if (mailbox === undefined || mailbox.length === 0) {
            return reject(extensionReplies.R501_5_5_4_InvalidParameterValue);
          }
          return accept<AuthSubmitter>({ kind: 'mailbox', mailbox });
        },
        format: (s: AuthSubmitter) => (s.kind === 'unknown' ? '<>' : encodeXtext(s.mailbox)),
      }),
    },
    replies: {
      R503_5_5_1_AlreadyAuthenticated: extensionReplies.R503_5_5_1_AlreadyAuthenticated,
      R504_5_5_4_UnrecognizedAuthType: extensionReplies.R504_5_5_4_UnrecognizedAuthType,
      R538_5_7_11_EncryptionRequiredForAuthMechanism:
        extensionReplies.R538_5_7_11_EncryptionRequiredForAuthMechanism,
    },
  });
}
