// The command lines the issue names for scripted use (benchmarks, crash tests, black-box probes),
// run exactly as written, with no configuration file: they print `listening on` when ready.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type CaptureSmtpServer,
  freePort,
  makeTempDir,
  RawSmtpClient,
  startCaptureSmtpServer,
  type TempDir,
} from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from './support/mta-process.js';

let child: ChildProcess | undefined;
let dir: TempDir | undefined;
let next: CaptureSmtpServer | undefined;
afterEach(async () => {
  if (child !== undefined && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await next?.close();
  await dir?.remove();
  child = undefined;
  next = undefined;
  dir = undefined;
});

async function run(args: readonly string[], cwd: string): Promise<void> {
  child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready:\n${out}\n${err}`)), 20_000);
    child?.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^listening on /m.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child?.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}\n${err}`)));
  });
}

async function send(port: number, to: string): Promise<number> {
  const client = await RawSmtpClient.greeted(port);
  try {
    expect((await client.command('MAIL FROM:<probe@example.net>')).code).toBe(250);
    expect((await client.command(`RCPT TO:<${to}>`)).code).toBe(250);
    return (await client.data(Buffer.from('Subject: probe\r\n\r\nhello\r\n'))).code;
  } finally {
    client.destroy();
  }
}

describe('the scripted command lines', () => {
  it('--listen HOST:PORT --relay HOST:PORT --spool DIR relays everything to the smarthost, no DNS', async () => {
    dir = await makeTempDir('mta-scripted');
    next = await startCaptureSmtpServer();
    const port = await freePort();
    await run(
      [
        '--listen',
        `127.0.0.1:${port}`,
        '--relay',
        `127.0.0.1:${next.port}`,
        '--spool',
        join(dir.path, 'spool'),
      ],
      dir.path,
    );
    expect(await send(port, 'someone@remote.example')).toBe(250);
    const [message] = await next.waitForMessages(1, 20_000);
    expect(message?.rcptCommands).toEqual(['RCPT TO:<someone@remote.example>']);
    expect(message?.data.toString()).toContain('Subject: probe\r\n\r\nhello\r\n');
  });

  it('--local-domain DOMAIN --catch-all delivers every address of it to DIR/catch-all/', async () => {
    dir = await makeTempDir('mta-scripted');
    const port = await freePort();
    const spool = join(dir.path, 'spool');
    await run(
      [
        '--listen',
        `127.0.0.1:${port}`,
        '--spool',
        spool,
        '--local-domain',
        'example.com',
        '--catch-all',
      ],
      dir.path,
    );
    expect(await send(port, 'anyone@example.com')).toBe(250);
    expect(await send(port, 'someone.else@example.com')).toBe(250);
    const end = Date.now() + 20_000;
    let names: string[] = [];
    while (names.length < 2 && Date.now() < end) {
      names = await readdir(join(spool, 'catch-all', 'new')).catch(() => []);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(names).toHaveLength(2);
  });
});
