import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir } from '@smtpkit/testing';
import { describe, expect, it } from 'vitest';
import { hashPassword, loadUsers, verifyPassword } from './users-file.js';

describe('users file', () => {
  it('hashes with scrypt and verifies only the right password', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^\$scrypt\$N=16384,r=8,p=1\$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong', hash)).toBe(false);
    expect(await verifyPassword('correct horse', undefined)).toBe(false);
    expect(await hashPassword('x')).not.toBe(await hashPassword('x'));
  });

  it('reads name:hash lines and names a bad line', async () => {
    const dir = await makeTempDir('mta-users');
    try {
      const file = join(dir.path, 'users');
      await writeFile(file, `# users\nalice:${await hashPassword('a')}\n\n`);
      expect([...(await loadUsers(file)).keys()]).toEqual(['alice']);
      await writeFile(file, 'alice:plaintext\n');
      await expect(loadUsers(file)).rejects.toThrow(`${file}:1:`);
      expect((await loadUsers(join(dir.path, 'none'))).size).toBe(0);
    } finally {
      await dir.remove();
    }
  });
});
