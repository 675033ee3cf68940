import { open } from 'node:fs/promises';

/**
 * fsyncs a directory, so that the entries created, renamed or removed in it are on disk: a new
 * file's data may be durable while its name is not (POSIX fsync(2); ext4 and XFS need it).
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
