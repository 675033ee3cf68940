/**
 * The baseline the journal is measured against: one file per message, as Postfix's queue does it
 * (write to a temporary name, fsync the file, rename into place, fsync the directory), with
 * concurrent enqueuers sharing nothing. Bench only.
 */
import { randomBytes } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';

export function filePerMessage(dir: string) {
  let fsyncs = 0;
  let n = 0;
  const prefix = randomBytes(4).toString('hex');
  return {
    get fsyncs() {
      return fsyncs;
    },
    async enqueue(bytes: Uint8Array): Promise<string> {
      const id = `${prefix}${(n++).toString(36)}`;
      const tmp = join(dir, `${id}.tmp`);
      const file = await open(tmp, 'wx');
      await file.write(bytes);
      await file.sync();
      await file.close();
      await rename(tmp, join(dir, id));
      const d = await open(dir, 'r');
      await d.sync();
      await d.close();
      fsyncs += 2;
      return id;
    },
  };
}
