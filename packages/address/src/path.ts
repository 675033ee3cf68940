import { AddressError } from './address-error.js';
import type { AddressOptions } from './address-limits.js';
import { utf8Length } from './char-classes.js';
import { scanDomain } from './domain.js';
import {
  checkStart,
  type DomainForm,
  formatMailbox,
  type Mailbox,
  scanMailboxAt,
} from './mailbox.js';
import { contextFor, fail, type ScanContext, withinLimit } from './scan-context.js';

/**
 * RFC 5321 §4.1.2 `Reverse-path = Path / "<>"`: the MAIL FROM argument. `null` is the null
 * reverse-path of bounces (RFC 5321 §4.5.5).
 *
 * @example
 * ```ts
 * import { parseReversePath } from '@smtpkit/address';
 * parseReversePath('<>'); // { kind: 'null' }
 * ```
 */
export type ReversePath =
  | { readonly kind: 'null' }
  | { readonly kind: 'mailbox'; readonly mailbox: Mailbox };

/**
 * RFC 5321 §4.1.2 `Forward-path = Path`, plus the §4.1.1.3 special `<Postmaster>` (no domain,
 * case-insensitive): the RCPT TO argument.
 *
 * @example
 * ```ts
 * import { parseForwardPath } from '@smtpkit/address';
 * parseForwardPath('<postmaster>'); // { kind: 'postmaster' }
 * ```
 */
export type ForwardPath =
  | { readonly kind: 'postmaster' }
  | { readonly kind: 'mailbox'; readonly mailbox: Mailbox };

const LT = 0x3c;
const GT = 0x3e;
const AT = 0x40;
const COMMA = 0x2c;
const COLON = 0x3a;
const POSTMASTER = 'postmaster>';

/**
 * RFC 5321 §4.1.2:
 *   Path      = "<" [ A-d-l ":" ] Mailbox ">"
 *   A-d-l     = At-domain *( "," At-domain )
 *               ; Note that this form, the so-called "source route", MUST BE accepted,
 *               ; SHOULD NOT be generated, and SHOULD be ignored.
 *   At-domain = "@" Domain
 * The source route is checked for syntax and dropped (RFC 5321 §4.1.1.3, Appendix C).
 */
function path(input: string, start: number, ctx: ScanContext): { mailbox: Mailbox; end: number } {
  let i = start + 1;
  if (input.charCodeAt(i) === AT) {
    for (;;) {
      i = scanDomain(input, i + 1, ctx).end;
      const c = input.charCodeAt(i);
      if (c === COLON) {
        i++;
        break;
      }
      if (c !== COMMA) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'expected "," or ":" in source route', i);
      i++;
      if (input.charCodeAt(i) !== AT) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'expected "@"', i);
    }
  }
  const { value, end } = scanMailboxAt(input, i, ctx);
  if (input.charCodeAt(end) !== GT) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'expected ">"', end);
  return { mailbox: value, end: end + 1 };
}

function checkPathLength(input: string, start: number, end: number, ctx: ScanContext): void {
  if (end - start > ctx.limits.path || utf8Length(input, start, end) > ctx.limits.path) {
    fail(ctx, 'ERR_ADDRESS_PATH_TOO_LONG', 'path too long', start);
  }
}

function expectOpen(input: string, start: number, ctx: ScanContext): void {
  if (input.charCodeAt(start) !== LT) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'expected "<"', start);
}

function scanReverse(
  input: string,
  start: number,
  ctx: ScanContext,
): { value: ReversePath; end: number } {
  expectOpen(input, start, ctx);
  if (input.charCodeAt(start + 1) === GT) {
    checkPathLength(input, start, start + 2, ctx);
    return { value: { kind: 'null' }, end: start + 2 };
  }
  const { mailbox, end } = path(input, start, ctx);
  checkPathLength(input, start, end, ctx);
  return { value: { kind: 'mailbox', mailbox }, end };
}

function scanForward(
  input: string,
  start: number,
  ctx: ScanContext,
): { value: ForwardPath; end: number } {
  expectOpen(input, start, ctx);
  if (
    input.length - start > POSTMASTER.length &&
    input.slice(start + 1, start + 1 + POSTMASTER.length).toLowerCase() === POSTMASTER
  ) {
    const end = start + 1 + POSTMASTER.length;
    checkPathLength(input, start, end, ctx);
    return { value: { kind: 'postmaster' }, end };
  }
  if (input.charCodeAt(start + 1) === GT) {
    fail(ctx, 'ERR_ADDRESS_SYNTAX', 'the null path is not a forward-path', start + 1);
  }
  const { mailbox, end } = path(input, start, ctx);
  checkPathLength(input, start, end, ctx);
  return { value: { kind: 'mailbox', mailbox }, end };
}

