// Sums a V8 CPU profile (`node --cpu-prof` writes one .cpuprofile per process) by self time: per
// function and per place (which package, Node's own code, the garbage collector, idle), so a
// profile of the MTA under load can be read without DevTools.
//
//   node --import tsx bench/profile-summary.ts FILE.cpuprofile [TOP] [--skip-ms MS]
//
// --skip-ms leaves out the first MS of the profile (the process's start-up: module loading, the
// self-signed certificate). On a process pinned to one CPU, an async fs or socket call lands in
// its binding (`writeBuffers`, `read`, `fdatasync`, `writeString`) for as long as the thread-pool
// thread it woke runs instead of the main thread: those entries are where I/O hand-offs cost,
// not JavaScript work.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a function lives: a package of this repository, a dependency, Node, or V8's own. */
export function placeOf(url: string, functionName: string): string {
  if (url === '') return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep?.[1] !== undefined) return dep[1];
  const ours = /\/(packages|apps)\/([^/]+)\//.exec(url);
  if (ours?.[2] !== undefined) return `${ours[1] === 'apps' ? 'apps/' : '@smtpkit/'}${ours[2]}`;
  if (url.startsWith('node:')) return 'node (JS)';
  return url;
}

/** Self time in ms per key, largest first. */
function top(map: Map<string, number>, n: number): [string, number][] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
}

function main(): void {
  const file = process.argv[2];
  if (file === undefined) {
    console.error('usage: profile-summary FILE.cpuprofile [TOP]');
    process.exitCode = 2;
    return;
  }
  const args = process.argv.slice(3);
  const skipAt = args.indexOf('--skip-ms');
  const skipMs = skipAt === -1 ? 0 : Number(args[skipAt + 1] ?? '0');
  const count = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--skip-ms') ?? '30');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const perFunction = new Map<string, number>();
  const perPlace = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    at += ms;
    const node = byId.get(id);
    if (node === undefined || at < skipMs) return;
    const { functionName, url, lineNumber } = node.callFrame;
    total += ms;
    if (functionName === '(idle)') {
      idle += ms;
      return;
    }
    const place = placeOf(url, functionName);
    const where =
      url === ''
        ? ''
        : ` ${url.replace(/^.*\/(packages|apps|node_modules)\//, '$1/')}:${lineNumber + 1}`;
    const key = `${functionName || '(anonymous)'}${where}`;
    perFunction.set(key, (perFunction.get(key) ?? 0) + ms);
    perPlace.set(place, (perPlace.get(place) ?? 0) + ms);
  });
  const busy = total - idle;
  const pct = (ms: number): string => `${((100 * ms) / busy).toFixed(1)}%`;
  console.log(
    `${file}: ${total.toFixed(0)} ms sampled after the first ${skipMs} ms, ${busy.toFixed(0)} ms busy (not idle)\n`,
  );
  console.log('self time by place (share of busy time)');
  for (const [place, ms] of top(perPlace, 20)) console.log(`  ${pct(ms).padStart(6)}  ${place}`);
  console.log(`\nself time by function, top ${count}`);
  for (const [key, ms] of top(perFunction, count)) console.log(`  ${pct(ms).padStart(6)}  ${key}`);
}

main();
