import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { peerSkipReason } from '../peers.js';
import { freePort } from './free-port.js';
import { PeerError } from './peer-error.js';
import type { ManagedProcess } from './run-process.js';
import { startServerProcess } from './start-server-process.js';

/** Debian's dnsmasq (package dnsmasq-base). */
export const DNSMASQ = '/usr/sbin/dnsmasq';

/** One MX record served by {@link startDnsmasq}: `--mx-host=domain,host,preference`. */
export interface DnsmasqMxRecord {
  readonly domain: string;
  /** The exchange's name. */
  readonly host: string;
  /** 0-65535. */
  readonly preference: number;
}

/** One name and its addresses served by {@link startDnsmasq}: `--host-record=name,addr,...`. */
export interface DnsmasqHostRecord {
  readonly name: string;
  /** IPv4 addresses become A records, IPv6 addresses AAAA records. At least one. */
  readonly addresses: readonly string[];
}

/** Options of {@link startDnsmasq}. */
export interface DnsmasqOptions {
  /** Listen address, default `127.0.0.1`. */
  readonly host?: string;
  /** Default: a free port (retried on another port if dnsmasq cannot bind it). */
  readonly port?: number;
  /**
   * Domains answered from the records given here alone (`--local=/domain/`): any other name in
   * them gets NXDOMAIN, a known name asked for a type it lacks gets NODATA. Names outside every
   * local domain get REFUSED (no upstream server). Default `['test']` (RFC 2606).
   */
  readonly localDomains?: readonly string[];
  readonly mx?: readonly DnsmasqMxRecord[];
  /** Domains that publish a null MX (RFC 7505: one MX, preference 0, host "."). */
  readonly nullMx?: readonly string[];
  readonly hosts?: readonly DnsmasqHostRecord[];
  /**
   * Domains whose queries dnsmasq forwards to a UDP socket of this process that never answers,
   * so a client's query times out (the DNS server's side of a temporary failure).
   */
  readonly unansweredDomains?: readonly string[];
  /** `--log-queries`: every query and answer in `output()`. Default false. */
  readonly logQueries?: boolean;
  /** Bound on waiting for dnsmasq to listen. Default 10 s. */
  readonly startTimeoutMs?: number;
}

/** A running dnsmasq. */
export interface Dnsmasq {
  readonly host: string;
  readonly port: number;
  /** `host:port`, for `resolver.setServers([dns.server])`. */
  readonly server: string;
  readonly pid: number;
  readonly process: ManagedProcess;
  /** What dnsmasq logged so far (its log goes to stderr). */
  output(): string;
  /** Stops dnsmasq by PID and closes the silent socket of `unansweredDomains`. */
  stop(): Promise<void>;
}

/**
 * Why dnsmasq cannot run here, or undefined (throws under CI=true when missing).
 *
 * @example
 * ```ts
 * describe.skipIf(dnsmasqSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function dnsmasqSkipReason(): string | undefined {
  return peerSkipReason(DNSMASQ, ['--version']);
}

// A name that can sit inside a comma-separated dnsmasq option and nothing more.
const NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?$/;

function checkName(name: string, what: string): string {
  if (!NAME.test(name) || name.includes('..')) {
    throw new PeerError('ERR_PEER_USAGE', `dnsmasq: not a plain domain name for ${what}: ${name}`);
  }
  return name;
}

function checkAddress(address: string, name: string): string {
  if (isIP(address) === 0) {
    throw new PeerError('ERR_PEER_USAGE', `dnsmasq: not an IP address for ${name}: ${address}`);
  }
  return address;
}

/** The dnsmasq arguments of the records in `options` (validated: nothing can add an option). */
function dnsmasqRecordArgs(options: DnsmasqOptions, silentServer?: string): string[] {
  const args: string[] = [];
  for (const d of options.localDomains ?? ['test']) args.push(`--local=/${checkName(d, 'local')}/`);
  for (const r of options.mx ?? []) {
    if (!Number.isInteger(r.preference) || r.preference < 0 || r.preference > 65535) {
      throw new PeerError('ERR_PEER_USAGE', `dnsmasq: MX preference out of range: ${r.preference}`);
    }
    args.push(`--mx-host=${checkName(r.domain, 'mx')},${checkName(r.host, 'mx')},${r.preference}`);
  }
  for (const d of options.nullMx ?? []) args.push(`--mx-host=${checkName(d, 'null MX')},.,0`);
  for (const h of options.hosts ?? []) {
    if (h.addresses.length === 0) {
      throw new PeerError('ERR_PEER_USAGE', `dnsmasq: host record without address: ${h.name}`);
    }
    const addresses = h.addresses.map((a) => checkAddress(a, h.name));
    args.push(`--host-record=${[checkName(h.name, 'host'), ...addresses].join(',')}`);
  }
  for (const d of options.unansweredDomains ?? []) {
    if (silentServer === undefined) {
      throw new PeerError('ERR_PEER_USAGE', 'dnsmasq: unansweredDomains need a silent server');
    }
    args.push(`--server=/${checkName(d, 'unanswered')}/${silentServer}`);
  }
  return args;
}

