import { AddressError, type AddressRole } from './address-error.js';
import type { AddressOptions } from './address-limits.js';
import { type AddressLiteral, scanAddressLiteral } from './address-literal.js';
import { isAscii, utf8Length } from './char-classes.js';
import { type Domain, scanDomain } from './domain.js';
import { formatLocalPart, type LocalPartForm, scanLocalPartAt } from './local-part.js';
import { contextFor, fail, type ScanContext, withinLimit } from './scan-context.js';

/**
 * An RFC 5321 Mailbox. `localPart` is decoded (quotes and quoted-pair backslashes removed); compare
 * it as the receiving application defines (RFC 5321 §2.4: it MAY be case-sensitive).
 *
 * @example
 * ```ts
 * import { parseMailbox } from '@smtpkit/address';
 * const m = parseMailbox('"John Doe"@Example.COM');
 * m.localPart; // 'John Doe'
 * m.domain; // { kind: 'domain', ascii: 'example.com', unicode: 'example.com' }
 * ```
 */
export interface Mailbox {
  readonly localPart: string;
  readonly domain: Domain | AddressLiteral;
}

/**
 * Form to write a domain in: A-labels (always safe) or U-labels (SMTPUTF8 sessions only).
 *
 * @example
 * ```ts
 * import { type DomainForm, formatMailbox, parseMailbox } from '@smtpkit/address';
 * const form: DomainForm = 'unicode';
 * formatMailbox(parseMailbox('a@xn--bcher-kva.example'), form); // 'a@bücher.example'
 * ```
 */
export type DomainForm = 'ascii' | 'unicode';

const AT = 0x40;
const LBRACKET = 0x5b;

/**
 * A scanned mailbox with how its local part was written and where it ended.
 *
 * @example
 * ```ts
 * import { scanMailbox } from '@smtpkit/address';
 * scanMailbox('"a"@b.c>').localPartForm; // 'quoted-string'
 * ```
 */
export interface MailboxScan {
  readonly value: Mailbox;
  readonly end: number;
  readonly localPartForm: LocalPartForm;
}

/**
 * RFC 5321 §4.1.2:
 *   Mailbox = Local-part "@" ( Domain / address-literal )
 */
export function scanMailboxAt(input: string, start: number, ctx: ScanContext): MailboxScan {
  const local = scanLocalPartAt(input, start, ctx);
  let i = local.end;
  if (input.charCodeAt(i) !== AT) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'expected "@"', i);
  i++;
  const host =
    input.charCodeAt(i) === LBRACKET
      ? scanAddressLiteral(input, i, ctx)
      : scanDomain(input, i, ctx);
  return {
    value: { localPart: local.value, domain: host.value },
    end: host.end,
    localPartForm: local.form,
  };
}

/**
 * Options of {@link parseMailbox}: which command the mailbox came from picks the reply.
 *
 * @example
 * ```ts
 * import { parseMailbox } from '@smtpkit/address';
 * parseMailbox('ü@example.com', { smtputf8: true, role: 'sender', limits: { localPart: 128 } });
 * ```
 */
export interface MailboxOptions extends AddressOptions {
  /** `'sender'` gives 501 5.1.7, `'recipient'` (default) gives 501 5.1.3. */
  readonly role?: AddressRole;
}

/**
 * Scans a bare Mailbox (`local@domain`, no angle brackets) at `start`; returns it, the index just
 * past it, and the form its local part was written in. Throws {@link AddressError}.
 *
 * @example
 * ```ts
 * import { scanMailbox } from '@smtpkit/address';
 * scanMailbox('x "a b"@example.org y', 2).end; // 19
 * ```
 */
export function scanMailbox(input: string, start = 0, options?: MailboxOptions): MailboxScan {
  checkStart(input, start);
  const ctx = contextFor(options, options?.role ?? 'recipient');
  return withinLimit(input, start, ctx.limits.path - 2, ctx, (view) =>
    scanMailboxAt(view, start, ctx),
  );
}

/**
 * Parses a whole string as an RFC 5321 Mailbox (RFC 6531 with `smtputf8`), enforcing the local-part,
 * domain and label limits and the path limit (the mailbox plus its two angle brackets).
 * Throws {@link AddressError}.
 *
 * @example
 * ```ts
 * import { parseMailbox } from '@smtpkit/address';
 * parseMailbox('user@[192.0.2.1]').domain; // { kind: 'ipv4', address: '192.0.2.1', text: '[192.0.2.1]' }
 * parseMailbox('我買@屋企.香港', { smtputf8: true }).domain;
 * // { kind: 'domain', ascii: 'xn--hoqu73a.xn--j6w193g', unicode: '屋企.香港' }
 * ```
 */
