// MTA nodes for bench/postgres-nodes.ts: the built CLI with a configuration file, on one queue
// (a spool directory or a postgres:// URL), relaying everything to one next hop.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, makeTempDir, pinProcess, startServerProcess } from '@smtpkit/testing';
import type { Placement } from './loads.js';
import { MTA_CLI } from './systems.js';

/**
 * `nodes` MTA processes on one queue (a spool directory or a postgres:// URL), each relaying
 * everything to `relayPort`, as people run them: `node dist/cli.js -c FILE`, fsync on, the JSON
 * log at info (two lines a message) to a file, as Postfix's goes to its maillog.
 */
export async function startNodes(
  nodes: number,
  queue: string | undefined,
  relayPort: number,
  where: Placement | undefined,
): Promise<{ ports: number[]; pids: number[]; stop(): Promise<void> }> {
  const started: { stop(): Promise<void> }[] = [];
  const stop = async (): Promise<void> => {
    for (const s of started.splice(0).reverse()) await s.stop();
  };
  const ports: number[] = [];
  const pids: number[] = [];
  try {
    for (let i = 0; i < nodes; i++) {
      const dir = await makeTempDir('bench-node');
      const port = await freePort();
      const configFile = join(dir.path, 'mta.json');
      const config = {
        listen: { mx: [`127.0.0.1:${port}`], submission: [], submissions: [] },
        metrics: false,
        dataDir: dir.path,
        queue: queue ?? join(dir.path, 'spool'),
        localDomains: ['nodes.test'],
        delivery: { relay: `127.0.0.1:${relayPort}` },
        retry: { pollInterval: 200 },
        log: { level: 'info' },
      };
      writeFileSync(configFile, JSON.stringify(config, null, 2));
      const node = await startServerProcess(
        `MTA node ${i + 1}`,
        process.execPath,
        [MTA_CLI, '-c', configFile],
        {
          port,
          timeoutMs: 30_000,
          cwd: dir.path,
          stdoutFile: join(dir.path, 'stdout'),
          stderrFile: join(dir.path, 'log.jsonl'),
          cleanup: () => dir.remove(),
        },
      );
      started.push({
        async stop() {
          await node.stop(20_000);
          await dir.remove();
        },
      });
      if (where !== undefined) pinProcess(node.pid, where.system);
      ports.push(port);
      pids.push(node.pid);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { ports, pids, stop };
}
