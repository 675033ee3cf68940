import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hashPassword } from '../local/users-file.js';
import { statePaths } from '../mta.js';
import { MtaError } from '../mta-error.js';
import { toolConfig } from './state-config.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const NAME = /^[A-Za-z0-9._+-]{1,64}$/;

/**
 * `smtpkit-mta user add NAME` (password on standard input), `user remove NAME`, `user list`:
 * edits the users file by writing a new one and renaming it into place. A running MTA reads the
 * file at start.
 */
export async function runUserCommand(
  action: string,
  name: string | undefined,
  flags: Record<string, unknown>,
  say: (line: string) => void,
): Promise<void> {
  const config = await toolConfig(flags);
  const path = statePaths(config).users;
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const nameOf = (line: string) => line.slice(0, line.indexOf(':'));
  if (action === 'list') {
    for (const line of lines) if (!line.startsWith('#')) say(nameOf(line));
    return;
  }
  if (name === undefined || !NAME.test(name)) {
    throw new MtaError(
      'ERR_MTA_USAGE',
      `user ${action}: expected a user name (letters, digits, . _ + -)`,
    );
  }
  const kept = lines.filter((l) => nameOf(l) !== name);
  if (action === 'add') {
    const password = await readStdin();
    if (password === '')
      throw new MtaError('ERR_MTA_USAGE', 'user add: empty password on standard input');
    kept.push(`${name}:${await hashPassword(password)}`);
  } else if (action === 'remove') {
    if (kept.length === lines.length)
      throw new MtaError('ERR_MTA_USAGE', `user remove: no user ${name}`);
  } else {
    throw new MtaError(
      'ERR_MTA_USAGE',
      `user: unknown action ${JSON.stringify(action)} (add, remove, list)`,
    );
  }
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${kept.join('\n')}\n`, { mode: 0o600 });
  await rename(tmp, path);
  say(`${action === 'add' ? 'added' : 'removed'} ${name}`);
}