export function parseMailbox(input: string, options?: MailboxOptions): Mailbox {
  if (typeof input !== 'string')
    throw new AddressError('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT', 'input must be a string');
  const ctx = contextFor(options, options?.role ?? 'recipient');
  // A Mailbox travels in a Path: its octets plus "<" and ">" must fit the path limit. UTF-8 has
  // at least as many octets as UTF-16 code units, so this refusal is exact and costs nothing.
  if (input.length + 2 > ctx.limits.path) {
    fail(ctx, 'ERR_ADDRESS_PATH_TOO_LONG', 'mailbox too long for a path', 0);
  }
  const { value, end } = scanMailboxAt(input, 0, ctx);
  if (end !== input.length)
    fail(ctx, 'ERR_ADDRESS_SYNTAX', 'unexpected character after mailbox', end);
  if (utf8Length(input) + 2 > ctx.limits.path) {
    fail(ctx, 'ERR_ADDRESS_PATH_TOO_LONG', 'mailbox too long for a path', 0);
  }
  return value;
}

/**
 * Writes a mailbox in canonical form: the local part as a Dot-string when possible, else a
 * minimally escaped Quoted-string (RFC 5321 §4.1.2); the domain in the requested form (default
 * `'ascii'`, A-labels); address literals as written. Throws {@link AddressError} with an
 * `ERR_ADDRESS_MISUSE_*` code for a value that no RFC 5321 text can represent.
 *
 * @example
 * ```ts
 * import { formatMailbox, parseMailbox } from '@smtpkit/address';
 * const m = parseMailbox('"john"@BÜCHER.example', { smtputf8: true });
 * formatMailbox(m); // 'john@xn--bcher-kva.example'
 * formatMailbox(m, 'unicode'); // 'john@bücher.example'
 * ```
 */
export function formatMailbox(m: Mailbox, form: DomainForm = 'ascii'): string {
  if (m === null || typeof m !== 'object')
    throw new AddressError('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT', 'mailbox must be an object');
  return `${formatLocalPart(m.localPart)}@${formatHost(m.domain, form)}`;
}

function formatHost(host: Domain | AddressLiteral, form: DomainForm): string {
  if (host === null || typeof host !== 'object') {
    throw new AddressError(
      'ERR_ADDRESS_MISUSE_INVALID_ARGUMENT',
      'mailbox domain must be a Domain or an AddressLiteral',
    );
  }
  switch (host.kind) {
    case 'domain':
      return form === 'unicode' ? host.unicode : host.ascii;
    case 'ipv4':
    case 'ipv6':
    case 'general':
      return host.text;
    default:
      throw new AddressError(
        'ERR_ADDRESS_MISUSE_INVALID_ARGUMENT',
        'mailbox domain has an unknown kind',
      );
  }
}

/**
 * RFC 6531 §3.2: true when the mailbox cannot be sent without SMTPUTF8, that is when its local
 * part is not ASCII, or, with `form: 'unicode'`, when its domain would be written in U-labels.
 * (A domain alone never forces SMTPUTF8: its A-label form is always available.)
 *
 * @example
 * ```ts
 * import { parseMailbox, requiresSmtpUtf8 } from '@smtpkit/address';
 * requiresSmtpUtf8(parseMailbox('info@ua-test.世界', { smtputf8: true })); // false
 * requiresSmtpUtf8(parseMailbox('测试@ua-test.link', { smtputf8: true })); // true
 * ```
 */
export function requiresSmtpUtf8(m: Mailbox, form: DomainForm = 'ascii'): boolean {
  if (!isAscii(m.localPart)) return true;
  return form === 'unicode' && m.domain.kind === 'domain' && !isAscii(m.domain.unicode);
}

/** Rejects a `start` that is not an index into (or just past) `input`. */
export function checkStart(input: string, start: number): void {
  if (typeof input !== 'string')
    throw new AddressError('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT', 'input must be a string');
  if (!Number.isInteger(start) || start < 0 || start > input.length) {
    throw new AddressError(
      'ERR_ADDRESS_MISUSE_INVALID_ARGUMENT',
      `start ${String(start)} is outside the input`,
    );
  }
}
