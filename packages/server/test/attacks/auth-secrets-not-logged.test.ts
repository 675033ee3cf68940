// Credentials must never reach logs or diagnostics: a password (or its base64 form on the wire)
// in a log line outlives the session and is readable by whoever reads the logs.
//
// RFC 4954 §9 (Security Considerations, summary): AUTH exchanges carry secrets; implementations
// protect them. The server's logger and its node:diagnostics_channel channels
// (smtpkit:server:connection, :command, :reply, :message, :error) both see every command, so both
// are captured here and searched for the password in every encoding the client used.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { auth, defaultExtensions } from '@smtpkit/extensions';
import { RawSmtpClient } from '@smtpkit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/index.js';
import { type AttackServer, startAttackServer } from './attack-server.js';

const PASSWORD = 'Zebra-Secret-9471';
const USER = 'alice';
const CHANNELS = ['connection', 'command', 'reply', 'message', 'error'].map(
  (n) => `smtpkit:server:${n}`,
);

/** Every form the password took on the wire or in memory. */
const FORMS = [
  PASSWORD,
  Buffer.from(PASSWORD).toString('base64'),
  Buffer.from(`\0${USER}\0${PASSWORD}`).toString('base64'),
  Buffer.from(`${USER}\0${USER}\0${PASSWORD}`).toString('base64'),
  Buffer.from(PASSWORD).toString('hex'),
];

/** Turns anything logged into searchable text, including buffers, errors and nested objects. */
function text(value: unknown, seen = new Set<unknown>()): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' && typeof value !== 'function') return String(value);
  if (seen.has(value)) return '';
  seen.add(value);
  if (value instanceof Uint8Array) {
    return `${Buffer.from(value).toString('latin1')} ${Buffer.from(value).toString('utf8')}`;
  }
  const parts: string[] = [];
  if (value instanceof Error) parts.push(value.message, value.stack ?? '');
  for (const key of Reflect.ownKeys(value)) {
    try {
      parts.push(String(key), text((value as Record<PropertyKey, unknown>)[key], seen));
    } catch {
      // A getter that throws is not a leak.
    }
  }
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    // Cycles are walked above.
  }
  return parts.join(' ');
}

function captureLogger(sink: string[]): Logger {
  const make = (bindings: unknown): Logger => {
    const log =
      (level: string) =>
      (...args: unknown[]) => {
        sink.push(`${level} ${text(bindings)} ${args.map((a) => text(a)).join(' ')}`);
      };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (more: unknown) => make([bindings, more]),
    };
  };
  return make({});
}

describe('AUTH secrets never logged', () => {
  let s: AttackServer | undefined;
  let client: RawSmtpClient | undefined;
  const logged: string[] = [];
  const published: string[] = [];
  const onMessage = (message: unknown, name: string | symbol) => {
    published.push(`${String(name)} ${text(message)}`);
  };
  afterEach(async () => {
    client?.destroy();
    await s?.stop();
    s = undefined;
    for (const c of CHANNELS) unsubscribe(c, onMessage);
    logged.length = 0;
    published.length = 0;
  });

  const start = (verify: (c: { username: string; password?: string }) => Promise<boolean>) => {
    for (const c of CHANNELS) subscribe(c, onMessage);
    return startAttackServer({
      extensions: [
        ...defaultExtensions(),
        auth({ mechanisms: ['PLAIN', 'LOGIN'], allowWithoutTls: true }),
      ],
      policy: { authWithoutTls: true },
      auth: { verify },
      logger: captureLogger(logged),
    });
  };

  function expectNoSecret(): void {
    const all = [...logged, ...published].join('\n');
    for (const form of FORMS) expect(all.includes(form), `found ${form}`).toBe(false);
    // Not vacuous: the session was observed.
    expect(published.some((p) => p.startsWith('smtpkit:server:command'))).toBe(true);
    expect(all).toContain('AUTH');
  }

  it('AUTH PLAIN with an initial response, accepted', async () => {
    s = await start(async (c) => c.username === USER && c.password === PASSWORD);
    client = await RawSmtpClient.greeted(s.port);
    await client.write(`AUTH PLAIN ${FORMS[2]}\r\n`);
    expect((await client.readReply()).code).toBe(235);
    await client.write('QUIT\r\n');
    await client.readReplyOrClose();
    expectNoSecret();
  });

  it('AUTH PLAIN with a wrong user (rejected), and with an authorisation identity', async () => {
    s = await start(async () => false);
    client = await RawSmtpClient.greeted(s.port);
    await client.write(`AUTH PLAIN ${FORMS[3]}\r\n`);
    expect((await client.readReply()).code).toBe(535);
    await client.write(`AUTH PLAIN ${FORMS[2]}\r\n`);
    expect((await client.readReply()).code).toBe(535);
    expectNoSecret();
  });

  it('AUTH LOGIN, the password as its own line', async () => {
    s = await start(async (c) => c.password === PASSWORD);
    client = await RawSmtpClient.greeted(s.port);
    await client.write('AUTH LOGIN\r\n');
    expect((await client.readReply()).code).toBe(334);
    await client.write(`${Buffer.from(USER).toString('base64')}\r\n`);
    expect((await client.readReply()).code).toBe(334);
    await client.write(`${FORMS[1]}\r\n`);
    expect((await client.readReply()).code).toBe(235);
    expectNoSecret();
  });

  it('a verifier that throws (451 4.3.0 and a log event) still leaks nothing', async () => {
    s = await start(async () => {
      throw new Error('directory down');
    });
    client = await RawSmtpClient.greeted(s.port);
    await client.write(`AUTH PLAIN ${FORMS[2]}\r\n`);
    const reply = await client.readReply();
    expect(reply.code).toBeGreaterThanOrEqual(400);
    expect(reply.code).toBeLessThan(500);
    expectNoSecret();
    expect(logged.join('\n')).toContain('directory down');
  });
});
