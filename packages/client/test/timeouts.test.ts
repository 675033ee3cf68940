// Servers that stop answering: each RFC 5321 §4.5.3.2 wait (and the connect and TLS handshake)
// ends in ERR_CLIENT_TIMEOUT naming its phase, within the small timeouts given, and the connection
// is cut. And servers that go away: mid-DATA, mid-BDAT, while idle.
import { Readable } from 'node:stream';
import {
  createSelfSignedCert,
  opensslSkipReason,
  peerSkipReason,
  type SelfSignedCert,
  SYSTEM_PYTHON,
  startProcess,
} from '@smtpkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientOptions, connect } from '../src/index.js';
import { generatedBody } from './support/bodies.js';
import {
  greetAndHello,
  type ScriptedConnection,
  type ScriptedServer,
  startScriptedServer,
} from './support/scripted-server.js';

const HOST = '127.0.0.1';
const WAIT = 250;
const TIMEOUTS: ClientOptions['timeouts'] = {
  connect: WAIT,
  tlsHandshake: WAIT,
  greeting: WAIT,
  command: WAIT,
  mail: WAIT,
  rcpt: WAIT,
  dataInit: WAIT,
  dataBlock: WAIT,
  dataTermination: WAIT,
};
const MESSAGE = Buffer.from('Subject: t\r\n\r\nbody\r\n');
const envelope = { from: 'a@example.org', to: 'b@example.com' };

/** Never resolves: the server stops answering. */
const silence = () => new Promise<void>(() => undefined);

/** Answers the transaction's commands with 250 until `stopAt` (a verb) arrives, then stops. */
async function answerUntil(
  c: ScriptedConnection,
  stopAt: string,
  keywords: string[] = [],
): Promise<void> {
  await greetAndHello(c, keywords);
  for (;;) {
    const line = await c.line();
    const verb = line.split(' ')[0] as string;
    if (verb === stopAt) return silence();
    if (verb === 'DATA') {
      c.send('354 go\r\n');
      while ((await c.line()) !== '.');
      if (stopAt === '.') return silence();
    }
    c.send('250 ok\r\n');
  }
}

/** Runs `op` and expects ERR_CLIENT_TIMEOUT for `phase`, in about WAIT ms. */
async function expectTimeout(op: () => Promise<unknown>, phase: string): Promise<void> {
  const t0 = performance.now();
  const error = await op().then(
    () => undefined,
    (e: unknown) => e,
  );
  const elapsed = performance.now() - t0;
  expect(error).toMatchObject({ code: 'ERR_CLIENT_TIMEOUT', permanent: false });
  expect((error as Error).message).toContain(`(${phase})`);
  expect(elapsed).toBeGreaterThanOrEqual(WAIT - 20);
  expect(elapsed).toBeLessThan(WAIT + 1500);
}

