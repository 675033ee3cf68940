/*
 * Benchmarks of the hot functions of @smtpkit/server's SASL and PROXY parts.
 * Run: pnpm bench (node --import tsx bench/index.ts). Each case runs ~0.5 s.
 */

import {
  createPlainMechanism,
  createScramSha256Client,
  createScramSha256Mechanism,
  decodeBase64Strict,
  encodeBase64,
  scramCredentials,
} from '@smtpkit/sasl';
import { nodeSaslCrypto } from '@smtpkit/sasl/node';
import { Bench } from 'tinybench';
import {
  createAllowList,
  createProxyHeaderParser,
  encodeProxyV2,
  parseXclientArguments,
} from '../src/index.js';

const enc = new TextEncoder();
const v1 = enc.encode('PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\nEHLO x\r\n');
const v2 = encodeProxyV2({
  command: 'proxy',
  addresses: {
    family: 'ipv6',
    protocol: 'stream',
    sourceAddress: '2001:db8::7',
    destinationAddress: '2001:db8::25',
    sourcePort: 40000,
    destinationPort: 25,
  },
  tlvs: [
    { type: 0x02, value: enc.encode('mx.example.org') },
    { type: 0x05, value: new Uint8Array(32) },
  ],
  crc32c: true,
});
const allow = createAllowList([
  '127.0.0.0/8',
  '::1',
  '10.0.0.0/8',
  '2001:db8::/32',
  '192.0.2.0/24',
]);
const plainIr = encodeBase64('\0tim\0tanstaaf');
const longB64 = encodeBase64(new Uint8Array(9000).fill(65));
const salt = new Uint8Array(16).fill(7);
const stored = scramCredentials('pencil', salt, 4096, nodeSaslCrypto);

const bench = new Bench({ time: 500, warmupTime: 100 });
bench
  .add('PROXY v1 header, one chunk', () => {
    createProxyHeaderParser().push(v1);
  })
  .add('PROXY v2 header (IPv6, TLVs, CRC32c), one chunk', () => {
    createProxyHeaderParser().push(v2);
  })
  .add('allow-list check (5 CIDR blocks, IPv6 peer)', () => {
    allow.allows('2001:db8::99');
  })
  .add('XCLIENT arguments (5 attributes)', () => {
    parseXclientArguments(
      'NAME=mail.example.org ADDR=IPV6:2001:db8::1 PORT=4711 PROTO=ESMTP HELO=mail.example.org',
    );
  })
  .add('strict base64 decode, 12 KB line', () => {
    decodeBase64Strict(longB64);
  })
  .add('PLAIN exchange to verify step', () => {
    createPlainMechanism().start(plainIr);
  })
  .add('SCRAM-SHA-256 full exchange, 4096 iterations (client PBKDF2 dominates)', () => {
    const server = createScramSha256Mechanism({ crypto: nodeSaslCrypto });
    const client = createScramSha256Client({
      crypto: nodeSaslCrypto,
      username: 'user',
      password: 'pencil',
    });
    server.start(client.initialResponse());
    const first = server.secrets(stored);
    if (first.kind !== 'challenge') throw new Error(first.kind);
    const verify = server.next(client.respond(first.data));
    if (verify.kind !== 'verify') throw new Error(verify.kind);
    const last = server.verified({ kind: 'accept' });
    if (last.kind !== 'challenge') throw new Error(last.kind);
    server.next(client.respond(last.data));
  });

await bench.run();
console.table(
  bench.tasks.map((t) => {
    const r = t.result as { latency?: { p50?: number }; throughput?: { p50?: number } } | undefined;
    return {
      case: t.name,
      'median latency (µs)': Number(((r?.latency?.p50 ?? Number.NaN) * 1000).toFixed(3)),
      'median ops/s': Math.round(r?.throughput?.p50 ?? Number.NaN),
    };
  }),
);
