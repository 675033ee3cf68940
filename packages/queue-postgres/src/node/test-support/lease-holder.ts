// A node that leases work and then hangs (the test kills it with SIGKILL): argv url, schema,
// owner, lease ms. Prints one JSON line with the lease ids it holds.
import { openPostgresQueue } from '../open-postgres-queue.js';

const [url, schema, owner, leaseMs] = process.argv.slice(2) as [string, string, string, string];
const queue = await openPostgresQueue({ url, schema, poolSize: 1 });
const leases = await queue.lease({ owner, limit: 100, leaseMs: Number(leaseMs), now: Date.now() });
process.stdout.write(`${JSON.stringify(leases.map((l) => l.leaseId))}\n`);
setInterval(() => undefined, 60_000);
