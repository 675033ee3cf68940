import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { MtaError } from '../mta-error.js';
import { configSchema, type MtaConfig, type MtaConfigInput } from './config-schema.js';

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Command-line values win over the file's, key by key (objects merged, arrays replaced). */
function merge(base: unknown, over: unknown): unknown {
  if (!isPlain(base) || !isPlain(over)) return over === undefined ? base : over;
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
  return out;
}

/** `listen.mx[0]`: the path of an issue as a user writes the key. */
function keyOf(path: readonly PropertyKey[]): string {
  let key = '';
  for (const part of path) {
    if (typeof part === 'number') key += `[${part}]`;
    else key += key === '' ? String(part) : `.${String(part)}`;
  }
  return key;
}

/** One line per problem, each naming its key. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((k) => `${keyOf([...issue.path, k])}: unknown key`).join('\n');
      }
      const key = keyOf(issue.path);
      return `${key === '' ? '(top level)' : key}: ${issue.message}`;
    })
    .join('\n');
}

/**
 * Validates a configuration object: every default filled in, or an {@link MtaError}
 * `ERR_MTA_CONFIG` whose message names each bad key (`listen.mx[0]: expected HOST:PORT …`).
 *
 * @example
 * ```ts
 * const config = validateConfig({ localDomains: ['example.org'] });
 * config.listen.mx; // [{ host: '127.0.0.1', port: 2525 }]
 * ```
 */
export function validateConfig(input: unknown, source = 'configuration'): MtaConfig {
  const parsed = configSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new MtaError('ERR_MTA_CONFIG', `${source}: ${describeIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}

/**
 * Reads the configuration file (YAML, JSON being YAML too), lays the command line's values over
 * it and validates the result.
 *
 * @example
 * ```ts
 * const config = await loadConfig({ file: 'mta.yaml', overrides: { catchAll: true } });
 * ```
 */
export async function loadConfig(
  options: { file?: string; overrides?: MtaConfigInput } = {},
): Promise<MtaConfig> {
  let fromFile: unknown = {};
  if (options.file !== undefined) {
    let text: string;
    try {
      text = await readFile(options.file, 'utf8');
    } catch (e) {
      throw new MtaError(
        'ERR_MTA_CONFIG',
        `${options.file}: cannot read it (${(e as Error).message.split(', ')[0]})`,
        { cause: e },
      );
    }
    try {
      fromFile = parseYaml(text) ?? {};
    } catch (e) {
      throw new MtaError('ERR_MTA_CONFIG', `${options.file}: ${(e as Error).message}`, {
        cause: e,
      });
    }
    if (!isPlain(fromFile)) {
      throw new MtaError('ERR_MTA_CONFIG', `${options.file}: (top level): expected a mapping`);
    }
  }
  return validateConfig(merge(fromFile, options.overrides ?? {}), options.file ?? 'configuration');
}
