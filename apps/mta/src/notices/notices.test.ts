import { parseDsn } from '@smtpkit/dsn';
import {
  bounceResults,
  createMemoryStore,
  type Lease,
  type MessageEnvelope,
  planSettlement,
  type QueuedMessage,
  type QueueStore,
  type RecipientResult,
  retryPolicy,
} from '@smtpkit/queue';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import { createMetrics } from '../ops/metrics.js';
import { createRouter } from '../receive/recipient-router.js';
import { createNotices } from './notices.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const SECOND = 1000;

/** Everything a test drives: a memory store, a clock it moves, the notices, what they logged. */
async function setup(config: Record<string, unknown> = {}) {
  const queue = createMemoryStore();
  let now = T0;
  const clock = () => now;
  const logged: { level: string; msg: string; obj: Record<string, unknown> }[] = [];
  const log = (level: string) => (obj: unknown, msg?: string) => {
    logged.push({ level, msg: msg ?? '', obj: obj as Record<string, unknown> });
  };
  const mtaConfig = configSchema.parse({
    localDomains: ['example.org'],
    retry: { minBackoff: '1s', maxBackoff: '8s', maxLifetime: '60s', delayWarning: '10s' },
    ...config,
  });
  const router = createRouter({
    localDomains: mtaConfig.localDomains,
    catchAll: false,
    aliases: mtaConfig.aliases,
    users: new Set(['alice']),
  });
  const metrics = createMetrics({
    queueStats: () => queue.stats(),
    connections: () => 0,
  });
  const notices = createNotices({
    queue,
    router,
    config: mtaConfig,
    hostname: 'mta.example.org',
    clock,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    metrics,
  });
  const kicked: string[] = [];
  notices.onQueued((d) => kicked.push(d));
  const policy = retryPolicy({
    minBackoffMs: mtaConfig.retry.minBackoff,
    maxBackoffMs: mtaConfig.retry.maxBackoff,
    maxLifetimeMs: mtaConfig.retry.maxLifetime,
    bounceLifetimeMs: mtaConfig.retry.bounceLifetime,
    delayWarningMs: mtaConfig.retry.delayWarning,
  });

  /** Leases what is due for `destination` now. */
  const leaseOf = async (destination: string): Promise<Lease> => {
    const leases = await notices.store.lease({
      owner: 'test',
      limit: 10,
      leaseMs: 60_000,
      now,
      destination,
    });
    const [lease] = leases;
    if (lease === undefined) throw new Error(`nothing due for ${destination}`);
    return lease;
  };

  /** One scheduler step as createScheduler takes it: plan, notify, settle through the notices. */
  const attempt = async (lease: Lease, results: readonly RecipientResult[]) => {
    const plan = planSettlement(lease, results, now, policy);
    for (const notice of plan.notices) await notices.notify(notice);
    await notices.store.settle(lease, plan.results);
    return plan;
  };

  /** The notices in the queue (sender <>), with their bytes. */
  const queued = async () => {
    const out: { message: QueuedMessage; bytes: Buffer }[] = [];
    for await (const message of queue.list()) {
      if (message.envelope.sender !== '') continue;
      const chunks: Uint8Array[] = [];
      for await (const c of queue.read(message.id)) chunks.push(c);
      out.push({ message, bytes: Buffer.concat(chunks) });
    }
    return out;
  };

  return {
    queue: queue as QueueStore,
    notices,
    logged,
    kicked,
    metrics,
    leaseOf,
    attempt,
    queued,
    setNow: (t: number) => {
      now = t;
    },
    get now() {
      return now;
    },
  };
}

type Setup = Awaited<ReturnType<typeof setup>>;

const ORIGINAL = Buffer.from(
  'Received: from c.example by mta.example.org; Fri, 2 Jan 2026 03:04:05 +0000\r\nFrom: alice@example.org\r\nSubject: lunch?\r\n\r\nAt noon.\r\n',
);

async function enqueue(
  s: Setup,
  envelope: Partial<MessageEnvelope> & Pick<MessageEnvelope, 'recipients'>,
): Promise<string> {
  return s.queue.enqueue({ sender: 'alice@example.org', receivedAt: s.now, ...envelope }, ORIGINAL);
}

