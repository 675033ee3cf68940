import { spawnSync } from 'node:child_process';

/**
 * Whether a real peer program is available. Under `CI=true` a missing peer is a failure, never a
 * skip: `requirePeer` throws there; elsewhere it returns a reason to print with `it.skipIf`.
 */
export function findPeer(command: string, args: readonly string[] = ['--version']): boolean {
  const r = spawnSync(command, args, { stdio: 'ignore' });
  return r.error === undefined;
}

export function isCi(): boolean {
  return process.env['CI'] === 'true' || process.env['CI'] === '1';
}

/**
 * Returns undefined when the peer is present, or the reason to skip. Throws under CI.
 */
export function peerSkipReason(
  command: string,
  args: readonly string[] = ['--version'],
): string | undefined {
  if (findPeer(command, args)) return undefined;
  const reason = `peer '${command}' is not installed`;
  if (isCi()) throw new Error(`${reason} (CI=true: a missing peer is a failure)`);
  console.warn(`skipping: ${reason}`);
  return reason;
}