/** A UDP socket on 127.0.0.1 that reads queries and answers none. */
function openSilentSocket(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.on('message', () => {
      // swallowed: the querier times out
    });
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve(socket));
  });
}

/**
 * Starts dnsmasq as a DNS server on loopback serving only the records given (`--no-resolv
 * --no-hosts --conf-file=/dev/null --pid-file=`, no system configuration, no PID file, no DHCP),
 * in the foreground on a high port, and waits until it listens. Started as root, dnsmasq binds
 * and then drops to `nobody` on its own; started as another user, it runs as that user. Stop it
 * with `stop()` (by PID).
 *
 * @example
 * ```ts
 * import { Resolver } from 'node:dns/promises';
 * const dns = await startDnsmasq({
 *   mx: [{ domain: 'example.test', host: 'mx.example.test', preference: 10 }],
 *   hosts: [{ name: 'mx.example.test', addresses: ['127.0.0.1', '::1'] }],
 *   nullMx: ['nomail.test'],
 * });
 * const resolver = new Resolver();
 * resolver.setServers([dns.server]);
 * console.log(await resolver.resolveMx('example.test')); // [{ exchange: 'mx.example.test', priority: 10 }]
 * await dns.stop();
 * ```
 */
export async function startDnsmasq(options: DnsmasqOptions = {}): Promise<Dnsmasq> {
  const host = options.host ?? '127.0.0.1';
  checkAddress(host, 'the listen address');
  const silent =
    (options.unansweredDomains?.length ?? 0) > 0 ? await openSilentSocket() : undefined;
  const silentAddress = silent?.address();
  let records: string[];
  try {
    records = dnsmasqRecordArgs(
      options,
      silentAddress === undefined ? undefined : `${silentAddress.address}#${silentAddress.port}`,
    );
  } catch (e) {
    silent?.close();
    throw e;
  }
  const closeSilent = async (): Promise<void> => {
    if (silent !== undefined) await new Promise<void>((r) => silent.close(() => r()));
  };
  // A port found free over TCP may still be taken over UDP: try a few ports unless one was given.
  const attempts = options.port === undefined ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort(host));
    const args = [
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--pid-file=',
      '--no-resolv',
      '--no-hosts',
      `--port=${port}`,
      `--listen-address=${host}`,
      '--bind-interfaces',
      '--log-facility=-',
      ...(options.logQueries === true ? ['--log-queries'] : []),
      ...records,
    ];
    let process: ManagedProcess;
    try {
      process = await startServerProcess('dnsmasq', DNSMASQ, args, {
        host,
        port,
        timeoutMs: options.startTimeoutMs ?? 10_000,
      });
    } catch (e) {
      if (attempt < attempts) continue;
      await closeSilent();
      throw e;
    }
    return {
      host,
      port,
      server: isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`,
      pid: process.pid,
      process,
      output: () => process.output().stderr,
      async stop() {
        await process.stop();
        await closeSilent();
      },
    };
  }
}