const NO_SUCH_USER = {
  code: 550,
  enhanced: '5.1.1',
  text: 'No such user',
  remoteMta: 'mx.remote.example',
};

describe('createNotices: failures', () => {
  it('queues a failure DSN from <> to the sender, routed and marked, with the RFC 3464 facts', async () => {
    const s = await setup();
    const id = await enqueue(s, {
      envid: 'QQ314159',
      ret: 'HDRS',
      recipients: [
        {
          address: 'bob@remote.example',
          destination: 'remote.example',
          orcpt: { addrType: 'rfc822', address: 'Bob@remote.example' },
        },
      ],
    });
    s.setNow(T0 + 2 * SECOND);
    const plan = await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'failed', reply: NO_SUCH_USER },
    ]);
    expect(plan.notices.map((n) => n.kind)).toEqual(['failed']);

    const [dsn, ...more] = await s.queued();
    expect(more).toEqual([]);
    expect(dsn?.message.envelope).toMatchObject({
      sender: '',
      recipients: [{ address: 'alice@example.org', destination: 'local' }],
      attrs: { notice: 'failed', about: id },
      receivedAt: T0 + 2 * SECOND,
    });
    expect(s.kicked).toEqual(['local']);
    expect(await s.queue.get(id)).toBeUndefined();

    const report = parseDsn(dsn?.bytes ?? Buffer.alloc(0));
    expect(report.perMessage).toMatchObject({
      originalEnvelopeId: 'QQ314159',
      reportingMta: { type: 'dns', name: 'mta.example.org' },
    });
    expect(report.perMessage.arrivalDate?.getTime()).toBe(T0);
    expect(report.recipients).toEqual([
      expect.objectContaining({
        originalRecipient: { addrType: 'rfc822', address: 'Bob@remote.example' },
        finalRecipient: { addrType: 'rfc822', address: 'bob@remote.example' },
        action: 'failed',
        status: '5.1.1',
        remoteMta: { type: 'dns', name: 'mx.remote.example' },
        diagnosticCode: { type: 'smtp', text: '550 5.1.1 No such user' },
        lastAttemptDate: new Date(T0 + 2 * SECOND),
      }),
    ]);
    expect(report.recipients[0]?.willRetryUntil).toBeUndefined();
    expect(report.returned?.contentType).toBe('text/rfc822-headers');
    const header = (name: string) => report.headers.find((h) => h.name === name)?.value;
    expect(header('Message-ID')).toMatch(/@mta\.example\.org>$/);
    expect(header('Date')).toBe('Fri, 2 Jan 2026 03:04:07 +0000');
    expect(s.logged.find((l) => l.msg === 'notice queued')?.obj).toMatchObject({
      about: id,
      kind: 'failed',
      to: 'alice@example.org',
    });
  });

  it('returns the whole message for a failure without RET=HDRS', async () => {
    const s = await setup();
    await enqueue(s, {
      recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
    });
    await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'failed', reply: NO_SUCH_USER },
    ]);
    const [dsn] = await s.queued();
    const report = parseDsn(dsn?.bytes ?? Buffer.alloc(0));
    expect(report.returned?.contentType).toBe('message/rfc822');
    expect(Buffer.from(report.returned?.bytes ?? []).equals(ORIGINAL)).toBe(true);
  });

  it('sends nothing for NOTIFY=NEVER, nor for NOTIFY=DELAY alone', async () => {
    const s = await setup();
    const id = await enqueue(s, {
      recipients: [
        { address: 'bob@remote.example', destination: 'remote.example', notify: 'NEVER' },
        { address: 'carol@remote.example', destination: 'remote.example', notify: ['DELAY'] },
      ],
    });
    await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'failed', reply: NO_SUCH_USER },
      { index: 1, outcome: 'failed', reply: NO_SUCH_USER },
    ]);
    expect(await s.queued()).toEqual([]);
    expect(await s.queue.get(id)).toBeUndefined();
  });

  it('reports only the recipients whose NOTIFY asks for it (RFC 3461 §5.2.8)', async () => {
    const s = await setup();
    await enqueue(s, {
      recipients: [
        { address: 'bob@remote.example', destination: 'remote.example', notify: 'NEVER' },
        { address: 'carol@remote.example', destination: 'remote.example' },
      ],
    });
    await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'failed', reply: NO_SUCH_USER },
      { index: 1, outcome: 'failed', reply: NO_SUCH_USER },
    ]);
    const [dsn] = await s.queued();
    const report = parseDsn(dsn?.bytes ?? Buffer.alloc(0));
    expect(report.recipients.map((r) => r.finalRecipient.address)).toEqual([
      'carol@remote.example',
    ]);
  });

  it('gives a local failure (no server said it) an X-Smtpkit diagnostic and no Remote-MTA', async () => {
    const s = await setup();
    await enqueue(s, {
      recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
    });
    await s.attempt(await s.leaseOf('remote.example'), [
      {
        index: 0,
        outcome: 'failed',
        reply: { code: 554, enhanced: '5.6.3', text: 'conversion to 7bit failed' },
      },
    ]);
    const [dsn] = await s.queued();
    const [r] = parseDsn(dsn?.bytes ?? Buffer.alloc(0)).recipients;
    expect(r?.status).toBe('5.6.3');
    expect(r?.diagnosticCode).toEqual({ type: 'x-smtpkit', text: 'conversion to 7bit failed' });
    expect(r?.remoteMta).toBeUndefined();
  });

  it('writes a relay named by address as a domain literal (RFC 3461 §9.3)', async () => {
    const s = await setup();
    await enqueue(s, {
      recipients: [
        { address: 'bob@remote.example', destination: 'relay' },
        { address: 'carol@remote.example', destination: 'relay' },
      ],
    });
    await s.attempt(await s.leaseOf('relay'), [
      { index: 0, outcome: 'failed', reply: { ...NO_SUCH_USER, remoteMta: '192.0.2.7' } },
      { index: 1, outcome: 'failed', reply: { ...NO_SUCH_USER, remoteMta: '2001:db8::7' } },
    ]);
    const [dsn] = await s.queued();
    const report = parseDsn(dsn?.bytes ?? Buffer.alloc(0));
    expect(report.recipients.map((r) => r.remoteMta?.name)).toEqual([
      '[192.0.2.7]',
      '[IPv6:2001:db8::7]',
    ]);
  });

  it('an administrator bounce reports no Last-Attempt-Date: no attempt was made', async () => {
    const s = await setup();
    const id = await enqueue(s, {
      recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
    });
    await s.queue.requestBounce({ id }, s.now);
    const lease = await s.leaseOf('remote.example');
    expect(lease.bounceRequested).toBe(true);
    await s.attempt(lease, bounceResults(lease));
    const [dsn] = await s.queued();
    const [r] = parseDsn(dsn?.bytes ?? Buffer.alloc(0)).recipients;
    expect(r?.status).toBe('5.0.0');
    expect(r?.lastAttemptDate).toBeUndefined();
    expect(r?.fields.map((f) => f.name)).not.toContain('Last-Attempt-Date');
  });
});

