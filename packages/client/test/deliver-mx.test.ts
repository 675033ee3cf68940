// deliverByMx against a real DNS server and real SMTP servers on loopback: dnsmasq on a high port
// serves the MX and A records, @smtpkit/server listens on addresses of 127.0.0.0/8 that stand
// for different hosts (all on one high port, the MX port of the test). What the accepting server
// stored must equal what was sent.
import { Resolver } from 'node:dns/promises';
import { formatPath } from '@smtpkit/address';
import { type Reply, ReplyException, replies } from '@smtpkit/reply';
import { createServer, type SmtpServer } from '@smtpkit/server';
import { type Dnsmasq, dnsmasqSkipReason, freePort, startDnsmasq } from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientError,
  type DeliverByMxOptions,
  deliverByMx,
  isClientError,
} from '../src/index.js';

const MESSAGE = Buffer.from(
  'From: a@example.org\r\nTo: b@mx.test\r\nSubject: by MX\r\n\r\nHello\r\n',
);

interface Host {
  readonly address: string;
  /** Connections this host accepted. */
  connections: number;
  readonly stored: { from: string; to: string[]; body: Buffer }[];
  readonly server: SmtpServer;
}

/** @smtpkit/server on `address`: greets with `greeting` (a refusal) or 220 and keeps messages. */
async function startHost(address: string, port: number, greeting?: Reply): Promise<Host> {
  const host: Host = {
    address,
    connections: 0,
    stored: [],
    server: createServer({
      hostname: `mx-${address}.test`,
      hooks: {
        connect: async () => {
          host.connections++;
          if (greeting !== undefined) throw new ReplyException(greeting);
        },
        rcpt: async (_ctx, to) => {
          if (formatPath(to, 'unicode') === '<nobody@mx.test>') {
            throw new ReplyException(replies.R550_5_1_1_NoSuchUser);
          }
        },
        data: async (_ctx, message) => {
          const chunks: Buffer[] = [];
          for await (const chunk of message.stream) chunks.push(Buffer.from(chunk));
          host.stored.push({
            from: formatPath(message.envelope.reversePath, 'unicode'),
            to: message.envelope.recipients.map((r) => formatPath(r.forwardPath, 'unicode')),
            body: Buffer.concat(chunks),
          });
        },
      },
    }),
  };
  await host.server.listen({ host: address, port });
  return host;
}

async function rejection(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    if (isClientError(e)) return e;
    throw e;
  }
  throw new Error('expected a ClientError');
}

