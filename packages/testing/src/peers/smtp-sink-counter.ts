import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Bytes read from the end of a counter file: several of smtp-sink's short records. */
const TAIL_BYTES = 512;

/**
 * The message count in smtp-sink's `-c` output. smtp-sink rewrites one line of running counters
 * whenever a session ends, a QUIT arrives or a message's "." is received, each record ending in a
 * carriage return: `sess=3 quit=3 mesg=7\r`. The count is `mesg=` of the last record that ends
 * in `\r` (or `\n`): one read while smtp-sink writes may see the next record half written.
 *
 * @example
 * ```ts
 * parseSmtpSinkCounter('sess=0 quit=0 mesg=1\rsess=1 quit=1 mesg=2\r'); // 2
 * parseSmtpSinkCounter('sess=0 quit=0 mesg=9\rsess=0 quit=0 mes');      // 9
 * ```
 */
export function parseSmtpSinkCounter(text: string): number {
  const separatorBefore = (at: number): number =>
    // lastIndexOf treats a negative start as 0: look before index 0 for nothing.
    at < 0 ? -1 : Math.max(text.lastIndexOf('\r', at), text.lastIndexOf('\n', at));
  // Each pass moves `end` to an earlier separator, so the loop ends.
  let end = separatorBefore(text.length - 1);
  while (end >= 0) {
    const start = separatorBefore(end - 1) + 1;
    const match = /mesg=(\d+)$/.exec(text.slice(start, end));
    if (match?.[1] !== undefined) return Number(match[1]);
    end = start - 1;
  }
  return 0;
}

/**
 * The message count smtp-sink has written to its counter file (see
 * {@link SmtpSinkOptions.counterFile}), reading only the file's end; 0 while the file is
 * missing or empty. Cheap enough to poll while a load runs.
 *
 * @example
 * ```ts
 * const sink = await startSmtpSink({ counterFile: '/dev/shm/sink-counter' });
 * // ... send mail to sink.port ...
 * readSmtpSinkCount('/dev/shm/sink-counter'); // messages received so far
 * ```
 */
export function readSmtpSinkCount(file: string): number {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    const read = readSync(fd, buffer, 0, length, size - length);
    return parseSmtpSinkCounter(buffer.subarray(0, read).toString('latin1'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
