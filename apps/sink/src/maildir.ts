import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join, parse, resolve, sep } from 'node:path';
import { SinkError } from './sink-error.js';

/**
 * One message written into `new/`.
 *
 * @example
 * ```ts
 * const { path, bytes }: MaildirDelivery = await maildir.deliver(message.stream);
 * ```
 */
export interface MaildirDelivery {
  /** The unique name (the file name in `new/`). */
  readonly name: string;
  /** The full path of the stored file. */
  readonly path: string;
  /** Bytes written: the message exactly as received, after dot-unstuffing. */
  readonly bytes: number;
}

/**
 * Options of {@link Maildir.open}.
 *
 * @example
 * ```ts
 * const options: MaildirOptions = { hostname: 'sink.example', noSync: true };
 * ```
 */
export interface MaildirOptions {
  /** The right-hand piece of unique names; default `os.hostname()`. */
  readonly hostname?: string;
  /** Milliseconds since the epoch, with a fraction for microseconds; default the wall clock. */
  readonly now?: () => number;
  /** Skip `fsync` of the file and of `new/` (faster, not durable). Default false. */
  readonly noSync?: boolean;
}

// Maildir: "replace / with \057 and : with \072" in the host name piece.
function sanitizeHost(host: string): string {
  return host.replaceAll('/', '\\057').replaceAll(':', '\\072');
}

const NAME_ATTEMPTS = 5;

/**
 * A Maildir (D. J. Bernstein's format, as used by qmail, Postfix, Dovecot): every message is written
 * to `tmp/` under a unique name, flushed to disk, then renamed into `new/`. A reader never sees a
 * partial message, and no lock is taken.
 *
 * @example
 * ```ts
 * const maildir = await Maildir.open('/tmp/mail');
 * const stored = await maildir.deliver(Readable.from([Buffer.from('Subject: hi\r\n\r\nbody\r\n')]));
 * stored.path; // /tmp/mail/new/1764388800.M123456P4242Q1R5f0c….host
 * ```
 */
export class Maildir {
  readonly dir: string;
  readonly #host: string;
  readonly #now: () => number;
  readonly #sync: boolean;
  #deliveries = 0;

  private constructor(dir: string, options: MaildirOptions) {
    this.dir = dir;
    this.#host = sanitizeHost(options.hostname ?? osHostname());
    this.#now = options.now ?? (() => performance.timeOrigin + performance.now());
    this.#sync = options.noSync !== true;
  }

  /**
   * Creates `dir` and its missing parents, then `dir/tmp`, `dir/new` and `dir/cur` (mode 0700), one
   * path component at a time. Throws a {@link SinkError} `ERR_SINK_MAILDIR`, naming the component,
   * at the first one that cannot be made.
   *
   * @example
   * ```ts
   * const maildir = await Maildir.open('./mail', { hostname: 'sink.example' });
   * ```
   */
  static async open(dir: string, options: MaildirOptions = {}): Promise<Maildir> {
    try {
      await makeDirectories(resolve(dir));
      for (const sub of ['tmp', 'new', 'cur']) await makeDirectory(join(dir, sub));
    } catch (e) {
      throw new SinkError(
        'ERR_SINK_MAILDIR',
        `cannot create Maildir ${dir}: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
    return new Maildir(dir, options);
  }

  /**
   * A fresh unique name. Maildir: "A unique name has three pieces, separated by dots. On the left
   * is the result of time() … On the right is the result of gethostname() … In the middle is a
   * delivery identifier": here the modern form `M` microseconds, `P` process ID, `Q` this
   * process's delivery counter and `R` random hex, concatenated.
   *
   * @example
   * ```ts
   * maildir.uniqueName(); // '1764388800.M123456P4242Q1R9c1e2f3a4b5c6d7e.sink.example'
   * ```
   */
  uniqueName(): string {
    const now = this.#now();
    const seconds = Math.floor(now / 1000);
    const micros = Math.floor((now - seconds * 1000) * 1000);
    this.#deliveries += 1;
    const random = randomBytes(8).toString('hex');
    return `${seconds}.M${micros}P${process.pid}Q${this.#deliveries}R${random}.${this.#host}`;
  }

  /**
   * Streams `source` into `tmp/NAME` (backpressure: the next chunk is read only once the disk
   * took the last), fsyncs it, renames it to `new/NAME` and fsyncs `new/`; resolves only then, so a
   * resolved delivery is on disk. On any failure the file in `tmp/` is removed and the error is
   * rethrown as is (an `ENOSPC` keeps its `code`).
   *
   * `signal` (the server hook's `ctx.signal`) is checked after the fsync, just before the rename:
   * when it is aborted the client was told 421 (or is gone) and will send the message again, so
   * the file is removed and a {@link SinkError} `ERR_SINK_ABORTED` (its `cause` the signal's
   * reason) is thrown; nothing reaches `new/`.
   *
   * @example
   * ```ts
   * const { name, bytes } = await maildir.deliver(message.stream, ctx.signal);
   * ```
   */
  async deliver(
    source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    signal?: AbortSignal,
  ): Promise<MaildirDelivery> {
    const { name, handle } = await this.#createTmp();
    const tmpPath = join(this.dir, 'tmp', name);
    let bytes = 0;
    let closed = false;
    try {
      // Each chunk is written before the next is read: the source waits for the disk.
      for await (const chunk of source) {
        await writeFully(handle, chunk);
        bytes += chunk.byteLength;
      }
      if (this.#sync) await handle.sync();
      closed = true;
      await handle.close();
      // RFC 5321 §4.5.3.2.6: a timeout after the end of data "would typically result in delivery
      // of multiple copies of the message". The last moment to refuse is before the rename.
      if (signal?.aborted === true) {
        throw new SinkError(
          'ERR_SINK_ABORTED',
          `message not stored: the connection ended (${String(signal.reason)})`,
          { cause: signal.reason },
        );
      }
      const path = join(this.dir, 'new', name);
      await rename(tmpPath, path);
      if (this.#sync) await syncDirectory(join(this.dir, 'new'));
      return { name, path, bytes };
    } catch (e) {
      if (!closed) await handle.close().catch(() => undefined);
      await unlink(tmpPath).catch(() => undefined);
      throw e;
    }
  }

  async #createTmp(): Promise<{ name: string; handle: FileHandle }> {
    for (let attempt = 1; ; attempt++) {
      const name = this.uniqueName();
      try {
        // O_EXCL: never write over another delivery's file, whatever the clock did.
        const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;
        return { name, handle: await open(join(this.dir, 'tmp', name), flags, 0o600) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= NAME_ATTEMPTS) throw e;
      }
    }
  }
}

// Not `mkdir(path, { recursive: true })`: on procfs a child of an existing directory answers
// ENOENT, and Node's recursive mkdir retries its parent for ever (never settling, a core busy).
// Walking down from the root, every component is one mkdir, so the walk ends at the first failure.
async function makeDirectories(absolute: string): Promise<void> {
  const { root } = parse(absolute);
  let path = root;
  for (const part of absolute.slice(root.length).split(sep)) {
    if (part === '') continue;
    path = join(path, part);
    await makeDirectory(path);
  }
}

// One mkdir: a directory already there is fine (EEXIST, or another error on a directory that
// exists, such as EROFS or EISDIR on some systems); anything else, a file in the way included, is
// fatal, and its message names the path.
async function makeDirectory(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: 0o700 });
  } catch (e) {
    const isDirectory = await stat(path).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (!isDirectory) throw e;
  }
}

async function writeFully(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

// The rename is durable only once the directory entry is on disk.
async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, constants.O_RDONLY);
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
