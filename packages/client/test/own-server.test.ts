// The client against @smtpkit/server over real sockets on loopback. Every test checks that what
// the server's data hook stored equals what the client was given.
import { createHash } from 'node:crypto';
import diagnosticsChannel from 'node:diagnostics_channel';
import net from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type SmtpClient } from '../src/index.js';
import { collect, crlfNormalised, generatedBody } from './support/bodies.js';
import { type ReceivingServer, startReceivingServer } from './support/receiving-server.js';

const MESSAGE = Buffer.from(
  'From: a@example.org\r\nTo: b@example.com\r\nSubject: hi\r\n\r\nHello\r\n.leading dot\r\n',
);
const HOST = '127.0.0.1';

/** A socket whose writes are recorded: each entry is what one `write` call (or one cork) gave. */
function recordingSocket(port: number): { socket: net.Socket; writes: string[] } {
  const socket = net.connect({ host: HOST, port });
  const writes: string[] = [];
  let corked: string[] | undefined;
  const write = socket.write.bind(socket) as (chunk: Uint8Array) => boolean;
  const cork = socket.cork.bind(socket);
  const uncork = socket.uncork.bind(socket);
  socket.cork = () => {
    corked = [];
    cork();
  };
  socket.uncork = () => {
    if (corked !== undefined) writes.push(corked.join(''));
    corked = undefined;
    uncork();
  };
  socket.write = ((chunk: Uint8Array) => {
    const text = Buffer.from(chunk).toString('latin1');
    if (corked !== undefined) corked.push(text);
    else writes.push(text);
    return write(chunk);
  }) as typeof socket.write;
  return { socket, writes };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('the client against @smtpkit/server', () => {
  let server: ReceivingServer;
  let noChunking: ReceivingServer;
  let bare: ReceivingServer;
  beforeAll(async () => {
    server = await startReceivingServer({
      refuse: ['<nobody@example.com>', '<banned@example.org>'],
    });
    noChunking = await startReceivingServer({ without: ['CHUNKING'] });
    bare = await startReceivingServer({ without: ['CHUNKING', 'PIPELINING', 'SMTPUTF8'] });
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), noChunking?.stop(), bare?.stop()]);
  });

  async function sendOne(
    to: ReceivingServer,
    options: { chunking?: boolean } = {},
  ): Promise<{ client: SmtpClient; writes: string[] }> {
    const { socket, writes } = recordingSocket(to.port);
    const client = await connect({ socket, hostname: 'client.example', ...options });
    return { client, writes };
  }

  it('PIPELINING + CHUNKING: MAIL, both RCPTs, BDAT LAST and the message in one write', async () => {
    const { client, writes } = await sendOne(server);
    const before = server.messages.length;
    const result = await client.send(
      { from: 'a@example.org', to: ['b@example.com', 'c@example.com'] },
      MESSAGE,
    );
    expect(result.via).toBe('BDAT');
    expect(result.recipients.map((r) => r.accepted)).toEqual([true, true]);
    const group = writes.filter((w) => w.includes('MAIL FROM:'));
    expect(group).toHaveLength(1);
    expect(group[0]).toMatch(
      /^MAIL FROM:<a@example.org> SIZE=\d+\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nBDAT \d+ LAST\r\nFrom: /,
    );
    const [m] = await server.waitForMessages(before + 1).then((all) => all.slice(before));
    expect(m?.body).toEqual(MESSAGE);
    expect([m?.from, m?.to, m?.via]).toEqual([
      '<a@example.org>',
      ['<b@example.com>', '<c@example.com>'],
      'BDAT',
    ]);
    await client.quit();
    expect(client.closed).toBe(true);
  });

  it('PIPELINING without CHUNKING: MAIL, RCPT and DATA in one write, then the dot-stuffed body', async () => {
    const { client, writes } = await sendOne(noChunking);
    const before = noChunking.messages.length;
    const result = await client.send({ from: 'a@example.org', to: 'b@example.com' }, MESSAGE);
    expect(result.via).toBe('DATA');
    expect(writes.filter((w) => w.includes('MAIL FROM:'))[0]).toMatch(
      /^MAIL FROM:<a@example.org> SIZE=\d+\r\nRCPT TO:<b@example.com>\r\nDATA\r\n$/,
    );
    expect(writes.some((w) => w.includes('\r\n..leading dot\r\n.\r\n'))).toBe(true);
    const m = (await noChunking.waitForMessages(before + 1))[before];
    expect(m?.body).toEqual(MESSAGE);
    expect(m?.via).toBe('DATA');
    await client.quit();
  });

  it('chunking: false sends DATA to a server that offers CHUNKING', async () => {
    const { client } = await sendOne(server, { chunking: false });
    const before = server.messages.length;
    const result = await client.send({ from: 'a@example.org', to: 'b@example.com' }, MESSAGE);
    expect(result.via).toBe('DATA');
    expect((await server.waitForMessages(before + 1))[before]?.body).toEqual(MESSAGE);
    await client.quit();
  });

  it('without PIPELINING: one command at a time', async () => {
    const { client, writes } = await sendOne(bare);
    const before = bare.messages.length;
    const result = await client.send(
      { from: 'a@example.org', to: ['b@example.com', 'c@example.com'] },
      MESSAGE,
    );
    expect(result.recipients.every((r) => r.accepted)).toBe(true);
    const commands = writes.filter((w) => /^(MAIL|RCPT|DATA)/.test(w));
    expect(commands.map((w) => w.slice(0, 4))).toEqual(['MAIL', 'RCPT', 'RCPT', 'DATA']);
    expect((await bare.waitForMessages(before + 1))[before]?.body).toEqual(MESSAGE);
    await client.quit();
  });

  it('several messages on one connection, with RSET and NOOP between them', async () => {
    const client = await connect({ host: HOST, port: server.port });
    const before = server.messages.length;
    for (let i = 0; i < 3; i++) {
      const body = Buffer.from(`Subject: ${i}\r\n\r\nmessage ${i}\r\n`);
      const r = await client.send({ from: 'a@example.org', to: 'b@example.com' }, body);
      expect(r.message?.code).toBe(250);
      expect((await client.reset()).code).toBe(250);
      expect((await client.noop()).code).toBe(250);
    }
    const got = (await server.waitForMessages(before + 3)).slice(before);
    expect(got.map((m) => m.body.toString())).toEqual(
      [0, 1, 2].map((i) => `Subject: ${i}\r\n\r\nmessage ${i}\r\n`),
    );
    await client.quit();
  });

  it('operations called together run in order', async () => {
    const client = await connect({ host: HOST, port: server.port });
    const before = server.messages.length;
    const bodies = [0, 1, 2, 3].map((i) => Buffer.from(`Subject: together ${i}\r\n\r\n${i}\r\n`));
    const results = await Promise.all(
      bodies.map((b) => client.send({ from: 'a@example.org', to: 'b@example.com' }, b)),
    );
    expect(results.every((r) => r.message?.code === 250)).toBe(true);
    const quit = client.quit();
    await expect(client.noop()).rejects.toMatchObject({ code: 'ERR_CLIENT_CLOSED' });
    await quit;
    const got = (await server.waitForMessages(before + 4)).slice(before);
    expect(got.map((m) => m.body)).toEqual(bodies);
  });

  it('partial acceptance is a result: each recipient has its reply', async () => {
    const client = await connect({ host: HOST, port: server.port });
    const before = server.messages.length;
    const result = await client.send(
      { from: 'a@example.org', to: ['b@example.com', 'nobody@example.com', 'c@example.com'] },
      MESSAGE,
    );
    expect(result.recipients.map((r) => [r.accepted, r.reply.code])).toEqual([
      [true, 250],
      [false, 550],
      [true, 250],
    ]);
    const m = (await server.waitForMessages(before + 1))[before];
    expect(m?.to).toEqual(['<b@example.com>', '<c@example.com>']);
    expect(m?.body).toEqual(MESSAGE);
    await client.quit();
  });

  it('a refused MAIL rejects with the command and the reply; the client stays usable', async () => {
    const client = await connect({ host: HOST, port: server.port });
    const error = await client
      .send({ from: 'banned@example.org', to: 'b@example.com' }, MESSAGE)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_CLIENT_REPLY',
      command: 'MAIL FROM',
      replyCode: 550,
      enhancedCode: '5.7.1',
      permanent: true,
    });
    const before = server.messages.length;
    await client.send({ from: '<>', to: 'b@example.com' }, MESSAGE);
    const m = (await server.waitForMessages(before + 1))[before];
    expect([m?.from, m?.body]).toEqual(['<>', MESSAGE]);
    await client.quit();
  });

  it('SMTPUTF8: UTF-8 addresses and text arrive as sent', async () => {
    const client = await connect({ host: HOST, port: server.port });
    const before = server.messages.length;
    const body = Buffer.from('Subject: Grüße\r\nTo: 用户@例子.广告\r\n\r\nçava ✓\r\n', 'utf8');
    const result = await client.send({ from: 'jörg@bücher.example', to: '用户@例子.广告' }, body);
    expect(result.recipients[0]?.accepted).toBe(true);
    const m = (await server.waitForMessages(before + 1))[before];
    expect([m?.from, m?.to, m?.body]).toEqual([
      '<jörg@bücher.example>',
      ['<用户@例子.广告>'],
      body,
    ]);
    expect(m?.mailParams['SMTPUTF8']).toBeDefined();
    await client.quit();
  });

  it('a UTF-8 address to a server without SMTPUTF8 fails before anything is sent', async () => {
    const client = await connect({ host: HOST, port: bare.port });
    const before = bare.messages.length;
    await expect(
      client.send({ from: 'a@example.org', to: 'jörg@example.com' }, MESSAGE),
    ).rejects.toMatchObject({ code: 'ERR_CLIENT_EXTENSION', permanent: true });
    // Still usable: the next message goes.
    await client.send({ from: 'a@example.org', to: 'b@example.com' }, MESSAGE);
    expect((await bare.waitForMessages(before + 1)).slice(before).map((m) => m.to)).toEqual([
      ['<b@example.com>'],
    ]);
    await client.quit();
  });

  it('an envelope address that does not parse is API misuse, and nothing is sent', async () => {
    const client = await connect({ host: HOST, port: server.port });
    await expect(
      client.send(
        { from: 'a@example.org', to: 'b@example.com>\r\nRCPT TO:<c@example.com' },
        MESSAGE,
      ),
    ).rejects.toMatchObject({ code: 'ERR_CLIENT_MISUSE_INVALID_ARGUMENT', misuse: true });
    expect((await client.noop()).code).toBe(250);
    await client.quit();
  });

  for (const via of ['BDAT', 'DATA'] as const) {
    const name = via;
    it(`streams a 24 MB body by ${name} with backpressure: the reader is never far behind`, async () => {
      const SIZE = 24 * 1024 * 1024;
      let produced = 0;
      let producedWhenReadStarts = -1;
      const slow = await startReceivingServer({
        without: name === 'DATA' ? ['CHUNKING'] : [],
        readDelayMs: 400,
        onChunk: () => {
          if (producedWhenReadStarts === -1) producedWhenReadStarts = produced;
        },
      });
      try {
        const client = await connect({ host: HOST, port: slow.port });
        const result = await client.send(
          { from: 'a@example.org', to: 'b@example.com' },
          Readable.from(
            generatedBody(SIZE, 64 * 1024, (n) => {
              produced = n;
            }),
          ),
        );
        expect(result.via).toBe(via);
        const [m] = await slow.waitForMessages(1, 20_000);
        // The generated body does not end with CRLF: DATA adds one (RFC 5321 §4.1.1.4).
        const whole = await collect(generatedBody(SIZE));
        const expected = via === 'DATA' ? crlfNormalised(whole) : whole;
        expect(m?.body.length).toBe(expected.length);
        expect(sha(m?.body as Buffer)).toBe(sha(expected));
        // While the data hook did not read, the client stopped reading its source once the
        // socket's buffers were full: far less than the whole body was produced.
        expect(producedWhenReadStarts).toBeGreaterThan(0);
        expect(producedWhenReadStarts).toBeLessThan(SIZE / 2);
        await client.quit();
      } finally {
        await slow.stop();
      }
    }, 30_000);
  }

  it('a message given as a string is sent as UTF-8; an async iterable of strings too', async () => {
    const client = await connect({ host: HOST, port: server.port });
    const before = server.messages.length;
    await client.send({ from: 'a@example.org', to: 'b@example.com' }, 'Subject: é\r\n\r\nü\r\n');
    async function* pieces() {
      yield 'Subject: streamed\r\n';
      yield '\r\n';
      yield 'ß\r\n';
    }
    await client.send({ from: 'a@example.org', to: 'b@example.com' }, pieces());
    const got = (await server.waitForMessages(before + 2)).slice(before);
    expect(got.map((m) => m.body.toString('utf8'))).toEqual([
      'Subject: é\r\n\r\nü\r\n',
      'Subject: streamed\r\n\r\nß\r\n',
    ]);
    await client.quit();
  });

  it('a message stream that fails cuts the connection: no part of it is delivered', async () => {
    const client = await connect({ host: HOST, port: server.port });
    const before = server.messages.length;
    async function* failing() {
      yield Buffer.from('Subject: half\r\n\r\nfirst half\r\n');
      throw new Error('disk gone');
    }
    await expect(
      client.send({ from: 'a@example.org', to: 'b@example.com' }, failing()),
    ).rejects.toThrow('disk gone');
    expect(client.closed).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.messages.length).toBe(before);
  });

  it('LMTP: one reply per recipient after the message', async () => {
    const lmtp = await startReceivingServer({ lmtp: true, refuse: ['<nobody@example.com>'] });
    try {
      const client = await connect({ host: HOST, port: lmtp.port, lmtp: true });
      const result = await client.send(
        { from: 'a@example.org', to: ['b@example.com', 'nobody@example.com', 'c@example.com'] },
        MESSAGE,
      );
      expect(result.recipients.map((r) => [r.accepted, r.reply.code, r.final?.code])).toEqual([
        [true, 250, 250],
        [false, 550, undefined],
        [true, 250, 250],
      ]);
      const [m] = await lmtp.waitForMessages(1);
      expect(m?.body).toEqual(MESSAGE);
      expect(m?.to).toEqual(['<b@example.com>', '<c@example.com>']);
      await client.quit();
    } finally {
      await lmtp.stop();
    }
  });

  it('the default EHLO name is os.hostname() when valid, else an address literal', async () => {
    const seen: string[] = [];
    const onCommand = (m: unknown) => seen.push((m as { verb: string }).verb);
    diagnosticsChannel.subscribe('smtpkit:server:command', onCommand);
    try {
      const client = await connect({ host: HOST, port: server.port });
      await client.quit();
    } finally {
      diagnosticsChannel.unsubscribe('smtpkit:server:command', onCommand);
    }
    expect(seen[0]).toBe('EHLO');
  });

  it('publishes smtpkit:client:* diagnostics: connection, command verbs, replies, message', async () => {
    const got: Record<string, unknown[]> = { connection: [], command: [], reply: [], message: [] };
    const subs = Object.keys(got).map((name) => {
      const fn = (m: unknown) => got[name]?.push(m);
      diagnosticsChannel.subscribe(`smtpkit:client:${name}`, fn);
      return () => diagnosticsChannel.unsubscribe(`smtpkit:client:${name}`, fn);
    });
    try {
      const client = await connect({ host: HOST, port: server.port });
      await client.send(
        { from: 'a@example.org', to: ['b@example.com', 'nobody@example.com'] },
        MESSAGE,
      );
      await client.quit();
      const id = client.id;
      expect(got['connection']).toEqual([
        expect.objectContaining({
          id,
          event: 'open',
          remoteAddress: HOST,
          remotePort: server.port,
        }),
        { id, event: 'close' },
      ]);
      expect((got['command'] as { verb: string }[]).map((c) => c.verb)).toEqual([
        'EHLO',
        'MAIL',
        'RCPT',
        'RCPT',
        'BDAT',
        'QUIT',
      ]);
      expect((got['reply'] as { code: number }[]).map((r) => r.code)).toEqual([
        220, 250, 250, 250, 550, 250, 221,
      ]);
      expect(got['message']).toEqual([
        { id, size: MESSAGE.length, recipients: 2, accepted: 1, via: 'BDAT', code: 250 },
      ]);
    } finally {
      for (const unsubscribe of subs) unsubscribe();
    }
  });
});