describe('timeouts: a server that stops answering', () => {
  const servers: ScriptedServer[] = [];
  const serve = async (script: (c: ScriptedConnection) => Promise<void>) => {
    const s = await startScriptedServer(script);
    servers.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('greeting: no 220', async () => {
    const s = await serve(silence);
    await expectTimeout(
      () => connect({ host: HOST, port: s.port, timeouts: TIMEOUTS }),
      'greeting',
    );
  });

  it('command: no reply to EHLO', async () => {
    const s = await serve(async (c) => {
      c.send('220 hi\r\n');
      return silence();
    });
    await expectTimeout(() => connect({ host: HOST, port: s.port, timeouts: TIMEOUTS }), 'command');
  });

  it('a reply trickled one octet at a time does not extend the wait', async () => {
    const s = await serve(async (c) => {
      c.send('220 hi\r\n');
      await c.line();
      const text = `250-${'x'.repeat(200)}\r\n`;
      for (const ch of text) {
        if (c.socket.destroyed) return;
        c.send(ch);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    await expectTimeout(() => connect({ host: HOST, port: s.port, timeouts: TIMEOUTS }), 'command');
  });

  for (const [phase, stopAt] of [
    ['mail', 'MAIL'],
    ['rcpt', 'RCPT'],
    ['dataInit', 'DATA'],
    ['dataTermination', '.'],
  ] as const) {
    it(`${phase}: no reply to ${stopAt === '.' ? 'the end of the data' : stopAt}`, async () => {
      const s = await serve((c) => answerUntil(c, stopAt));
      const client = await connect({ host: HOST, port: s.port, timeouts: TIMEOUTS });
      await expectTimeout(() => client.send(envelope, MESSAGE), phase);
      expect(client.closed).toBe(true);
      await expect(client.noop()).rejects.toMatchObject({ code: 'ERR_CLIENT_TIMEOUT' });
    });
  }

  it('dataBlock: the server stops reading a streamed DATA body', async () => {
    const s = await serve(async (c) => {
      await greetAndHello(c, ['PIPELINING']);
      await c.line();
      await c.line();
      await c.line();
      c.send('250 ok\r\n250 ok\r\n354 go\r\n');
      c.socket.pause();
      return silence();
    });
    const client = await connect({ host: HOST, port: s.port, timeouts: TIMEOUTS });
    await expectTimeout(
      () => client.send(envelope, Readable.from(generatedBody(1024 * 1024 * 1024))),
      'dataBlock',
    );
  });

  it('dataBlock: the server stops reading BDAT chunks', async () => {
    const s = await serve(async (c) => {
      await greetAndHello(c, ['PIPELINING', 'CHUNKING']);
      await c.line();
      await c.line();
      c.send('250 ok\r\n250 ok\r\n');
      c.socket.pause();
      return silence();
    });
    const client = await connect({ host: HOST, port: s.port, timeouts: TIMEOUTS });
    await expectTimeout(
      () => client.send(envelope, generatedBody(1024 * 1024 * 1024)),
      'dataBlock',
    );
  });

  it('command: no reply to QUIT still closes', async () => {
    const s = await serve((c) => answerUntil(c, 'QUIT'));
    const client = await connect({ host: HOST, port: s.port, timeouts: TIMEOUTS });
    await expectTimeout(() => client.quit(), 'command');
    expect(client.closed).toBe(true);
  });

  describe.skipIf(opensslSkipReason() !== undefined)('tlsHandshake', () => {
    let cert: SelfSignedCert;
    beforeAll(async () => {
      cert = await createSelfSignedCert();
    });
    afterAll(async () => {
      await cert?.remove();
    });

    it('implicit TLS: no handshake', async () => {
      const s = await serve(silence);
      await expectTimeout(
        () =>
          connect({ host: HOST, port: s.port, tls: 'implicit', ca: cert.cert, timeouts: TIMEOUTS }),
        'tlsHandshake',
      );
    });

    it('STARTTLS: 220, then no handshake', async () => {
      const s = await serve(async (c) => {
        await greetAndHello(c, ['STARTTLS']);
        await c.line();
        c.send('220 go ahead\r\n');
        return silence();
      });
      await expectTimeout(
        () =>
          connect({ host: HOST, port: s.port, tls: 'required', ca: cert.cert, timeouts: TIMEOUTS }),
        'tlsHandshake',
      );
    });
  });

  const python = peerSkipReason(SYSTEM_PYTHON, ['-c', 'import socket']);
  it.skipIf(python !== undefined)('connect: a listener whose accept queue is full', async () => {
    // listen(0) and never accept: once one connection waits in the queue, the kernel drops the
    // SYNs of the next ones, which stay connecting.
    const listener = startProcess(SYSTEM_PYTHON, [
      '-c',
      "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)",
    ]);
    try {
      let port = 0;
      for (let i = 0; i < 100 && port === 0; i++) {
        port = Number(listener.output().stdout.trim()) || 0;
        await new Promise((r) => setTimeout(r, 50));
      }
      const net = await import('node:net');
      const filler = net.connect({ host: HOST, port });
      filler.on('error', () => undefined);
      await new Promise((r) => filler.once('connect', r));
      await expectTimeout(() => connect({ host: HOST, port, timeouts: TIMEOUTS }), 'connect');
      filler.destroy();
    } finally {
      await listener.stop();
    }
  });
});

describe('a server that goes away', () => {
  const servers: ScriptedServer[] = [];
  const serve = async (script: (c: ScriptedConnection) => Promise<void>) => {
    const s = await startScriptedServer(script);
    servers.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('a refused connection is ERR_CLIENT_CONNECT', async () => {
    const s = await serve(silence);
    const port = s.port;
    await s.stop();
    await expect(connect({ host: HOST, port })).rejects.toMatchObject({
      code: 'ERR_CLIENT_CONNECT',
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });

  it('drops the connection mid-DATA: ERR_CLIENT_CLOSED, for a whole and a streamed message', async () => {
    const s = await serve(async (c) => {
      await greetAndHello(c, ['PIPELINING']);
      await c.line();
      await c.line();
      await c.line();
      c.send('250 ok\r\n250 ok\r\n354 go\r\n');
      await c.line();
      c.socket.destroy();
    });
    for (const message of [MESSAGE, Readable.from(generatedBody(4 * 1024 * 1024))]) {
      const client = await connect({ host: HOST, port: s.port });
      await expect(client.send(envelope, message)).rejects.toMatchObject({
        code: 'ERR_CLIENT_CLOSED',
        permanent: false,
      });
      expect(client.closed).toBe(true);
    }
  });

  it('drops the connection mid-BDAT: ERR_CLIENT_CLOSED', async () => {
    const s = await serve(async (c) => {
      await greetAndHello(c, ['PIPELINING', 'CHUNKING']);
      await c.line();
      c.socket.destroy();
    });
    const client = await connect({ host: HOST, port: s.port });
    await expect(client.send(envelope, generatedBody(4 * 1024 * 1024))).rejects.toMatchObject({
      code: 'ERR_CLIENT_CLOSED',
    });
  });

  it('closes an idle connection, or says 421 and closes: the next send fails at once, nothing sent', async () => {
    for (const goodbye of ['', '421 4.4.2 idle too long\r\n']) {
      let after = '';
      const s = await serve(async (c) => {
        await greetAndHello(c);
        await new Promise((r) => setTimeout(r, 50));
        if (goodbye !== '') c.send(goodbye);
        c.socket.end();
        await new Promise((r) => c.socket.once('close', r));
        after = c.received().toString('latin1');
      });
      const client = await connect({ host: HOST, port: s.port });
      await new Promise((r) => setTimeout(r, 200));
      expect(client.closed).toBe(true);
      await expect(client.send(envelope, MESSAGE)).rejects.toMatchObject({
        code: 'ERR_CLIENT_CLOSED',
      });
      expect(after).not.toContain('MAIL');
    }
  });
});
