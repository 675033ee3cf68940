// The pool against real servers on loopback: @smtpkit/server counting connections, commands and
// messages per connection, and scripted servers that close a pooled connection at the worst
// moment. Every message sent must be stored exactly once.
import diagnosticsChannel from 'node:diagnostics_channel';
import { formatPath } from '@smtpkit/address';
import { ReplyException, replies } from '@smtpkit/reply';
import { channels, createServer, type SmtpServer } from '@smtpkit/server';
import { freePort } from '@smtpkit/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type ClientError,
  createPool,
  DEFAULT_POOL_LIMITS,
  isClientError,
  type SmtpPool,
} from '../src/index.js';
import { type ScriptedConnection, startScriptedServer } from './support/scripted-server.js';

const HOST = '127.0.0.1';
const message = (n: number) =>
  Buffer.from(`From: a@example.org\r\nTo: b@example.com\r\nSubject: ${n}\r\n\r\nmessage ${n}\r\n`);

/** @smtpkit/server that records, per connection, its commands and messages. */
interface CountingServer {
  readonly server: SmtpServer;
  readonly port: number;
  /** Session ids in the order they connected. */
  readonly sessions: string[];
  /** Messages stored, with the session that carried them. */
  readonly stored: { session: string; body: string }[];
  /** Commands by session (verbs only). */
  readonly commands: Map<string, string[]>;
  /** Most connections open at once, as the server counted them at each connect. */
  peak: number;
  stop(): Promise<void>;
}

