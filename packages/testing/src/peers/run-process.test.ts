import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { freePort, waitForPort } from './free-port.js';
import { PeerError } from './peer-error.js';
import { runProcess, startProcess } from './run-process.js';
import { createSelfSignedCert, opensslSkipReason } from './self-signed-cert.js';

describe('runProcess', () => {
  it('returns exit code and output, feeding stdin', async () => {
    const r = await runProcess('/bin/cat', [], { timeoutMs: 5000, input: 'hello\r\n' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('hello\r\n');
  });

  it('stdoutFile: the output goes to the file and is read back into stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-process-'));
    try {
      const file = join(dir, 'out');
      const r = await runProcess('/bin/sh', ['-c', 'printf "1\\r2\\r3\\n"'], {
        timeoutMs: 5000,
        stdoutFile: file,
      });
      expect(r.stdout).toBe('1\r2\r3\n');
      expect(readFileSync(file, 'utf8')).toBe('1\r2\r3\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('kills a child that outlives its timeout, by PID, and rejects with ERR_PEER_TIMEOUT', async () => {
    // The test's own 5 s limit proves the 30 s child did not run to its end.
    await expect(runProcess('/bin/sleep', ['30'], { timeoutMs: 200 })).rejects.toMatchObject({
      code: 'ERR_PEER_TIMEOUT',
      message: expect.stringContaining('killed'),
    });
  });

  it('rejects a non-zero exit unless allowFailure', async () => {
    await expect(
      runProcess('/bin/sh', ['-c', 'echo oops >&2; exit 3'], { timeoutMs: 5000 }),
    ).rejects.toMatchObject({
      code: 'ERR_PEER_EXIT',
      stderr: 'oops\n',
    });
    const r = await runProcess('/bin/sh', ['-c', 'exit 3'], {
      timeoutMs: 5000,
      allowFailure: true,
    });
    expect(r.exitCode).toBe(3);
  });

  it('reports a missing program as ERR_PEER_MISSING', async () => {
    await expect(runProcess('/nonexistent/peer', [], { timeoutMs: 5000 })).rejects.toMatchObject({
      code: 'ERR_PEER_MISSING',
    });
  });

  it('refuses a missing timeout as API misuse', async () => {
    await expect(runProcess('/bin/true', [], { timeoutMs: 0 })).rejects.toBeInstanceOf(PeerError);
  });
});

describe('startProcess', () => {
  it('stops a long-running child by PID', async () => {
    const p = startProcess('/bin/sleep', ['30']);
    expect(p.pid).toBeGreaterThan(0);
    await p.stop();
    const exit = await p.exited;
    expect(exit.signal).toBe('SIGTERM');
  });

  it('stdoutFile / stderrFile: the output goes to files, and output() reads their tails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-process-'));
    try {
      const stdoutFile = join(dir, 'out');
      const stderrFile = join(dir, 'err');
      const p = startProcess('/bin/sh', ['-c', 'printf "a\\rb\\r"; printf oops >&2'], {
        stdoutFile,
        stderrFile,
      });
      await p.exited;
      expect(readFileSync(stdoutFile, 'utf8')).toBe('a\rb\r');
      expect(p.output()).toEqual({ stdout: 'a\rb\r', stderr: 'oops' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('freePort / waitForPort', () => {
  it('gives a port that can be listened on, and waitForPort sees the listener', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await waitForPort(port, { timeoutMs: 2000 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('waitForPort stops at once when the server process has exited', async () => {
    const port = await freePort();
    const p = startProcess('/bin/sh', ['-c', 'exit 1']);
    await expect(waitForPort(port, { timeoutMs: 60_000, exited: p.exited })).rejects.toMatchObject({
      code: 'ERR_PEER_START',
      message: expect.stringContaining('exited'),
    });
  });

  it('waitForPort gives up with ERR_PEER_START', async () => {
    const port = await freePort();
    await expect(waitForPort(port, { timeoutMs: 100, intervalMs: 20 })).rejects.toMatchObject({
      code: 'ERR_PEER_START',
    });
  });
});

describe.skipIf(opensslSkipReason() !== undefined)('createSelfSignedCert', () => {
  it('writes a key and a certificate for localhost and 127.0.0.1', async () => {
    const c = await createSelfSignedCert();
    try {
      const x509 = new X509Certificate(c.cert);
      expect(x509.subject).toContain('CN=localhost');
      expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
      expect(c.key).toContain('PRIVATE KEY');
    } finally {
      await c.remove();
    }
  });
});
