// LIMITS: advertising and client-side parsing. Run with `pnpm bench` (~1 s per case).
import { createRegistry, type SessionContext } from '@smtpkit/extensions';
import { greetedSession, medianRows } from '@smtpkit/testing';
import { Bench } from 'tinybench';
import { batchRecipients, limits, parseLimits } from '../src/index.js';

const registry = createRegistry([limits({ rcptMax: 100, mailMax: 10, rcptDomainMax: 5 })]);
const ctx: SessionContext = greetedSession();
const recipients = Array.from({ length: 500 }, (_, i) => `user${i}@d${i % 20}.example`);

const bench = new Bench({ time: 1000, warmupTime: 200 });
bench
  .add('advertise LIMITS (fresh context)', () => {
    registry.advertise({ ...ctx });
  })
  .add('parseLimits (3 limits)', () => {
    parseLimits(['MAILMAX=10', 'RCPTMAX=100', 'RCPTDOMAINMAX=5']);
  })
  .add('batchRecipients (500 recipients, 20 domains)', () => {
    batchRecipients(
      recipients,
      { rcptMax: 100, rcptDomainMax: 5, other: new Map(), ignored: [] },
      (r) => r.slice(r.indexOf('@') + 1),
    );
  });
await bench.run();
console.table(medianRows(bench.tasks));
