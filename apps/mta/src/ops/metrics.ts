import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { HostPort } from '../config/config-schema.js';

/**
 * The MTA's Prometheus metrics (prom-client), served as `GET /metrics`: the queue's size (read
 * from the store at each scrape, so it is the shared queue's when nodes share one), deliveries,
 * deferrals, bounces, messages received and connections.
 */
export function createMetrics(options: {
  readonly queueStats: () => Promise<{
    messages: number;
    pendingRecipients: number;
    leased: number;
  }>;
  readonly connections: () => number;
}) {
  const registry = new Registry();
  const queueMessages = new Gauge({
    name: 'smtpkit_queue_messages',
    help: 'Messages in the queue',
    registers: [registry],
  });
  const queueRecipients = new Gauge({
    name: 'smtpkit_queue_pending_recipients',
    help: 'Recipients waiting for delivery',
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'smtpkit_queue_leased',
    help: 'Deliveries in progress (leases held)',
    registers: [registry],
  });
  new Gauge({
    name: 'smtpkit_connections',
    help: 'Open SMTP connections',
    registers: [registry],
    collect() {
      this.set(options.connections());
    },
  });
  const received = new Counter({
    name: 'smtpkit_messages_received_total',
    help: 'Messages accepted and queued',
    labelNames: ['listener'],
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'smtpkit_deliveries_total',
    help: 'Recipients delivered',
    labelNames: ['destination'],
    registers: [registry],
  });
  const deferrals = new Counter({
    name: 'smtpkit_deferrals_total',
    help: 'Recipients deferred for a later attempt',
    registers: [registry],
  });
  const bounces = new Counter({
    name: 'smtpkit_bounces_total',
    help: 'Recipients failed (a DSN was or will be sent)',
    registers: [registry],
  });
  const notices = new Counter({
    name: 'smtpkit_dsn_total',
    help: 'Delivery status notifications queued',
    labelNames: ['kind'],
    registers: [registry],
  });

  let server: Server | undefined;
  return {
    registry,
    received,
    deliveries,
    deferrals,
    bounces,
    notices,
    /** Serves `/metrics` on `address`; resolves with the bound address. */
    async listen(address: HostPort): Promise<HostPort> {
      server = createServer((req, res) => {
        if (req.method !== 'GET' || req.url !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        options
          .queueStats()
          .then((s) => {
            queueMessages.set(s.messages);
            queueRecipients.set(s.pendingRecipients);
            inFlight.set(s.leased);
            return registry.metrics();
          })
          .then(
            (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
            (e: unknown) => res.writeHead(500).end(String((e as Error).message)),
          );
      });
      const bound = server;
      await new Promise<void>((resolve, reject) => {
        bound.once('error', reject);
        bound.listen(address.port, address.host, () => resolve());
      });
      const a = bound.address();
      return typeof a === 'object' && a !== null ? { host: a.address, port: a.port } : address;
    },
    async close(): Promise<void> {
      const s = server;
      if (s === undefined) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}

/** The metrics of a running MTA. */
export type Metrics = ReturnType<typeof createMetrics>;
