// Reads a Maildir's new/ folder as it fills, each file once, and checks every copy as it is
// found: a Maildir reader must never see a half-written message there (tmp/ -> new/ is a rename).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkCrashCopy, headerField } from './crash-message.js';
import type { DeliveredCopy } from './recording-receiver.js';

/** A scanner of one Maildir. */
export interface MaildirScanner {
  /** Reads the files of new/ not read before and returns their copies. */
  scan(): Promise<DeliveredCopy[]>;
  /** Every copy found so far. */
  readonly copies: readonly DeliveredCopy[];
  /** Files left in tmp/ (deliveries a crash cut short; Maildir readers ignore them). */
  tmpFiles(): Promise<number>;
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/**
 * A scanner of the Maildir at `dir` (which may not exist yet); the recipient of a copy is its
 * `Delivered-To:` field.
 *
 * @example
 * ```ts
 * const maildir = createMaildirScanner(join(mta.dir, 'mail', 'catch-all'));
 * await maildir.scan();
 * ```
 */
export function createMaildirScanner(dir: string): MaildirScanner {
  const seen = new Set<string>();
  const copies: DeliveredCopy[] = [];
  return {
    copies,
    async scan() {
      const found: DeliveredCopy[] = [];
      for (const name of (await names(join(dir, 'new'))).sort()) {
        if (seen.has(name)) continue;
        seen.add(name);
        const path = join(dir, 'new', name);
        const bytes = await readFile(path);
        // The MTA writes and fsyncs the file before its rename: its mtime is the commit's start.
        const at = (await stat(path)).mtimeMs;
        const end = bytes.indexOf('\r\n\r\n');
        const header = bytes.subarray(0, end < 0 ? bytes.length : end).toString('latin1');
        const recipient = (headerField(header, 'Delivered-To') ?? '?').toLowerCase();
        found.push({ recipient, check: checkCrashCopy(bytes), where: name, at });
      }
      copies.push(...found);
      return found;
    },
    tmpFiles: async () => (await names(join(dir, 'tmp'))).length,
  };
}