/**
 * Scans a Reverse-path (the MAIL FROM argument) at `start`, which must be at "<". Returns the path
 * and `end`, the index just past ">"; the caller parses what follows (Mail-parameters).
 * Errors are {@link AddressError} with reply 501 5.1.7 (553 5.6.7 for UTF-8 without SMTPUTF8).
 *
 * @example
 * ```ts
 * import { scanReversePath } from '@smtpkit/address';
 * const line = 'MAIL FROM:<a@example.com> SIZE=100';
 * const { value, end } = scanReversePath(line, 10);
 * line.slice(end); // ' SIZE=100'
 * ```
 */
export function scanReversePath(
  input: string,
  start = 0,
  options?: AddressOptions,
): { value: ReversePath; end: number } {
  checkStart(input, start);
  const ctx = contextFor(options, 'sender');
  return withinLimit(input, start, ctx.limits.path, ctx, (view) => scanReverse(view, start, ctx));
}

/**
 * Scans a Forward-path (the RCPT TO argument) at `start`, which must be at "<". Accepts the
 * special `<Postmaster>`. Returns the path and the index just past ">". Errors are
 * {@link AddressError} with reply 501 5.1.3 (553 5.6.7 for UTF-8 without SMTPUTF8).
 *
 * @example
 * ```ts
 * import { scanForwardPath } from '@smtpkit/address';
 * scanForwardPath('RCPT TO:<@relay.example:bob@example.org>', 8);
 * // { value: { kind: 'mailbox', mailbox: { localPart: 'bob', domain: … } }, end: 40 }
 * ```
 */
export function scanForwardPath(
  input: string,
  start = 0,
  options?: AddressOptions,
): { value: ForwardPath; end: number } {
  checkStart(input, start);
  const ctx = contextFor(options, 'recipient');
  return withinLimit(input, start, ctx.limits.path, ctx, (view) => scanForward(view, start, ctx));
}

/**
 * Parses a whole string as a Reverse-path (`<>` or `<mailbox>`, source route dropped).
 *
 * @example
 * ```ts
 * import { parseReversePath } from '@smtpkit/address';
 * parseReversePath('<@a.example,@b.example:joe@c.example>');
 * // { kind: 'mailbox', mailbox: { localPart: 'joe', domain: { kind: 'domain', ascii: 'c.example', unicode: 'c.example' } } }
 * ```
 */
export function parseReversePath(input: string, options?: AddressOptions): ReversePath {
  checkStart(input, 0);
  const ctx = contextFor(options, 'sender');
  if (input.length > ctx.limits.path) fail(ctx, 'ERR_ADDRESS_PATH_TOO_LONG', 'path too long', 0);
  const { value, end } = scanReverse(input, 0, ctx);
  if (end !== input.length) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'unexpected character after path', end);
  return value;
}

/**
 * Parses a whole string as a Forward-path (`<mailbox>` or `<Postmaster>`).
 *
 * @example
 * ```ts
 * import { parseForwardPath } from '@smtpkit/address';
 * parseForwardPath('<Postmaster>'); // { kind: 'postmaster' }
 * ```
 */
export function parseForwardPath(input: string, options?: AddressOptions): ForwardPath {
  checkStart(input, 0);
  const ctx = contextFor(options, 'recipient');
  if (input.length > ctx.limits.path) fail(ctx, 'ERR_ADDRESS_PATH_TOO_LONG', 'path too long', 0);
  const { value, end } = scanForward(input, 0, ctx);
  if (end !== input.length) fail(ctx, 'ERR_ADDRESS_SYNTAX', 'unexpected character after path', end);
  return value;
}

/**
 * Writes a path: `<>`, `<Postmaster>` or `<mailbox>` in canonical form (see {@link formatMailbox}).
 * Source routes are never generated (RFC 5321 §4.1.1.3: "SHOULD NOT be generated").
 *
 * @example
 * ```ts
 * import { formatPath, parseForwardPath } from '@smtpkit/address';
 * formatPath(parseForwardPath('<"joe"@EXAMPLE.org>')); // '<joe@example.org>'
 * formatPath({ kind: 'null' }); // '<>'
 * ```
 */
export function formatPath(p: ReversePath | ForwardPath, form: DomainForm = 'ascii'): string {
  if (p === null || typeof p !== 'object')
    throw new AddressError('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT', 'path must be an object');
  switch (p.kind) {
    case 'null':
      return '<>';
    case 'postmaster':
      return '<Postmaster>';
    case 'mailbox':
      return `<${formatMailbox(p.mailbox, form)}>`;
    default:
      throw new AddressError('ERR_ADDRESS_MISUSE_INVALID_ARGUMENT', 'path has an unknown kind');
  }
}
