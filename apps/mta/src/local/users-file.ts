import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { MtaError } from '../mta-error.js';

/**
 * The users of submission: a text file of `name:hash` lines (`#` comments and blank lines
 * allowed), the hash in the form `$scrypt$N=16384,r=8,p=1$<salt base64>$<key base64>` made by
 * {@link hashPassword} (`smtpkit-mta user add NAME` writes one). scrypt is Node's own
 * (RFC 7914); the parameters are kept with each hash so they can be raised later.
 */
export type Users = ReadonlyMap<string, string>;

const KEY_LENGTH = 32;
const DEFAULT_COST = { N: 16_384, r: 8, p: 1 } as const;

function derive(
  password: string,
  salt: Buffer,
  cost: { N: number; r: number; p: number },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { ...cost, maxmem: 128 * cost.N * cost.r * 2 }, (e, key) =>
      e === null ? resolve(key) : reject(e),
    );
  });
}

/**
 * Hashes a password for the users file.
 *
 * @example
 * ```ts
 * const line = `alice:${await hashPassword('secret')}`;
 * ```
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, DEFAULT_COST);
  const { N, r, p } = DEFAULT_COST;
  return `$scrypt$N=${N},r=${r},p=${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

const HASH = /^\$scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** A hash that cannot match: checked against when the user is unknown, so timing tells nothing. */
const NO_USER = `$scrypt$N=16384,r=8,p=1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;

/**
 * Checks a password against a stored hash in constant time.
 *
 * @example
 * ```ts
 * await verifyPassword('secret', await hashPassword('secret')); // true
 * ```
 */
export async function verifyPassword(password: string, hash: string | undefined): Promise<boolean> {
  const match = HASH.exec(hash ?? NO_USER) ?? (HASH.exec(NO_USER) as RegExpExecArray);
  const cost = { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  const expected = Buffer.from(match[5] as string, 'base64');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await derive(password, Buffer.from(match[4] as string, 'base64'), cost);
  return timingSafeEqual(key, expected) && hash !== undefined;
}

/**
 * Reads the users file; a missing file is no users (submission then accepts nobody).
 * A malformed line fails start-up with its line number.
 */
export async function loadUsers(path: string): Promise<Users> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new MtaError('ERR_MTA_FILES', `${path}: cannot read it (${(e as Error).message})`, {
      cause: e,
    });
  }
  const users = new Map<string, string>();
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    if (colon <= 0 || !HASH.test(hash)) {
      throw new MtaError(
        'ERR_MTA_FILES',
        `${path}:${i + 1}: expected name:$scrypt$N=…,r=…,p=…$salt$key`,
      );
    }
    users.set(name, hash);
  });
  return users;
}
