// Postfix's smtp-source against the sink binary: every message is stored as its own file in the
// Maildir, and the counters line agrees with the files on disk.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, runSmtpSource, smtpSourceSkipReason, type TempDir } from '@smtpkit/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { counters, type SinkProcess, startSinkProcess } from './sink-process.js';

const skip = smtpSourceSkipReason();

describe.skipIf(skip !== undefined)('smtp-source → sink binary', () => {
  let sink: SinkProcess | undefined;
  let dir: TempDir;
  beforeEach(async () => {
    dir = await makeTempDir('sink-smtp-source');
  });
  afterEach(async () => {
    await sink?.stop('SIGKILL');
    sink = undefined;
    await dir.remove();
  });

  it('stores 100 messages from 4 sessions; messages=N bytes=B match the Maildir', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0', '--maildir', dir.path]);
    const r = await runSmtpSource({
      port: sink.port,
      sessions: 4,
      messages: 100,
      size: 2048,
      timeoutMs: 40_000,
    });
    expect(r.messages).toBe(100);
    const names = await readdir(join(dir.path, 'new'));
    expect(names).toHaveLength(100);
    let total = 0;
    for (const name of names) {
      const path = join(dir.path, 'new', name);
      total += (await stat(path)).size;
      const text = (await readFile(path)).toString('latin1');
      expect(text.startsWith('From: <source@example.com>\r\nTo: <sink@example.com>\r\n')).toBe(
        true,
      );
      expect(text.endsWith('\r\n')).toBe(true);
    }
    const exit = await sink.stop();
    expect(exit.exitCode).toBe(0);
    expect(counters(exit.stdout)).toEqual({ messages: 100, bytes: total });
  }, 60_000);

  it('discarding: counts every message of an LMTP run', async () => {
    sink = await startSinkProcess(['--listen', '127.0.0.1:0', '--lmtp']);
    await runSmtpSource({
      port: sink.port,
      messages: 30,
      lmtp: true,
      size: 500,
      timeoutMs: 30_000,
    });
    const exit = await sink.stop();
    expect(counters(exit.stdout)?.messages).toBe(30);
  }, 60_000);
});
