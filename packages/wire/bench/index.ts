/**
 * Benchmarks of the command and reply side of @smtpkit/wire, run by `pnpm bench`: commands parsed
 * per second for a pipelined transaction, replies read per second, EHLO capability parsing and the
 * writers. Each case runs for about one second; medians are printed. When the message-data half's
 * `bench/data.ts` exists, its `runDataBench()` runs afterwards.
 */
import { existsSync } from 'node:fs';
import { Bench } from 'tinybench';
import {
  CommandReader,
  formatCommand,
  formatReply,
  parseCommand,
  parseEhloReply,
  ReplyReader,
} from '../src/index.js';

const encoder = new TextEncoder();

// One pipelined transaction (RFC 2920): 8 command lines in one chunk.
const transactionLines = [
  'EHLO client.example.org',
  'MAIL FROM:<sender.name@example.org> SIZE=12345 BODY=8BITMIME ENVID=QQ314159',
  'RCPT TO:<first.recipient@example.com> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;first.recipient@example.com',
  'RCPT TO:<second@example.com>',
  'RCPT TO:<"quoted local"@[192.0.2.1]>',
  'RCPT TO:<Postmaster>',
  'DATA',
  'QUIT',
];
const transaction = encoder.encode(transactionLines.map((l) => `${l}\r\n`).join(''));
const transactionBytewise = Array.from(transaction, (_, i) => transaction.subarray(i, i + 1));

const replyStream = encoder.encode(
  [
    '220 mx.example.com ESMTP ready',
    '250-mx.example.com greets client.example.org',
    '250-PIPELINING',
    '250-SIZE 35882577',
    '250-8BITMIME',
    '250-AUTH LOGIN PLAIN XOAUTH2',
    '250-ENHANCEDSTATUSCODES',
    '250-CHUNKING',
    '250 SMTPUTF8',
    '250 2.1.0 Sender ok',
    '250 2.1.5 Recipient ok',
    '550-5.1.1 The email account that you tried to reach does not exist.',
    '550 5.1.1 Please check the address.',
    '354 Start mail input; end with <CRLF>.<CRLF>',
    '250 2.0.0 Ok: queued as 4F2A9C',
    '221 2.0.0 Bye',
  ]
    .map((l) => `${l}\r\n`)
    .join(''),
);
const REPLIES_PER_STREAM = 8;

let sink = 0;

function parsePipelined(chunks: readonly Uint8Array[]): void {
  const reader = new CommandReader();
  for (const chunk of chunks) {
    reader.push(chunk);
    for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) sink++;
  }
}

function readReplies(): void {
  const reader = new ReplyReader();
  reader.push(replyStream);
  for (let e = reader.next(); e.type !== 'need-data'; e = reader.next()) sink++;
}

const ehlo = parseCommand('EHLO x.example');
const mail = parseCommand(transactionLines[1] as string);
const ehloReply = (() => {
  const reader = new ReplyReader();
  reader.push(replyStream);
  reader.next();
  const e = reader.next();
  if (e.type !== 'reply') throw new Error('bench setup');
  return e.reply;
})();

const bench = new Bench({ time: 1000, warmupTime: 200 });
bench
  .add('CommandReader: pipelined transaction (8 commands, one chunk)', () =>
    parsePipelined([transaction]),
  )
  .add('CommandReader: same transaction, one byte per chunk', () =>
    parsePipelined(transactionBytewise),
  )
  .add('parseCommand: MAIL FROM with 3 parameters', () => {
    sink += parseCommand(transactionLines[1] as string).verb.length;
  })
  .add('ReplyReader: 8 replies (16 lines, one chunk)', readReplies)
  .add('parseEhloReply: 8 capabilities', () => {
    sink += parseEhloReply(ehloReply).capabilities.size;
  })
  .add('formatCommand: MAIL FROM with 3 parameters', () => {
    sink += formatCommand(mail).length;
  })
  .add('formatCommand: EHLO', () => {
    sink += formatCommand(ehlo).length;
  })
  .add('formatReply: 9-line EHLO reply', () => {
    sink += formatReply(ehloReply).length;
  });

await bench.run();

const perTask: Record<string, number> = {
  'CommandReader: pipelined transaction (8 commands, one chunk)': transactionLines.length,
  'CommandReader: same transaction, one byte per chunk': transactionLines.length,
  'ReplyReader: 8 replies (16 lines, one chunk)': REPLIES_PER_STREAM,
};
const rows = bench.tasks.map((task) => {
  const r = task.result;
  const medianMs = r && 'latency' in r ? r.latency.p50 : Number.NaN;
  const ops = 1000 / medianMs;
  const items = perTask[task.name];
  return {
    case: task.name,
    'median (µs)': Number((medianMs * 1000).toFixed(2)),
    'ops/s (median)': Math.round(ops),
    'items/s (median)': items === undefined ? '' : Math.round(ops * items),
  };
});
console.table(rows);
if (sink < 0) console.log(sink);

const dataBench = new URL('./data.ts', import.meta.url);
if (existsSync(dataBench)) {
  const mod = (await import(dataBench.href)) as { runDataBench?: () => Promise<void> };
  if (typeof mod.runDataBench === 'function') await mod.runDataBench();
}