describe('createNotices: delays and expiry', () => {
  it('queues one delay DSN with Will-Retry-Until = arrival + maxLifetime, the header only', async () => {
    const s = await setup();
    const id = await enqueue(s, {
      recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
    });
    const greylisted = {
      code: 451,
      enhanced: '4.7.1',
      text: 'Greylisted',
      remoteMta: 'mx.remote.example',
    };
    // Before the warning time: deferred quietly.
    await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'deferred', reply: greylisted },
    ]);
    expect(await s.queued()).toEqual([]);
    // Past it (10 s): one warning.
    s.setNow(T0 + 12 * SECOND);
    await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'deferred', reply: greylisted },
    ]);
    // And not again.
    s.setNow(T0 + 30 * SECOND);
    await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'deferred', reply: greylisted },
    ]);
    const notices = await s.queued();
    expect(notices).toHaveLength(1);
    expect(notices[0]?.message.envelope.attrs).toEqual({ notice: 'delayed', about: id });
    const report = parseDsn(notices[0]?.bytes ?? Buffer.alloc(0));
    expect(report.recipients[0]).toMatchObject({
      action: 'delayed',
      status: '4.7.1',
      diagnosticCode: { type: 'smtp', text: '451 4.7.1 Greylisted' },
      willRetryUntil: new Date(T0 + 60 * SECOND),
      lastAttemptDate: new Date(T0 + 12 * SECOND),
    });
    expect(report.returned?.contentType).toBe('text/rfc822-headers');
  });

  it('a lifetime run out: failed 4.4.7, the server reply as it was sent, logged as expired', async () => {
    const s = await setup();
    const id = await enqueue(s, {
      recipients: [
        { address: 'bob@remote.example', destination: 'remote.example', notify: ['FAILURE'] },
      ],
    });
    s.setNow(T0 + 61 * SECOND);
    const plan = await s.attempt(await s.leaseOf('remote.example'), [
      {
        index: 0,
        outcome: 'deferred',
        reply: { code: 451, enhanced: '4.7.1', text: 'Greylisted', remoteMta: 'mx.remote.example' },
      },
    ]);
    expect(plan.results[0]).toMatchObject({ outcome: 'failed', reply: { enhanced: '4.4.7' } });
    const [dsn] = await s.queued();
    const [r] = parseDsn(dsn?.bytes ?? Buffer.alloc(0)).recipients;
    expect(r?.action).toBe('failed');
    expect(r?.status).toBe('4.4.7');
    // The server said 451 4.7.1 Greylisted; the 4.4.7 is ours and goes in Status only.
    expect(r?.diagnosticCode).toEqual({ type: 'smtp', text: '451 Greylisted' });
    expect(r?.remoteMta?.name).toBe('mx.remote.example');
    const expired = s.logged.filter((l) => l.msg === 'expired');
    expect(expired.map((l) => l.obj)).toEqual([
      {
        queueId: id,
        to: 'bob@remote.example',
        destination: 'remote.example',
        reply: '451 4.4.7 Greylisted',
      },
    ]);
    const bounces = await s.metrics.bounces.get();
    expect(bounces.values[0]?.value).toBe(1);
  });

  it('a lifetime run out after local failures (a refused connection): the MTA says the time expired', async () => {
    const s = await setup();
    await enqueue(s, {
      recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
    });
    s.setNow(T0 + 61 * SECOND);
    await s.attempt(await s.leaseOf('remote.example'), [
      {
        index: 0,
        outcome: 'deferred',
        reply: { code: 451, enhanced: '4.4.1', text: 'connect ECONNREFUSED 192.0.2.1:25' },
      },
    ]);
    const [dsn] = await s.queued();
    const [r] = parseDsn(dsn?.bytes ?? Buffer.alloc(0)).recipients;
    expect(r?.status).toBe('4.4.7');
    expect(r?.diagnosticCode).toEqual({
      type: 'x-smtpkit',
      text: 'delivery time expired; last attempt: connect ECONNREFUSED 192.0.2.1:25',
    });
  });

  it('a reply whose enhanced code contradicts its class cannot make a notice unbuildable', async () => {
    const s = await setup();
    await enqueue(s, {
      recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
    });
    s.setNow(T0 + 12 * SECOND);
    // RFC 2034 §4: the class must match the reply code; this server's does not.
    await s.attempt(await s.leaseOf('remote.example'), [
      {
        index: 0,
        outcome: 'deferred',
        reply: { code: 450, enhanced: '5.1.1', text: 'odd', remoteMta: 'mx.remote.example' },
      },
    ]);
    const [dsn] = await s.queued();
    const [r] = parseDsn(dsn?.bytes ?? Buffer.alloc(0)).recipients;
    expect(r?.action).toBe('delayed');
    expect(r?.status).toBe('4.0.0');
    expect(s.logged.filter((l) => l.level === 'error')).toEqual([]);
  });
});

