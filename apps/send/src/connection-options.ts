import { readFile } from 'node:fs/promises';
import type { ClientOptions } from '@smtpkit/client';
import type { ConnectionSettings } from './cli-options.js';
import { SendError } from './send-error.js';

/**
 * Reads a file named on the command line; a failure is one line naming the option, the path
 * and the reason (`ERR_SEND_FILE`, exit status 2).
 *
 * @example
 * ```ts
 * const pem = await readOptionFile('ca', 'ca.pem');
 * ```
 */
export async function readOptionFile(option: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    // "ENOENT: no such file or directory, open '/x'": the path is named already.
    const reason = (e as Error).message.split(', ')[0];
    throw new SendError(
      'ERR_SEND_FILE',
      `--${option} ${JSON.stringify(path)}: cannot read it (${reason})`,
      { cause: e },
    );
  }
}

/**
 * The `connect` options the command line asks for (without where to connect): TLS mode, extra
 * CAs (added to Node's, NODE_EXTRA_CA_CERTS included), EHLO name, AUTH.
 *
 * @example
 * ```ts
 * const options = { host: '127.0.0.1', port: 2525, ...(await clientOptions(settings)) };
 * ```
 */
export async function clientOptions(
  settings: ConnectionSettings,
): Promise<Omit<ClientOptions, 'host' | 'port' | 'socket'>> {
  const ca: Buffer[] = [];
  for (const path of settings.ca) ca.push(await readOptionFile('ca', path));
  return {
    tls: settings.tls,
    ...(ca.length === 0 ? {} : { ca }),
    ...(settings.helo === undefined ? {} : { hostname: settings.helo }),
    ...(settings.auth === undefined
      ? {}
      : {
          auth: {
            username: settings.auth.user,
            password: settings.auth.password,
            allowInsecure: settings.authWithoutTls,
          },
        }),
  };
}
