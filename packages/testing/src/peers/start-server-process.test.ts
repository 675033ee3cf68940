import { describe, expect, it } from 'vitest';
import { freePort } from './free-port.js';
import { startServerProcess } from './start-server-process.js';

describe('startServerProcess', () => {
  it('resolves once the program listens, and stops it by PID', async () => {
    const port = await freePort();
    const script = `require('node:net').createServer((s) => s.end()).listen(${port}, '127.0.0.1')`;
    const p = await startServerProcess('tiny', process.execPath, ['-e', script], {
      port,
      timeoutMs: 10_000,
    });
    expect(p.pid).toBeGreaterThan(0);
    await p.stop();
    expect((await p.exited).signal).toBe('SIGTERM');
  });

  it('a program that exits first is ERR_PEER_START naming it, with its stderr; cleanup runs', async () => {
    const port = await freePort();
    let cleaned = false;
    const failure = startServerProcess(
      'quitter',
      process.execPath,
      ['-e', "console.error('no config'); process.exit(3)"],
      {
        port,
        timeoutMs: 10_000,
        cleanup: async () => {
          cleaned = true;
        },
      },
    );
    await expect(failure).rejects.toMatchObject({
      code: 'ERR_PEER_START',
      message: expect.stringMatching(/^quitter did not start: .*no config/s),
    });
    expect(cleaned).toBe(true);
  });
});