async function startCountingServer(
  options: { idleTimeoutMs?: number } = {},
): Promise<CountingServer> {
  const commands = new Map<string, string[]>();
  const onCommand = (m: unknown): void => {
    const { id, verb } = m as { id: string; verb: string };
    commands.get(id)?.push(verb);
  };
  diagnosticsChannel.subscribe(channels.command.name, onCommand);
  const counting: CountingServer = {
    server: createServer({
      hostname: 'pool.test',
      ...(options.idleTimeoutMs === undefined
        ? {}
        : { limits: { timeouts: { command: options.idleTimeoutMs } } }),
      hooks: {
        connect: async (ctx) => {
          counting.sessions.push(ctx.id);
          commands.set(ctx.id, []);
          counting.peak = Math.max(counting.peak, counting.server.connections);
        },
        rcpt: async (_ctx, to) => {
          if (formatPath(to) === '<nobody@example.com>') {
            throw new ReplyException(replies.R550_5_1_1_NoSuchUser);
          }
        },
        data: async (ctx, m) => {
          const chunks: Buffer[] = [];
          for await (const chunk of m.stream) chunks.push(Buffer.from(chunk));
          counting.stored.push({ session: ctx.id, body: Buffer.concat(chunks).toString() });
        },
      },
    }),
    port: 0,
    sessions: [],
    stored: [],
    commands,
    peak: 0,
    stop: async () => {
      diagnosticsChannel.unsubscribe(channels.command.name, onCommand);
      await counting.server.close({ graceful: false });
    },
  };
  const { port } = await counting.server.listen({ host: HOST, port: 0 });
  return Object.assign(counting, { port });
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createPool against @smtpkit/server', { timeout: 30_000 }, () => {
  let counting: CountingServer;
  const pools: SmtpPool[] = [];
  const pool = (more: Parameters<typeof createPool>[0]): SmtpPool => {
    const p = createPool({ host: HOST, tls: 'none', hostname: 'client.test', ...more });
    pools.push(p);
    return p;
  };
  beforeAll(async () => {
    counting = await startCountingServer();
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await counting?.stop();
  });

  it('by default reuses a connection with no limit by count, and renews it by age (Postfix-like)', async () => {
    expect(DEFAULT_POOL_LIMITS.maxMessagesPerConnection).toBe(Number.POSITIVE_INFINITY);
    expect(DEFAULT_POOL_LIMITS.maxConnectionAgeMs).toBe(300_000);
    const before = counting.sessions.length;
    const p = pool({ port: counting.port, maxConnections: 1, maxConnectionAgeMs: 150 });
    for (let n = 0; n < 3; n++) {
      await p.send({ from: 'a@example.org', to: 'b@example.com' }, message(n));
    }
    // Three messages in quick succession: one connection.
    expect(counting.sessions.length - before).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    await p.send({ from: 'a@example.org', to: 'b@example.com' }, message(3));
    // The first connection was past its age when released: the next message opened another.
    expect(counting.sessions.length - before).toBe(2);
  });

  it('sends N messages over at most C connections, each carrying at most its limit', async () => {
    const before = { sessions: counting.sessions.length, stored: counting.stored.length };
    counting.peak = 0;
    const p = pool({ port: counting.port, maxConnections: 3, maxMessagesPerConnection: 4 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        p.send({ from: 'a@example.org', to: 'b@example.com' }, message(n)),
      ),
    );
    expect(results.every((r) => r.recipients.every((x) => x.accepted))).toBe(true);
    const stored = counting.stored.slice(before.stored);
    // Every message once, none lost, none twice.
    expect(stored.map((s) => s.body).sort()).toEqual(
      Array.from({ length: 20 }, (_, n) => message(n).toString()).sort(),
    );
    const perSession = new Map<string, number>();
    for (const s of stored) perSession.set(s.session, (perSession.get(s.session) ?? 0) + 1);
    expect(Math.max(...perSession.values())).toBeLessThanOrEqual(4);
    const sessions = counting.sessions.slice(before.sessions);
    expect(sessions.length).toBeGreaterThanOrEqual(5); // 20 messages, 4 per connection
    expect(p.stats.opened).toBe(sessions.length);
    expect(counting.peak).toBeLessThanOrEqual(3);
    // A used-up connection says QUIT.
    const full = [...perSession].filter(([, n]) => n === 4).map(([id]) => id);
    for (const id of full) await waitFor(() => counting.commands.get(id)?.at(-1) === 'QUIT');
  });

  it('reuses a connection without RSET after a transaction, with RSET after a failed one', async () => {
    const before = counting.sessions.length;
    const p = pool({ port: counting.port, maxConnections: 1 });
    await p.send({ from: 'a@example.org', to: 'b@example.com' }, message(1));
    const refused = await p.send({ from: 'a@example.org', to: 'nobody@example.com' }, message(2));
    expect(refused.recipients[0]?.accepted).toBe(false);
    const again = await p.send({ from: 'a@example.org', to: 'b@example.com' }, message(3));
    expect(again.message?.code).toBe(250);
    const sessions = counting.sessions.slice(before);
    expect(sessions).toHaveLength(1);
    const verbs = (counting.commands.get(sessions[0] as string) ?? []).filter(
      (v) => v !== 'EHLO' && v !== 'BDAT',
    );
    expect(verbs).toEqual(['MAIL', 'RCPT', 'MAIL', 'RCPT', 'RSET', 'MAIL', 'RCPT']);
  });

  it('a queue past maxQueued refuses at once with ERR_CLIENT_POOL_FULL; the rest go', async () => {
    const p = pool({ port: counting.port, maxConnections: 1, maxQueued: 2 });
    const sends = [1, 2, 3].map((n) =>
      p.send({ from: 'a@example.org', to: 'b@example.com' }, message(n)),
    );
    const e = await rejection(p.send({ from: 'a@example.org', to: 'b@example.com' }, message(4)));
    expect([e.code, e.permanent]).toEqual(['ERR_CLIENT_POOL_FULL', false]);
    expect((await Promise.all(sends)).map((r) => r.message?.code)).toEqual([250, 250, 250]);
  });

  it('close() lets queued messages finish, says QUIT everywhere, then refuses sends', async () => {
    const before = counting.sessions.length;
    const p = pool({ port: counting.port, maxConnections: 2 });
    const sends = [1, 2, 3, 4].map((n) =>
      p.send({ from: 'a@example.org', to: 'b@example.com' }, message(n)),
    );
    await p.close();
    expect((await Promise.all(sends)).map((r) => r.message?.code)).toEqual([250, 250, 250, 250]);
    for (const id of counting.sessions.slice(before)) {
      expect(counting.commands.get(id)?.at(-1)).toBe('QUIT');
    }
    expect(p.stats.connections).toBe(0);
    const e = await rejection(p.send({ from: 'a@example.org', to: 'b@example.com' }, message(5)));
    expect(e.code).toBe('ERR_CLIENT_CLOSED');
  });

  it('an unused connection says QUIT after idleTimeoutMs', async () => {
    const before = counting.sessions.length;
    const p = pool({ port: counting.port, idleTimeoutMs: 100 });
    await p.send({ from: 'a@example.org', to: 'b@example.com' }, message(1));
    expect(p.stats.idle).toBe(1);
    const id = counting.sessions[before] as string;
    await waitFor(() => counting.commands.get(id)?.at(-1) === 'QUIT');
    // The pool counts the connection until the 221 is read and the socket closed: that follows
    // the server's seeing QUIT by a moment.
    await waitFor(() => p.stats.connections === 0);
    expect(p.stats.connections).toBe(0);
  });

  it('a destination that refuses connections fails the message with ERR_CLIENT_CONNECT', async () => {
    const p = pool({ port: await freePort(), maxConnections: 2 });
    const errors = await Promise.all(
      [1, 2, 3].map((n) =>
        rejection(p.send({ from: 'a@example.org', to: 'b@example.com' }, message(n))),
      ),
    );
    expect(errors.map((e) => e.code)).toEqual([
      'ERR_CLIENT_CONNECT',
      'ERR_CLIENT_CONNECT',
      'ERR_CLIENT_CONNECT',
    ]);
  });
});

