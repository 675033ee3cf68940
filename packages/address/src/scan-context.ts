import { AddressError, type AddressFaultCode, type AddressRole } from './address-error.js';
import { type AddressLimits, type AddressOptions, resolveOptions } from './address-limits.js';

/** What every grammar function needs to know besides the input. */
export interface ScanContext {
  readonly smtputf8: boolean;
  readonly limits: AddressLimits;
  readonly role: AddressRole;
}

/** Builds the context of a public entry point. */
export function contextFor(options: AddressOptions | undefined, role: AddressRole): ScanContext {
  const { smtputf8, limits } = resolveOptions(options);
  return { smtputf8, limits, role };
}

/** Throws the typed error; the return type lets callers write `return fail(...)` in expressions. */
export function fail(
  ctx: ScanContext,
  code: AddressFaultCode,
  message: string,
  position: number,
): never {
  throw new AddressError(code, message, { role: ctx.role, position });
}

/** The error for a non-ASCII character: UTF-8 without SMTPUTF8 (RFC 6531 §3.5), or a lone surrogate. */
export function failNonAscii(ctx: ScanContext, width: number, position: number): never {
  if (width === 0) return fail(ctx, 'ERR_ADDRESS_SYNTAX', 'lone surrogate is not UTF-8', position);
  return fail(ctx, 'ERR_ADDRESS_UTF8_NOT_PERMITTED', 'UTF-8 requires SMTPUTF8', position);
}

/**
 * Runs `scan` on at most `limit + 1` code units from `start`. A path or mailbox within the RFC
 * 5321 §4.5.3.1 limit ends within `limit` code units (UTF-8 never has fewer octets than UTF-16
 * code units), and the scanners look at most one unit ahead, so the view gives the same result
 * for anything that fits. This bounds the work on hostile input by the limit, not the input.
 * An error caused by the cut (at its very end) is reported as the length error it stands for.
 */
export function withinLimit<T>(
  input: string,
  start: number,
  limit: number,
  ctx: ScanContext,
  scan: (view: string) => T,
): T {
  const cut = start + limit + 1;
  if (input.length <= cut) return scan(input);
  try {
    return scan(input.slice(0, cut));
  } catch (e) {
    if (e instanceof AddressError && (e.position ?? 0) >= cut - 2) {
      fail(ctx, 'ERR_ADDRESS_PATH_TOO_LONG', 'path too long', start);
    }
    throw e;
  }
}
