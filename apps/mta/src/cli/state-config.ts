import type { MtaConfig } from '../config/config-schema.js';
import { loadConfig } from '../config/load-config.js';

/** The configuration a tool command needs: the file's, with the tool's path flags laid over it. */
export function toolConfig(flags: Record<string, unknown>): Promise<MtaConfig> {
  const overrides: Record<string, unknown> = {};
  if (typeof flags['spool'] === 'string') overrides['queue'] = flags['spool'];
  if (typeof flags['queue'] === 'string') overrides['queue'] = flags['queue'];
  if (typeof flags['dataDir'] === 'string') overrides['dataDir'] = flags['dataDir'];
  if (typeof flags['users'] === 'string') overrides['users'] = flags['users'];
  return loadConfig({
    ...(typeof flags['config'] === 'string' ? { file: flags['config'] } : {}),
    overrides,
  });
}
