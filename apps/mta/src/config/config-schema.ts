import { isIP } from 'node:net';
import { z } from 'zod';
import { parseDuration } from './duration.js';

/** `HOST:PORT` or `[IPv6]:PORT`; port 0 asks the system for a free one. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/;

/**
 * Reads `127.0.0.1:2525`, `[::1]:2525`, `localhost:2525`.
 *
 * @example
 * ```ts
 * parseHostPort('[::1]:2525'); // { host: '::1', port: 2525 }
 * ```
 */
export function parseHostPort(text: string): HostPort | undefined {
  const match = HOST_PORT.exec(text);
  if (match === null) return undefined;
  const host = match[1] ?? match[2] ?? '';
  if (match[1] !== undefined && isIP(host) !== 6) return undefined;
  const port = Number(match[3]);
  return port <= 65_535 ? { host, port } : undefined;
}

/** `[::1]:25` for IPv6, `host:25` otherwise. */
export function formatHostPort(address: HostPort): string {
  return isIP(address.host) === 6
    ? `[${address.host}]:${address.port}`
    : `${address.host}:${address.port}`;
}

const hostPort = z.string().transform((text, ctx) => {
  const parsed = parseHostPort(text);
  if (parsed === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected HOST:PORT, got ${JSON.stringify(text)}` });
    return z.NEVER;
  }
  return parsed;
});

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration such as 300s, 5m, 4h, 5d or milliseconds, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return ms;
});

/** `10.0.0.0/8`, `192.0.2.7`, `::1/128`. */
const network = z.string().refine(
  (text) => {
    const [address = '', prefix, ...rest] = text.split('/');
    if (rest.length > 0 || isIP(address) === 0) return false;
    if (prefix === undefined) return true;
    const bits = Number(prefix);
    return /^\d+$/.test(prefix) && bits <= (isIP(address) === 4 ? 32 : 128);
  },
  { message: 'expected an IP address or a network such as 10.0.0.0/8' },
);

const domain = z
  .string()
  .min(1)
  .transform((d) => d.toLowerCase().replace(/\.$/, ''));

const localPart = z.string().min(1);

/**
 * The MTA's configuration: one file (YAML or JSON), every key optional, the embedded defaults
 * making a working MTA on 127.0.0.1 high ports with everything under `./var`.
 */
export const configSchema = z
  .object({
    /** The name in the banner, EHLO, `Received:` and DSNs; default the host's name. */
    hostname: z.string().min(1).optional(),
    /** Root of the state: spool, mailboxes, the generated certificate. */
    dataDir: z.string().min(1).default('./var'),
    listen: z
      .object({
        /** MX: mail for the local domains from anyone; relaying only for trusted clients. */
        mx: z.array(hostPort).default(['127.0.0.1:2525'].map((t) => parseHostPort(t) as HostPort)),
        /** Submission (RFC 6409): STARTTLS, then AUTH required. */
        submission: z
          .array(hostPort)
          .default(['127.0.0.1:2587'].map((t) => parseHostPort(t) as HostPort)),
        /** Implicit-TLS submission (RFC 8314 §3.3): AUTH required. */
        submissions: z
          .array(hostPort)
          .default(['127.0.0.1:2465'].map((t) => parseHostPort(t) as HostPort)),
      })
      .strict()
      .default({
        mx: [{ host: '127.0.0.1', port: 2525 }],
        submission: [{ host: '127.0.0.1', port: 2587 }],
        submissions: [{ host: '127.0.0.1', port: 2465 }],
      }),
    tls: z
      .object({ key: z.string().min(1), cert: z.string().min(1) })
      .strict()
      .optional(),
    /**
     * The queue: a spool directory (default `DATA_DIR/spool`), or a `postgres://` URL of a
     * database that several nodes share (`@smtpkit/queue-postgres`).
     */
    queue: z.string().min(1).optional(),
    /** Skip fsync (tests and benchmarks of other things only: not durable). */
    unsafeNoFsync: z.boolean().default(false),
    /** Domains delivered here. */
    localDomains: z.array(domain).default(['localhost']),
    /** Every address of the local domains goes to one Maildir, `MAILBOXES/catch-all/`. */
    catchAll: z.boolean().default(false),
    /** Root of the Maildirs (`MAILBOXES/<user>/`); default `DATA_DIR/mail`. */
    mailboxes: z.string().min(1).optional(),
    /** Local delivery by LMTP to this server instead of Maildir. */
    lmtp: hostPort.optional(),
    /** Users of submission: a file of `name:$scrypt$…` lines; default `DATA_DIR/users`. */
    users: z.string().min(1).optional(),
    /** Local part → where it goes (local parts or addresses); `postmaster` defaults to `root`. */
    aliases: z
      .record(localPart, z.union([z.string().min(1), z.array(z.string().min(1))]))
      .default({}),
    /**
     * Clients that may relay without AUTH (Postfix's mynetworks). Default: this host's loopback
     * address only, as Postfix's `mynetworks_style = host`; `[]` trusts nobody.
     */
    relayNetworks: z.array(network).default(['127.0.0.1/32', '::1/128']),
    delivery: z
      .object({
        /** Relay every non-local message to this smarthost (no DNS). */
        relay: hostPort.optional(),
        /** The port MX hosts are reached on (25; tests use a high one). */
        mxPort: z.number().int().min(1).max(65_535).default(25),
        /** DNS servers for MX lookups (`HOST:PORT`); default the system's. */
        dnsServers: z.array(z.string().min(1)).optional(),
        /** Opportunistic STARTTLS (RFC 3207) by default. */
        tls: z.enum(['none', 'opportunistic', 'required']).default('opportunistic'),
        /** Connections kept to the smarthost. */
        relayConnections: z.number().int().min(1).default(20),
        /**
         * The client's waits (Postfix's `smtp_connect_timeout`, `smtp_helo_timeout`, …); each
         * absent one keeps @smtpkit/client's default, RFC 5321 §4.5.3.2's (greeting 5 min, …).
         */
        timeouts: z
          .object({
            connect: duration.optional(),
            tlsHandshake: duration.optional(),
            greeting: duration.optional(),
            mail: duration.optional(),
            rcpt: duration.optional(),
            dataInit: duration.optional(),
            dataBlock: duration.optional(),
            dataTermination: duration.optional(),
            command: duration.optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({ mxPort: 25, tls: 'opportunistic', relayConnections: 20 }),
    retry: z
      .object({
        minBackoff: duration.default(300_000),
        maxBackoff: duration.default(4_000_000),
        maxLifetime: duration.default(5 * 86_400_000),
        bounceLifetime: duration.default(5 * 86_400_000),
        delayWarning: duration.default(4 * 3_600_000),
        pollInterval: duration.default(1000),
        /**
         * How long a delivery's claim on its work holds (renewed every third of it while the
         * delivery runs): the work of a node that died is taken over by another after this.
         */
        leaseTime: duration.default(300_000),
      })
      .strict()
      .default({
        minBackoff: 300_000,
        maxBackoff: 4_000_000,
        maxLifetime: 5 * 86_400_000,
        bounceLifetime: 5 * 86_400_000,
        delayWarning: 4 * 3_600_000,
        pollInterval: 1000,
        leaseTime: 300_000,
      }),
    concurrency: z
      .object({
        total: z.number().int().min(1).default(100),
        perDestination: z.number().int().min(1).default(20),
      })
      .strict()
      .default({ total: 100, perDestination: 20 }),
    limits: z
      .object({
        /** RFC 1870 SIZE; Postfix's message_size_limit. */
        messageSize: z.number().int().min(0).default(10_240_000),
        /**
         * RFC 5321 §6.3 loop detection: more `Received:` fields than this is refused ("a large
         * rejection threshold, normally at least 100 Received entries").
         */
        maxHops: z.number().int().min(1).default(100),
        connections: z.number().int().min(1).default(1000),
        connectionsPerIp: z.number().int().min(1).default(50),
        recipients: z.number().int().min(1).default(1000),
      })
      .strict()
      .default({
        messageSize: 10_240_000,
        maxHops: 100,
        connections: 1000,
        connectionsPerIp: 50,
        recipients: 1000,
      }),
    /** Prometheus metrics (`/metrics`); `false` turns it off. */
    metrics: z.union([hostPort, z.literal(false)]).default({ host: '127.0.0.1', port: 2580 }),
    log: z
      .object({ level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info') })
      .strict()
      .default({ level: 'info' }),
  })
  .strict();

/** The configuration as written (before defaults). */
export type MtaConfigInput = z.input<typeof configSchema>;
/** The configuration with every default filled in. */
export type MtaConfig = z.output<typeof configSchema>;
