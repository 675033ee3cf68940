import { crc32 as zlibCrc32 } from 'node:zlib';
import type { Crc32 } from '../crc32.js';

/**
 * The journal's CRC-32 (ISO 3309, zlib's) computed by zlib inside Node rather than in
 * JavaScript: the same values, about 3.4 times faster (100 KB: 26 µs against 87 µs for the
 * slice-by-8 code here). The spool checks every record it writes and reads with it; the sans-IO
 * codec keeps its own for other callers.
 *
 * @example
 * ```ts
 * nativeCrc32(new TextEncoder().encode('123456789')); // 0xcbf43926
 * encodeRecord(record, nativeCrc32);
 * ```
 */
export const nativeCrc32: Crc32 = (data, previous = 0) => zlibCrc32(data, previous);
