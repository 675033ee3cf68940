// MT-PRIORITY parameter parsing through a registry. Run with `pnpm bench` (~1 s per case).
import { createRegistry, type SessionContext } from '@smtpkit/extensions';
import { greetedSession, medianRows } from '@smtpkit/testing';
import { Bench } from 'tinybench';
import { mtPriority, parsePriorityValue } from '../src/index.js';

const registry = createRegistry([mtPriority()]);
const ctx: SessionContext = greetedSession();
const params = [{ keyword: 'MT-PRIORITY', value: '-4' }];

const bench = new Bench({ time: 1000, warmupTime: 200 });
bench
  .add('parsePriorityValue', () => {
    parsePriorityValue('-4');
  })
  .add('registry.parseMailParams MT-PRIORITY', () => {
    registry.parseMailParams(params, ctx);
  });
await bench.run();
console.table(medianRows(bench.tasks));
