import type { MtaConfigInput } from '../config/config-schema.js';
import { parseHostPort } from '../config/config-schema.js';
import { MtaError } from '../mta-error.js';

function hostPortOption(flag: string, value: string): string {
  if (parseHostPort(value) === undefined) {
    throw new MtaError(
      'ERR_MTA_USAGE',
      `${flag}: expected HOST:PORT, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** The flags of the run command, as commander gives them. */
export interface RunFlags {
  config?: string;
  listen?: string[];
  submission?: string[];
  submissions?: string[];
  relay?: string;
  spool?: string;
  queue?: string;
  dataDir?: string;
  mailboxes?: string;
  localDomain?: string[];
  catchAll?: boolean;
  relayNetwork?: string[];
  mxPort?: string;
  dns?: string[];
  lmtp?: string;
  metrics?: string;
  hostname?: string;
  fsync?: boolean;
  logLevel?: string;
}

/** The command line's values as configuration keys (they win over the file's). */
export function overridesOf(flags: RunFlags): MtaConfigInput {
  const listen: Record<string, string[]> = {};
  if (flags.listen !== undefined) listen['mx'] = flags.listen;
  if (flags.submission !== undefined) listen['submission'] = flags.submission;
  if (flags.submissions !== undefined) listen['submissions'] = flags.submissions;
  // `--listen` alone: the MX listener only (scripted use); other listeners when asked for.
  if (flags.listen !== undefined) {
    listen['submission'] ??= [];
    listen['submissions'] ??= [];
  }
  const delivery: Record<string, unknown> = {};
  if (flags.relay !== undefined) delivery['relay'] = hostPortOption('--relay', flags.relay);
  if (flags.mxPort !== undefined) delivery['mxPort'] = Number(flags.mxPort);
  if (flags.dns !== undefined) delivery['dnsServers'] = flags.dns;
  const out: Record<string, unknown> = {};
  if (Object.keys(listen).length > 0) out['listen'] = listen;
  if (Object.keys(delivery).length > 0) out['delivery'] = delivery;
  if (flags.spool !== undefined) out['queue'] = flags.spool;
  if (flags.queue !== undefined) out['queue'] = flags.queue;
  if (flags.dataDir !== undefined) out['dataDir'] = flags.dataDir;
  // Scripted runs keep everything in the one directory they name: `--spool DIR` is also the
  // Maildirs' root (`DIR/catch-all/`, `DIR/<user>/`) unless --mailboxes says otherwise.
  if (flags.mailboxes !== undefined) out['mailboxes'] = flags.mailboxes;
  else if (flags.spool !== undefined) out['mailboxes'] = flags.spool;
  if (flags.localDomain !== undefined) out['localDomains'] = flags.localDomain;
  if (flags.catchAll === true) out['catchAll'] = true;
  if (flags.relayNetwork !== undefined) out['relayNetworks'] = flags.relayNetwork;
  if (flags.lmtp !== undefined) out['lmtp'] = hostPortOption('--lmtp', flags.lmtp);
  if (flags.metrics !== undefined) {
    out['metrics'] = flags.metrics === 'off' ? false : hostPortOption('--metrics', flags.metrics);
  }
  if (flags.hostname !== undefined) out['hostname'] = flags.hostname;
  if (flags.fsync === false) out['unsafeNoFsync'] = true;
  if (flags.logLevel !== undefined) out['log'] = { level: flags.logLevel };
  return out as MtaConfigInput;
}