describe('createNotices: success', () => {
  it('NOTIFY=SUCCESS delivered here (Maildir, LMTP): Action delivered', async () => {
    const s = await setup();
    await enqueue(s, {
      recipients: [{ address: 'alice@example.org', destination: 'local', notify: ['SUCCESS'] }],
    });
    await s.attempt(await s.leaseOf('local'), [
      {
        index: 0,
        outcome: 'delivered',
        reply: { code: 250, enhanced: '2.0.0', text: 'delivered to mailbox' },
      },
    ]);
    const [dsn] = await s.queued();
    const report = parseDsn(dsn?.bytes ?? Buffer.alloc(0));
    expect(report.recipients[0]).toMatchObject({ action: 'delivered', status: '2.0.0' });
    expect(report.returned?.contentType).toBe('text/rfc822-headers');
  });

  it('NOTIFY=SUCCESS relayed to a hop without DSN: Action relayed', async () => {
    const s = await setup();
    await enqueue(s, {
      recipients: [
        { address: 'bob@remote.example', destination: 'remote.example', notify: ['SUCCESS'] },
      ],
    });
    await s.attempt(await s.leaseOf('remote.example'), [
      {
        index: 0,
        outcome: 'delivered',
        action: 'relayed',
        reply: { code: 250, enhanced: '2.0.0', text: 'Ok', remoteMta: 'mx.remote.example' },
      },
    ]);
    const [dsn] = await s.queued();
    expect(parseDsn(dsn?.bytes ?? Buffer.alloc(0)).recipients[0]).toMatchObject({
      action: 'relayed',
      status: '2.0.0',
    });
  });

  it('NOTIFY=SUCCESS relayed to a hop that offers DSN: no notice from here (RFC 3461 §5.2.1)', async () => {
    const s = await setup();
    const id = await enqueue(s, {
      recipients: [
        { address: 'bob@remote.example', destination: 'remote.example', notify: ['SUCCESS'] },
      ],
    });
    await s.attempt(await s.leaseOf('remote.example'), [
      {
        index: 0,
        outcome: 'delivered',
        reply: { code: 250, enhanced: '2.0.0', text: 'Ok', remoteMta: 'mx.remote.example' },
      },
    ]);
    expect(await s.queued()).toEqual([]);
    expect(await s.queue.get(id)).toBeUndefined();
  });

  it('no NOTIFY: no success notice (RFC 3461 §5.2.3 (c))', async () => {
    const s = await setup();
    await enqueue(s, { recipients: [{ address: 'alice@example.org', destination: 'local' }] });
    await s.attempt(await s.leaseOf('local'), [
      { index: 0, outcome: 'delivered', reply: { code: 250, enhanced: '2.0.0', text: 'ok' } },
    ]);
    expect(await s.queued()).toEqual([]);
  });
});

