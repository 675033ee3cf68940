import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared conformance corpus lives beside the repository (`<repo>/../shared/vectors`), never
 * inside it. `SMTPKIT_VECTORS` overrides the location.
 */
export function vectorsDir(): string {
  const fromEnv = process.env['SMTPKIT_VECTORS'];
  if (fromEnv) return fromEnv;
  const here = dirname(fileURLToPath(import.meta.url));
  // packages/testing/src → repository root → its parent
  const dir = resolve(here, '..', '..', '..', '..', 'shared', 'vectors');
  if (!existsSync(dir)) {
    throw new Error(`conformance vectors not found at ${dir}; set SMTPKIT_VECTORS`);
  }
  return dir;
}

/** Absolute path of a file in the corpus, e.g. `vectorPath('wire', 'commands.jsonl')`. */
export function vectorPath(...parts: string[]): string {
  return join(vectorsDir(), ...parts);
}

/** Reads a vector file as text. */
export function readVectorText(...parts: string[]): string {
  return readFileSync(vectorPath(...parts), 'utf8');
}

/** Reads a JSON vector file. */
export function readVectorJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readVectorText(...parts)) as T;
}

/** Reads a JSONL vector file: one record a non-empty line. */
export function readJsonl<T = Record<string, unknown>>(...parts: string[]): T[] {
  return readVectorText(...parts)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
