import { createMemoryStore, type QueueStore } from '@smtpkit/queue';
import { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load-config.js';
import { createReceivers } from './receiver.js';
import { createRouter } from './recipient-router.js';

const silent = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  child() {
    return silent;
  },
};

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('a message whose client is gone before its 250', () => {
  it('is dropped from the queue: the client will send it again', { timeout: 15_000 }, async () => {
    const memory = createMemoryStore();
    let gone: () => void = () => undefined;
    const clientGone = new Promise<void>((resolve) => {
      gone = resolve;
    });
    // The store commits only once the client has hung up, as a slow disk would.
    const queue: QueueStore = {
      ...memory,
      list: memory.list.bind(memory),
      enqueue: async (envelope, message) => {
        const id = await memory.enqueue(envelope, message);
        await clientGone;
        await new Promise((r) => setTimeout(r, 100));
        return id;
      },
    };
    const events: string[] = [];
    const logger = { ...silent, info: (_o: unknown, msg?: string) => void events.push(msg ?? '') };
    const config = validateConfig({ localDomains: ['example.org'] });
    const { mx, submission } = createReceivers({
      config,
      hostname: 'mx.example.org',
      router: createRouter({
        localDomains: ['example.org'],
        catchAll: true,
        aliases: {},
        users: new Set(),
      }),
      queue,
      tls: { key: '', cert: '' },
      verifyUser: async () => false,
      onQueued: () => events.push('queued'),
      onEtrn: async () => 0,
      logger: { ...logger, child: () => logger },
    });
    close = async () => {
      await mx.close({ graceful: false, timeoutMs: 100 });
      await submission.close({ graceful: false, timeoutMs: 100 });
    };
    const { port } = await mx.listen({ host: '127.0.0.1', port: 0 });
    const client = await RawSmtpClient.greeted(port);
    expect((await client.command('MAIL FROM:<a@example.net>')).code).toBe(250);
    expect((await client.command('RCPT TO:<b@example.org>')).code).toBe(250);
    expect((await client.command('DATA')).code).toBe(354);
    client.writeNoWait('Subject: x\r\n\r\nbody\r\n.\r\n');
    await new Promise((r) => setTimeout(r, 100));
    // A reset: the client is gone (a plain FIN is a half-close, which aborts nothing).
    client.socket.resetAndDestroy();
    await new Promise((r) => setTimeout(r, 100));
    gone();
    const end = Date.now() + 5000;
    while (!events.includes('message abandoned') && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(events).toContain('message abandoned');
    expect(events).not.toContain('queued');
    expect((await memory.stats()).messages).toBe(0);
  });
});