describe.skipIf(dnsmasqSkipReason() !== undefined)('deliverByMx', { timeout: 30_000 }, () => {
  let dns: Dnsmasq;
  let resolver: Resolver;
  let port: number;
  const hosts: Host[] = [];
  let refusing: Host; // 421 greeting
  let accepting: Host; // 220
  let permanent: Host; // 554 greeting
  let implicit: Host; // the A record of a domain without MX

  beforeAll(async () => {
    dns = await startDnsmasq({
      mx: [
        // nothing listens on the first, the second greets 421, the third takes the message
        { domain: 'mx.test', host: 'down.mx.test', preference: 10 },
        { domain: 'mx.test', host: 'busy.mx.test', preference: 20 },
        { domain: 'mx.test', host: 'up.mx.test', preference: 30 },
        // a 554 greeting before a host that would accept
        { domain: 'closed.test', host: 'no.closed.test', preference: 10 },
        { domain: 'closed.test', host: 'up.mx.test', preference: 20 },
        // every host fails for now
        { domain: 'later.test', host: 'down.mx.test', preference: 10 },
        { domain: 'later.test', host: 'busy.mx.test', preference: 20 },
      ],
      nullMx: ['nullmx.test'],
      hosts: [
        { name: 'down.mx.test', addresses: ['127.0.0.51'] },
        { name: 'busy.mx.test', addresses: ['127.0.0.52'] },
        { name: 'up.mx.test', addresses: ['127.0.0.53'] },
        { name: 'no.closed.test', addresses: ['127.0.0.54'] },
        { name: 'plain.test', addresses: ['127.0.0.55'] },
      ],
    });
    resolver = new Resolver({ timeout: 3000, tries: 1 });
    resolver.setServers([dns.server]);
    port = await freePort('127.0.0.53');
    refusing = await startHost('127.0.0.52', port, replies.R421_4_3_2_ShuttingDown);
    accepting = await startHost('127.0.0.53', port);
    permanent = await startHost('127.0.0.54', port, replies.R554_NoSmtpServiceHere);
    implicit = await startHost('127.0.0.55', port);
    hosts.push(refusing, accepting, permanent, implicit);
  }, 20_000);

  afterAll(async () => {
    resolver?.cancel();
    await Promise.all(hosts.map((h) => h.server.close({ graceful: false })));
    await dns?.stop();
  });

  const options = (more: DeliverByMxOptions = {}): DeliverByMxOptions => ({
    resolver,
    port,
    tls: 'none',
    hostname: 'client.test',
    queryTimeoutMs: 2000,
    attemptTimeoutMs: 5000,
    ...more,
  });

  it('passes a refused connection and a 421 greeting, and delivers to the next MX', async () => {
    const before = { refusing: refusing.connections, accepting: accepting.stored.length };
    const delivery = await deliverByMx(
      'mx.test',
      { from: 'a@example.org', to: ['b@mx.test', 'c@mx.test'] },
      MESSAGE,
      options(),
    );
    expect(delivery.attempts.map((a) => [a.target.host, a.target.address, a.outcome])).toEqual([
      ['down.mx.test', '127.0.0.51', 'next'],
      ['busy.mx.test', '127.0.0.52', 'next'],
      ['up.mx.test', '127.0.0.53', 'accepted'],
    ]);
    const [down, busy] = delivery.attempts.map((a) => a.error as ClientError);
    expect(down?.code).toBe('ERR_CLIENT_CONNECT');
    // Before EHLO there is no enhanced status code (RFC 2034 §3).
    expect([busy?.code, busy?.replyCode, busy?.enhancedCode]).toEqual([
      'ERR_CLIENT_REPLY',
      421,
      undefined,
    ]);
    expect(busy?.reply?.lines).toEqual(['Service shutting down, closing connection']);
    expect(refusing.connections).toBe(before.refusing + 1);
    expect(delivery.target.host).toBe('up.mx.test');
    expect(delivery.result.recipients.map((r) => r.accepted)).toEqual([true, true]);
    expect(delivery.route.hosts.map((h) => h.host)).toEqual([
      'down.mx.test',
      'busy.mx.test',
      'up.mx.test',
    ]);
    expect(accepting.stored.slice(before.accepting)).toEqual([
      { from: '<a@example.org>', to: ['<b@mx.test>', '<c@mx.test>'], body: MESSAGE },
    ]);
  });

  it('a partly refused envelope is a result, not an error', async () => {
    const delivery = await deliverByMx(
      'mx.test',
      { from: 'a@example.org', to: ['nobody@mx.test', 'b@mx.test'] },
      MESSAGE,
      options(),
    );
    expect(
      delivery.result.recipients.map((r) => [formatPath(r.recipient), r.accepted, r.reply.code]),
    ).toEqual([
      ['<nobody@mx.test>', false, 550],
      ['<b@mx.test>', true, 250],
    ]);
  });

  it('a 5xx greeting stops: permanent ERR_CLIENT_MX_FAILED, the next MX never contacted', async () => {
    const before = accepting.connections;
    const e = await rejection(
      deliverByMx(
        'closed.test',
        { from: 'a@example.org', to: 'b@closed.test' },
        MESSAGE,
        options(),
      ),
    );
    expect([e.code, e.permanent, e.replyCode]).toEqual(['ERR_CLIENT_MX_FAILED', true, 554]);
    expect(e.message).toContain('no.closed.test [127.0.0.54]');
    expect(accepting.connections).toBe(before);
  });

  it('every MX failing for now is a temporary failure with the last reply', async () => {
    const e = await rejection(
      deliverByMx('later.test', { from: 'a@example.org', to: 'b@later.test' }, MESSAGE, options()),
    );
    expect([e.code, e.permanent, e.replyCode]).toEqual(['ERR_CLIENT_MX_FAILED', false, 421]);
    expect(e.message).toContain('busy.mx.test [127.0.0.52]');
  });

  it('a null MX (RFC 7505) is permanent and opens no connection', async () => {
    const counts = hosts.map((h) => h.connections);
    const e = await rejection(
      deliverByMx(
        'nullmx.test',
        { from: 'a@example.org', to: 'b@nullmx.test' },
        MESSAGE,
        options(),
      ),
    );
    expect([e.code, e.permanent, e.replyCode, e.enhancedCode]).toEqual([
      'ERR_CLIENT_NO_ROUTE',
      true,
      556,
      '5.1.10',
    ]);
    expect(hosts.map((h) => h.connections)).toEqual(counts);
  });

  it('without MX records, delivers to the domain\u2019s own address (the implicit MX)', async () => {
    const delivery = await deliverByMx(
      'plain.test',
      { from: '', to: 'postmaster@plain.test' },
      MESSAGE,
      options(),
    );
    expect([delivery.route.implicit, delivery.target.address]).toEqual([true, '127.0.0.55']);
    expect(implicit.stored.at(-1)).toEqual({
      from: '<>',
      to: ['<postmaster@plain.test>'],
      body: MESSAGE,
    });
  });

  it('an attempt past attemptTimeoutMs is cut and the next address tried', async () => {
    // A listener that accepts and never greets, on the first MX's address.
    const { createServer: createTcpServer } = await import('node:net');
    const silent = createTcpServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.51', resolve));
    try {
      const started = performance.now();
      const delivery = await deliverByMx(
        'mx.test',
        { from: 'a@example.org', to: 'b@mx.test' },
        MESSAGE,
        options({ attemptTimeoutMs: 300 }),
      );
      expect(delivery.attempts.map((a) => a.outcome)).toEqual(['timeout', 'next', 'accepted']);
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      await new Promise((r) => silent.close(r));
    }
  });
});