describe('a server that closes idle pooled connections costs no message', {
  timeout: 30_000,
}, () => {
  it('@smtpkit/server closing idle connections (421 after its command timeout)', async () => {
    const idleClosing = await startCountingServer({ idleTimeoutMs: 150 });
    const p = createPool({
      host: HOST,
      port: idleClosing.port,
      tls: 'none',
      hostname: 'client.test',
      maxConnections: 2,
      idleTimeoutMs: 60_000,
    });
    try {
      const send = (n: number) =>
        p.send({ from: 'a@example.org', to: 'b@example.com' }, message(n));
      await Promise.all([1, 2, 3, 4].map(send));
      await sleep(400); // the server said 421 and closed both
      const later = await Promise.all([5, 6, 7, 8].map(send));
      expect(later.map((r) => r.message?.code)).toEqual([250, 250, 250, 250]);
      expect(idleClosing.stored.map((s) => s.body).sort()).toEqual(
        [1, 2, 3, 4, 5, 6, 7, 8].map((n) => message(n).toString()).sort(),
      );
      expect(idleClosing.sessions.length).toBeGreaterThanOrEqual(3);
    } finally {
      await p.close();
      await idleClosing.stop();
    }
  });

  /**
   * A minimal SMTP server that answers in order (pipelined groups too) and stores messages.
   * `onMail(n)` is asked for the n-th MAIL of the connection (from 1): 'close' drops the
   * connection without a word, '421' says 421 and closes, as a server timing out an idle
   * connection does when the client's MAIL crosses it.
   */
  function smtpScript(
    keywords: readonly string[],
    stored: string[],
    onMail: (n: number) => 'ok' | 'close' | '421',
  ) {
    return async (c: ScriptedConnection): Promise<void> => {
      c.send('220 scripted.test ESMTP\r\n');
      let mails = 0;
      for (;;) {
        const line = await c.line();
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          const lines = ['scripted.test', ...keywords];
          c.send(lines.map((l, i) => `250${i === lines.length - 1 ? ' ' : '-'}${l}\r\n`).join(''));
        } else if (verb === 'MAIL') {
          const what = onMail(++mails);
          if (what === 'close') {
            c.socket.destroy();
            return;
          }
          if (what === '421') {
            c.send('421 4.4.2 scripted.test idle too long, closing\r\n');
            c.socket.end();
            return;
          }
          c.send('250 2.1.0 ok\r\n');
        } else if (verb === 'RCPT' || verb === 'RSET' || verb === 'NOOP') {
          c.send('250 2.0.0 ok\r\n');
        } else if (verb === 'DATA') {
          c.send('354 go ahead\r\n');
          const body: string[] = [];
          for (let l = await c.line(); l !== '.'; l = await c.line()) body.push(l);
          stored.push(body.join('\r\n'));
          c.send('250 2.0.0 stored\r\n');
        } else if (verb === 'QUIT') {
          c.send('221 2.0.0 bye\r\n');
          c.socket.end();
          return;
        } else {
          c.send('502 5.5.1 unknown\r\n');
        }
      }
    };
  }

  for (const keywords of [['PIPELINING'], []]) {
    const mode = keywords.length > 0 ? 'pipelined' : 'one command at a time';
    for (const how of ['close', '421'] as const) {
      it(`a reused connection closed ${how === 'close' ? 'without a word' : 'with 421'} as MAIL crosses it: sent again on a new one (${mode})`, async () => {
        const stored: string[] = [];
        // The second MAIL of every connection meets a server that just closed it.
        const server = await startScriptedServer(
          smtpScript(keywords, stored, (n) => (n === 2 ? how : 'ok')),
        );
        const p = createPool({
          host: HOST,
          port: server.port,
          tls: 'none',
          hostname: 'client.test',
          maxConnections: 1,
        });
        try {
          const send = (n: number) =>
            p.send({ from: 'a@example.org', to: 'b@example.com' }, message(n));
          const results = await Promise.all([1, 2, 3].map(send));
          expect(results.map((r) => r.message?.code)).toEqual([250, 250, 250]);
          // 1 and 2 on the first connection (2 met the close), 2 and 3 on the second
          // (3 met it), 3 on the third.
          expect(stored).toEqual([1, 2, 3].map((n) => message(n).toString().slice(0, -2)));
          expect(p.stats.retried).toBe(2);
          expect(server.connections).toHaveLength(3);
        } finally {
          await p.close();
          await server.stop();
        }
      });
    }
  }

  it('a new connection that closes before MAIL is answered fails the message: no endless retry', async () => {
    const stored: string[] = [];
    const server = await startScriptedServer(smtpScript(['PIPELINING'], stored, () => 'close'));
    const p = createPool({ host: HOST, port: server.port, tls: 'none', hostname: 'client.test' });
    try {
      const e = await rejection(p.send({ from: 'a@example.org', to: 'b@example.com' }, message(1)));
      expect(e.code).toBe('ERR_CLIENT_CLOSED');
      expect([p.stats.retried, server.connections.length]).toEqual([0, 1]);
    } finally {
      await p.close();
      await server.stop();
    }
  });

  it('a connection lost after MAIL was answered is not replayed (the server took part of it)', async () => {
    const server = await startScriptedServer(async (c) => {
      c.send('220 scripted.test ESMTP\r\n');
      for (;;) {
        const line = await c.line();
        if (line.startsWith('EHLO')) c.send('250 scripted.test\r\n');
        else if (line.startsWith('MAIL')) c.send('250 2.1.0 ok\r\n');
        else if (line.startsWith('RCPT')) c.send('250 2.1.5 ok\r\n');
        else if (line.startsWith('DATA')) {
          c.send('354 go ahead\r\n');
          while ((await c.line()) !== '.');
          c.socket.destroy(); // the message was read; the reply never comes
          return;
        }
      }
    });
    const p = createPool({ host: HOST, port: server.port, tls: 'none', hostname: 'client.test' });
    try {
      const e = await rejection(p.send({ from: 'a@example.org', to: 'b@example.com' }, message(1)));
      expect(e.code).toBe('ERR_CLIENT_CLOSED');
      expect(server.connections).toHaveLength(1);
    } finally {
      await p.close();
      await server.stop();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('condition not met in time');
    await sleep(10);
  }
}
