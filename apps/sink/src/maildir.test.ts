import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { makeTempDir, type TempDir } from '@smtpkit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Maildir } from './maildir.js';
import { SinkError } from './sink-error.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir('sink-maildir');
});
afterEach(async () => {
  await dir.remove();
});

// Maildir: "A unique name can be anything that doesn't contain a colon (or slash) and doesn't
// start with a dot"; the writer's form is time.M<usec>P<pid>Q<n>R<hex>.host.
const UNIQUE = /^\d+\.M\d{1,6}P\d+Q\d+R[0-9a-f]{16}\.[^/:]+$/;

describe('Maildir', () => {
  it('creates tmp, new and cur', async () => {
    await Maildir.open(`${dir.path}/box`);
    expect((await readdir(`${dir.path}/box`)).sort()).toEqual(['cur', 'new', 'tmp']);
  });

  it('creates missing parents too', async () => {
    await Maildir.open(`${dir.path}/a/b/box`);
    expect((await readdir(`${dir.path}/a/b/box`)).sort()).toEqual(['cur', 'new', 'tmp']);
    // Opening it again finds everything there.
    await Maildir.open(`${dir.path}/a/b/box`);
  });

  // procfs answers ENOENT for a child of an existing directory, and Node's recursive mkdir retries
  // that for ever: the walk must stop at the first component it cannot make.
  it.runIf(process.platform === 'linux')(
    'refuses a path under /proc at once, naming it',
    async () => {
      const e = await Maildir.open('/proc/x/box').catch((err: unknown) => err);
      expect(e).toBeInstanceOf(SinkError);
      expect((e as SinkError).code).toBe('ERR_SINK_MAILDIR');
      expect((e as SinkError).message).toContain("'/proc/x'");
    },
    5000,
  );

  it('stores the bytes exactly, in new/, with nothing left in tmp/', async () => {
    const maildir = await Maildir.open(dir.path, { hostname: 'sink.example' });
    const body = Buffer.from(
      'Subject: x\r\n\r\n.leading dot kept as unstuffed\r\n\x00\xff\r\n',
      'latin1',
    );
    const stored = await maildir.deliver(Readable.from([body.subarray(0, 5), body.subarray(5)]));
    expect(stored.bytes).toBe(body.length);
    expect(await readFile(stored.path)).toEqual(body);
    expect(await readdir(`${dir.path}/new`)).toEqual([stored.name]);
    expect(await readdir(`${dir.path}/tmp`)).toEqual([]);
    expect(stored.name).toMatch(UNIQUE);
    expect(stored.name.endsWith('.sink.example')).toBe(true);
    expect((await stat(stored.path)).mode & 0o777).toBe(0o600);
  });

  it('escapes / and : in the host piece', async () => {
    const maildir = await Maildir.open(dir.path, { hostname: 'a/b:c' });
    const name = maildir.uniqueName();
    expect(name.endsWith('.a\\057b\\072c')).toBe(true);
    expect(name).not.toMatch(/[/:]/);
  });

  it('gives every delivery in the same microsecond its own name', async () => {
    const maildir = await Maildir.open(dir.path, { now: () => 1_764_388_800_123.456 });
    const names = new Set<string>();
    for (let i = 0; i < 1000; i++) names.add(maildir.uniqueName());
    expect(names.size).toBe(1000);
    const [first] = names;
    expect(first?.startsWith('1764388800.M123456P')).toBe(true);
  });

  it('stores concurrent deliveries side by side', async () => {
    const maildir = await Maildir.open(dir.path);
    const bodies = Array.from({ length: 20 }, (_, i) => Buffer.from(`message ${i}\r\n`));
    const stored = await Promise.all(bodies.map((b) => maildir.deliver(Readable.from([b]))));
    expect(new Set(stored.map((s) => s.name)).size).toBe(20);
    for (const [i, s] of stored.entries()) expect(await readFile(s.path)).toEqual(bodies[i]);
  });

  it('streams a large message without holding it (many chunks, exact length)', async () => {
    const maildir = await Maildir.open(dir.path, { noSync: true });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    async function* source() {
      for (let i = 0; i < 160; i++) yield chunk;
    }
    const stored = await maildir.deliver(source());
    expect(stored.bytes).toBe(160 * chunk.length);
    expect((await stat(stored.path)).size).toBe(stored.bytes);
  });

  it('removes the tmp file and rethrows when the source fails mid-message', async () => {
    const maildir = await Maildir.open(dir.path);
    async function* broken() {
      yield Buffer.from('partial');
      throw new Error('peer went away');
    }
    await expect(maildir.deliver(broken())).rejects.toThrow('peer went away');
    expect(await readdir(`${dir.path}/tmp`)).toEqual([]);
    expect(await readdir(`${dir.path}/new`)).toEqual([]);
  });

  // RFC 5321 §4.5.3.2.6: a timeout after the end of data "would typically result in delivery of
  // multiple copies of the message": a client told 421 sends it again, so nothing is stored.
  it('stores nothing when the signal is already aborted (ERR_SINK_ABORTED, with the reason)', async () => {
    const maildir = await Maildir.open(dir.path);
    const controller = new AbortController();
    controller.abort('timeout');
    await expect(
      maildir.deliver(Readable.from([Buffer.from('Subject: x\r\n\r\nhi\r\n')]), controller.signal),
    ).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof SinkError && e.code === 'ERR_SINK_ABORTED' && e.cause === 'timeout',
    );
    expect(await readdir(`${dir.path}/tmp`)).toEqual([]);
    expect(await readdir(`${dir.path}/new`)).toEqual([]);
  });

  it('stores nothing when the signal is aborted after the last byte, before the rename', async () => {
    const maildir = await Maildir.open(dir.path);
    const controller = new AbortController();
    async function* source() {
      yield Buffer.from('Subject: x\r\n\r\n');
      yield Buffer.from('hi\r\n');
      // The whole body is in: the connection times out while the sink flushes it.
      controller.abort('closed');
    }
    await expect(maildir.deliver(source(), controller.signal)).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof SinkError && e.code === 'ERR_SINK_ABORTED' && e.cause === 'closed',
    );
    expect(await readdir(`${dir.path}/tmp`)).toEqual([]);
    expect(await readdir(`${dir.path}/new`)).toEqual([]);
  });

  it('stores the message when the signal is never aborted', async () => {
    const maildir = await Maildir.open(dir.path, { noSync: true });
    const stored = await maildir.deliver(
      Readable.from([Buffer.from('hi\r\n')]),
      new AbortController().signal,
    );
    expect(await readdir(`${dir.path}/new`)).toEqual([stored.name]);
    expect(await readFile(stored.path, 'latin1')).toBe('hi\r\n');
  });

  it('reports a directory it cannot create as ERR_SINK_MAILDIR', async () => {
    const file = `${dir.path}/file`;
    await Maildir.open(file); // a directory now
    await rm(`${file}/tmp`, { recursive: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${file}/tmp`, 'not a directory');
    await expect(Maildir.open(file)).rejects.toSatisfy(
      (e: unknown) => e instanceof SinkError && e.code === 'ERR_SINK_MAILDIR',
    );
  });
});
