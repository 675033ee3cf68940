// Hot paths of a server session: parsing MAIL/RCPT parameters through the registry, EHLO
// advertisement, and verb dispatch. Run with `pnpm bench`; each case runs ~1 s.
import { Bench } from 'tinybench';
import {
  auth,
  createRegistry,
  defaultExtensions,
  etrn,
  requireTls,
  type SessionContext,
  startTls,
} from '../src/index.js';

const registry = createRegistry([
  ...defaultExtensions({ size: { max: 10485760 } }),
  startTls(),
  auth({ mechanisms: ['PLAIN'] }),
  etrn(),
  requireTls(),
]);

const base: SessionContext = {
  phase: 'greeted',
  greeting: 'ehlo',
  lmtp: false,
  tls: true,
  authenticated: false,
  limits: { commandLine: 512 },
  mailParams: undefined,
  recipients: 0,
};
const mailParams = [
  { keyword: 'SIZE', value: '500000' },
  { keyword: 'BODY', value: '8BITMIME' },
  { keyword: 'RET', value: 'HDRS' },
  { keyword: 'ENVID', value: 'QQ314159' },
];
const rcptParams = [
  { keyword: 'NOTIFY', value: 'SUCCESS,FAILURE' },
  { keyword: 'ORCPT', value: 'rfc822;Dana@Ivory.EDU' },
];
const rcptCtx: SessionContext = { ...base, phase: 'rcpt', mailParams: { SIZE: 500000 } };

const bench = new Bench({ time: 1000, warmupTime: 200 });
bench
  .add('parseMailParams (4 params, fresh context)', () => {
    registry.parseMailParams(mailParams, { ...base });
  })
  .add('parseMailParams (4 params, same context)', () => {
    registry.parseMailParams(mailParams, base);
  })
  .add('parseRcptParams (NOTIFY + ORCPT)', () => {
    registry.parseRcptParams(rcptParams, rcptCtx);
  })
  .add('advertise (fresh context)', () => {
    registry.advertise({ ...base });
  })
  .add('dispatch BDAT 100000', () => {
    registry.dispatch('BDAT', '100000', rcptCtx);
  });

await bench.run();
console.table(
  bench.tasks.map((t) => {
    const r = t.result as { latency?: { p50?: number }; throughput?: { p50?: number } } | undefined;
    return {
      case: t.name,
      'median ns': r?.latency?.p50 === undefined ? '-' : Math.round(r.latency.p50 * 1e6),
      'median ops/s': r?.throughput?.p50 === undefined ? '-' : Math.round(r.throughput.p50),
    };
  }),
);
