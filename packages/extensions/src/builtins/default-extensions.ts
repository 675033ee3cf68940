import { binaryMime } from './binary-mime.js';
import { chunking } from './chunking.js';
import { dsn } from './dsn.js';
import { eightBitMime } from './eight-bit-mime.js';
import { enhancedStatusCodes } from './enhanced-status-codes.js';
import { pipelining } from './pipelining.js';
import { type SizeOptions, size } from './size.js';
import { smtpUtf8 } from './smtp-utf8.js';

/**
 * The built-ins that need no application policy, ENHANCEDSTATUSCODES first (on by default):
 * ENHANCEDSTATUSCODES, PIPELINING, SIZE, 8BITMIME, SMTPUTF8, CHUNKING, BINARYMIME, DSN. STARTTLS,
 * AUTH, ETRN and REQUIRETLS need a certificate, mechanisms or a queue, so the server adds them.
 *
 * @example
 * ```ts
 * import { createRegistry, defaultExtensions, etrn } from '@smtpkit/extensions';
 * const registry = createRegistry([...defaultExtensions({ size: { max: 10485760 } }), etrn()]);
 * ```
 */
export function defaultExtensions(options: { readonly size?: SizeOptions } = {}) {
  return [
    enhancedStatusCodes(),
    pipelining(),
    size(options.size),
    eightBitMime(),
    smtpUtf8(),
    chunking(),
    binaryMime(),
    dsn(),
  ] as const;
}