describe('createNotices: messages from <> and the postmaster', () => {
  it('a failed message from <> gets no DSN but a double bounce to the postmaster, header only', async () => {
    const s = await setup();
    const id = await s.queue.enqueue(
      {
        sender: '',
        receivedAt: s.now,
        ret: 'FULL',
        recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
      },
      ORIGINAL,
    );
    const plan = await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'failed', reply: NO_SUCH_USER },
    ]);
    // The scheduler sends no notice about a message from <> (RFC 5321 §4.5.5) ...
    expect(plan.notices).toEqual([]);
    // ... the settlement sends the postmaster's.
    const [notice, ...more] = await s.queued();
    expect(more).toEqual([]);
    expect(notice?.message.envelope).toMatchObject({
      sender: '',
      recipients: [{ address: 'postmaster@example.org', destination: 'local' }],
      attrs: { notice: 'double-bounce', about: id },
    });
    const report = parseDsn(notice?.bytes ?? Buffer.alloc(0));
    expect(report.headers.find((h) => h.name === 'To')?.value).toBe('<postmaster@example.org>');
    expect(report.recipients[0]).toMatchObject({ action: 'failed', status: '5.1.1' });
    expect(report.returned?.contentType).toBe('text/rfc822-headers');
    expect(await s.queue.get(id)).toBeUndefined();
  });

  it('a message from <> that is only deferred or delivered tells no one', async () => {
    const s = await setup();
    await s.queue.enqueue(
      {
        sender: '',
        receivedAt: s.now,
        recipients: [
          { address: 'bob@remote.example', destination: 'remote.example', notify: ['SUCCESS'] },
          { address: 'carol@remote.example', destination: 'remote.example' },
        ],
      },
      ORIGINAL,
    );
    s.setNow(T0 + 30 * SECOND); // past the delay warning
    await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'delivered', action: 'relayed', reply: { code: 250, text: 'ok' } },
      { index: 1, outcome: 'deferred', reply: { code: 451, text: 'later' } },
    ]);
    expect(await s.queued()).toHaveLength(1); // the message itself, still queued for carol
    expect((await s.queued())[0]?.message.envelope.attrs).toBeUndefined();
  });

  it('a double bounce that fails in turn is dropped: no loop', async () => {
    // The postmaster is an alias to a remote address, so the double bounce can fail there.
    const s = await setup({ aliases: { postmaster: 'pm@remote.example' } });
    await s.queue.enqueue(
      {
        sender: '',
        receivedAt: s.now,
        recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
      },
      ORIGINAL,
    );
    await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'failed', reply: NO_SUCH_USER },
    ]);
    const [double] = await s.queued();
    expect(double?.message.envelope.recipients).toEqual([
      { address: 'pm@remote.example', destination: 'remote.example' },
    ]);
    await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'failed', reply: NO_SUCH_USER },
    ]);
    expect(await s.queued()).toEqual([]);
    expect(
      s.logged.filter((l) => l.msg === 'notice to the postmaster not delivered; dropped'),
    ).toHaveLength(1);
  });

  it('one double bounce even if a scheduler did notify about the <> failure itself', async () => {
    const s = await setup();
    await s.queue.enqueue(
      {
        sender: '',
        receivedAt: s.now,
        recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
      },
      ORIGINAL,
    );
    const lease = await s.leaseOf('remote.example');
    const results: RecipientResult[] = [{ index: 0, outcome: 'failed', reply: NO_SUCH_USER }];
    const recipient = lease.envelope.recipients[0];
    const state = lease.recipients[0];
    if (recipient === undefined || state === undefined) throw new Error('no recipient');
    await s.notices.notify({
      kind: 'failed',
      lease,
      recipients: [{ state, recipient, result: results[0] as RecipientResult }],
    });
    await s.notices.store.settle(lease, results);
    expect(await s.queued()).toHaveLength(1);
  });

  it('a bounce to a sender that cannot be routed goes to the postmaster, not nowhere', async () => {
    const s = await setup();
    // nobody@example.org is local and unknown: nothing can be delivered to it.
    await s.queue.enqueue(
      {
        sender: 'nobody@example.org',
        receivedAt: s.now,
        recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
      },
      ORIGINAL,
    );
    await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'failed', reply: NO_SUCH_USER },
    ]);
    const [notice] = await s.queued();
    expect(notice?.message.envelope.recipients).toEqual([
      { address: 'postmaster@example.org', destination: 'local' },
    ]);
    expect(notice?.message.envelope.attrs?.['notice']).toBe('double-bounce');
    // The report is the sender's, as it would have gone.
    const report = parseDsn(notice?.bytes ?? Buffer.alloc(0));
    expect(report.headers.find((h) => h.name === 'To')?.value).toBe('<nobody@example.org>');
  });

  it('a delay warning to a sender that cannot be routed is dropped with a warning', async () => {
    const s = await setup();
    await s.queue.enqueue(
      {
        sender: 'nobody@example.org',
        receivedAt: s.now,
        recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
      },
      ORIGINAL,
    );
    s.setNow(T0 + 12 * SECOND);
    await s.attempt(await s.leaseOf('remote.example'), [
      { index: 0, outcome: 'deferred', reply: { code: 451, text: 'later' } },
    ]);
    expect((await s.queued()).filter((n) => n.message.envelope.attrs?.['notice'])).toEqual([]);
    expect(s.logged.find((l) => l.msg === 'notice not sent: no route')?.obj).toMatchObject({
      kind: 'delayed',
      to: 'nobody@example.org',
    });
  });

  it('a message that can no longer be read still gets its notice, without the returned part', async () => {
    const s = await setup();
    const id = await enqueue(s, {
      recipients: [{ address: 'bob@remote.example', destination: 'remote.example' }],
    });
    const lease = await s.leaseOf('remote.example');
    const plan = planSettlement(
      lease,
      [{ index: 0, outcome: 'failed', reply: NO_SUCH_USER }],
      s.now,
      retryPolicy(),
    );
    await s.queue.remove({ id }); // gone under the notice's feet
    for (const n of plan.notices) await s.notices.notify(n);
    const [dsn] = await s.queued();
    const report = parseDsn(dsn?.bytes ?? Buffer.alloc(0));
    expect(report.recipients[0]?.action).toBe('failed');
    expect(report.returned).toBeUndefined();
    expect(s.logged.find((l) => l.msg === 'notice without the message')).toBeDefined();
  });
});
