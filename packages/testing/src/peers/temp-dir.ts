import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory and its removal. */
export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/**
 * Creates a fresh directory under the OS temp dir (prefix `smtpkit-<name>-`).
 *
 * @example
 * ```ts
 * const dir = await makeTempDir('msmtp');
 * try { ... } finally { await dir.remove(); }
 * ```
 */
export async function makeTempDir(name: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `smtpkit-${name}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
