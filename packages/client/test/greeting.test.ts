// What a server can say before the first transaction: a refused greeting (RFC 5321 §3.1), EHLO
// not understood (§3.2: HELO then, and plain RFC 821 SMTP), the default EHLO name.
import os from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../src/index.js';
import {
  type ScriptedConnection,
  type ScriptedServer,
  startScriptedServer,
} from './support/scripted-server.js';

const HOST = '127.0.0.1';

describe('greeting and hello', () => {
  const servers: ScriptedServer[] = [];
  const serve = async (script: (c: ScriptedConnection) => Promise<void>) => {
    const s = await startScriptedServer(script);
    servers.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  for (const [greeting, permanent] of [
    ['554 5.3.2 no service here', true],
    ['421 4.3.2 try again later', false],
  ] as const) {
    it(`a ${greeting.slice(0, 3)} greeting: ERR_CLIENT_REPLY, permanent ${permanent}, QUIT said`, async () => {
      let said = '';
      const s = await serve(async (c) => {
        c.send(`${greeting}\r\n`);
        said = await c.line().catch(() => '');
        c.socket.end();
      });
      await expect(connect({ host: HOST, port: s.port })).rejects.toMatchObject({
        code: 'ERR_CLIENT_REPLY',
        command: 'greeting',
        replyCode: Number(greeting.slice(0, 3)),
        permanent,
      });
      for (let i = 0; i < 50 && said === ''; i++) await new Promise((r) => setTimeout(r, 20));
      expect(said).toBe('QUIT');
    });
  }

  it('EHLO refused: HELO, then a message by DATA with no ESMTP parameter', async () => {
    const lines: string[] = [];
    const s = await serve(async (c) => {
      c.send('220 old.example SMTP\r\n');
      for (;;) {
        const line = await c.line();
        lines.push(line);
        if (line.startsWith('EHLO')) c.send('500 5.5.1 command unrecognized\r\n');
        else if (line === 'DATA') {
          c.send('354 go\r\n');
          while ((await c.line()) !== '.');
          c.send('250 ok\r\n');
        } else if (line === 'QUIT') {
          c.send('221 bye\r\n');
          c.socket.end();
          return;
        } else c.send('250 ok\r\n');
      }
    });
    const client = await connect({ host: HOST, port: s.port, hostname: 'client.example' });
    expect([...client.capabilities.keywords.keys()]).toEqual([]);
    const result = await client.send(
      { from: 'a@example.org', to: 'b@example.com', size: 100 },
      'Subject: old\r\n\r\nx\r\n',
    );
    expect([result.via, result.message?.code, result.unsent]).toEqual(['DATA', 250, []]);
    await client.quit();
    expect(lines).toEqual([
      'EHLO client.example',
      'HELO client.example',
      'MAIL FROM:<a@example.org>',
      'RCPT TO:<b@example.com>',
      'DATA',
      'QUIT',
    ]);
  });

  it('the default EHLO name: os.hostname() when it is a domain, else the local address literal', async () => {
    let ehlo = '';
    const s = await serve(async (c) => {
      c.send('220 hi\r\n');
      ehlo = await c.line();
      c.send('250 hi\r\n');
      await c.line();
      c.send('221 bye\r\n');
      c.socket.end();
    });
    const client = await connect({ host: HOST, port: s.port });
    await client.quit();
    const name = ehlo.slice(5);
    expect(name === os.hostname() || name === '[127.0.0.1]').toBe(true);
  });

  it('a hostname that is no domain nor address literal is refused before connecting', async () => {
    for (const hostname of ['bad name', 'x\r\nMAIL FROM:<a@b>', '']) {
      await expect(connect({ host: HOST, port: 1, hostname })).rejects.toMatchObject({
        code: 'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
      });
    }
  });
});
