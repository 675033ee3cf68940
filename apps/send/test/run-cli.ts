// Runs the built sender the way a person or a script does: `node dist/cli.js ARGS`, bounded in
// time, its exit status, stdout and stderr returned.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from '@smtpkit/testing';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');

/** What one run of the sender did. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout split into lines, without the last empty one. */
  readonly lines: readonly string[];
}

export async function runCli(
  args: readonly string[],
  options: { input?: string | Uint8Array; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliRun> {
  const r = await runProcess(process.execPath, [cli, ...args], {
    timeoutMs: options.timeoutMs ?? 20_000,
    allowFailure: true,
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.env === undefined ? {} : { env: options.env }),
  });
  return {
    status: r.exitCode,
    stdout: r.stdout,
    stderr: r.stderr,
    lines: r.stdout.split('\n').filter((l) => l !== ''),
  };
}
