// @smtpkit/dsn: building and parsing a bounce. Run with `pnpm bench` (~1 s per case).
import { medianRows } from '@smtpkit/testing';
import { Bench } from 'tinybench';
import { type BuildDsnOptions, buildDsn, parseDsn } from '../src/index.js';

const encoder = new TextEncoder();
const body = 'A line of an ordinary message body, long enough to be typical.\r\n'.repeat(600);
const original = encoder.encode(
  `From: alice@example.com\r\nTo: many@example.org\r\nSubject: the quarterly report\r\n\r\n${body}`,
);

function options(recipients: number): BuildDsnOptions {
  return {
    reportingMta: 'mx.example.com',
    envelope: { sender: 'alice@example.com', envid: 'QQ314159', receivedAt: 0 },
    recipients: Array.from({ length: recipients }, (_, i) => ({
      address: `user${i}@example.org`,
      orcpt: { addrType: 'rfc822', address: `user${i}@example.org` },
      action: 'failed' as const,
      reply: {
        code: 550,
        enhanced: '5.1.1',
        text: 'The email account that you tried to reach does not exist. Please check the address.',
        remoteMta: 'mx.example.org',
      },
    })),
    original,
    now: 0,
    messageId: 'bench.1',
  };
}

const one = options(1);
const fifty = options(50);
const oneBytes = buildDsn(one).message;
const fiftyBytes = buildDsn(fifty).message;

const bench = new Bench({ time: 1000, warmupTime: 200 });
bench
  .add(`buildDsn: 1 recipient, ${original.length} B returned`, () => {
    buildDsn(one);
  })
  .add('buildDsn: 50 recipients', () => {
    buildDsn(fifty);
  })
  .add(`parseDsn: 1 recipient (${oneBytes.length} B)`, () => {
    parseDsn(oneBytes);
  })
  .add(`parseDsn: 50 recipients (${fiftyBytes.length} B)`, () => {
    parseDsn(fiftyBytes);
  });
await bench.run();
console.table(medianRows(bench.tasks));
