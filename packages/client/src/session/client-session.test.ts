import { parseMailbox } from '@smtpkit/address';
import { createRegistry, defaultExtensions } from '@smtpkit/extensions';
import { ReplyException, replies } from '@smtpkit/reply';
import { createPlainClient, createScramSha256Client, scramCredentials } from '@smtpkit/sasl';
import { nodeSaslCrypto } from '@smtpkit/sasl/node';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../client-error.js';
import type { ClientEvent, SendEnvelope } from './client-events.js';
import { ClientSession } from './client-session.js';
import { codesOf, pair } from './pair.test-support.js';

const enc = (text: string) => new TextEncoder().encode(text);
const dec = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const box = (a: string) =>
  ({ kind: 'mailbox', mailbox: parseMailbox(a, { smtputf8: true }) }) as const;

function envelope(to: readonly string[], extra: Partial<SendEnvelope> = {}): SendEnvelope {
  return { from: box('alice@example.org'), to: to.map(box), ...extra };
}

function only<T extends ClientEvent['type']>(events: readonly ClientEvent[], type: T) {
  return events.filter((e): e is Extract<ClientEvent, { type: T }> => e.type === type);
}

function written(events: readonly ClientEvent[]): string {
  return only(events, 'write')
    .map((e) => dec(e.bytes))
    .join('');
}

const MESSAGE = 'Subject: hi\r\n\r\nHello\r\n.leading dot\r\n';

describe('ClientSession against the server session, in memory', () => {
  it('greets, says EHLO and reads the capabilities', () => {
    const p = pair();
    expect(p.events.map((e) => e.type)).toEqual(['greeting']);
    const ready = only(
      p.run((c) => c.hello()),
      'ready',
    )[0];
    expect(ready?.capabilities.has('PIPELINING')).toBe(true);
    expect(ready?.capabilities.has('CHUNKING')).toBe(true);
    expect(p.client.state.phase).toBe('ready');
  });

  it('sends a message with PIPELINING and BDAT in one write, every recipient accepted', () => {
    const p = pair();
    p.run((c) => c.hello());
    const events = p.run((c) => c.send(envelope(['b@example.com', 'c@example.com']), enc(MESSAGE)));
    // MAIL, two RCPTs, BDAT LAST and the message: one write (RFC 2920 §3.1, RFC 3030 §4.2).
    expect(only(events, 'write')).toHaveLength(1);
    expect(written(events)).toMatch(
      /^MAIL FROM:<alice@example.org> SIZE=\d+\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nBDAT \d+ LAST\r\n/,
    );
    const sent = only(events, 'sent')[0];
    expect(sent?.result.via).toBe('BDAT');
    expect(sent?.result.recipients.map((r) => r.accepted)).toEqual([true, true]);
    expect(codesOf([sent?.result.mail, sent?.result.message])).toEqual([250, 250]);
    expect(dec(p.bodies[0] as Uint8Array)).toBe(MESSAGE);
    expect(p.client.state.phase).toBe('ready');
  });

  it('uses DATA with dot-stuffing when CHUNKING is not used, and the body arrives intact', () => {
    const p = pair({}, { chunking: false });
    p.run((c) => c.hello());
    const events = p.run((c) => c.send(envelope(['b@example.com']), enc(MESSAGE)));
    expect(written(events)).toContain('\r\nDATA\r\n');
    expect(written(events)).toContain('\r\n..leading dot\r\n.\r\n');
    expect(only(events, 'sent')[0]?.result.via).toBe('DATA');
    expect(dec(p.bodies[0] as Uint8Array)).toBe(MESSAGE);
  });

  it('reports partial acceptance per recipient, not as an error', () => {
    const p = pair({
      options: { hooks: ['data', 'rcpt'] },
      decide: (ask) => {
        const to = (ask.payload as { forwardPath?: { mailbox?: { localPart: string } } })
          .forwardPath?.mailbox?.localPart;
        return ask.hook === 'rcpt' && to === 'nobody'
          ? { kind: 'reply', reply: replies.R550_5_1_1_NoSuchUser }
          : undefined;
      },
    });
    p.run((c) => c.hello());
    const events = p.run((c) =>
      c.send(envelope(['b@example.com', 'nobody@example.com']), enc(MESSAGE)),
    );
    const result = only(events, 'sent')[0]?.result;
    expect(result?.recipients.map((r) => [r.reply.code, r.accepted])).toEqual([
      [250, true],
      [550, false],
    ]);
    expect(only(events, 'error')).toEqual([]);
  });

  it('sends no message when every recipient is refused', () => {
    const p = pair({
      options: { hooks: ['data', 'rcpt'] },
      decide: (ask) =>
        ask.hook === 'rcpt' ? { kind: 'reply', reply: replies.R550_5_1_1_NoSuchUser } : undefined,
    });
    p.run((c) => c.hello());
    const events = p.run((c) => c.send(envelope(['x@example.com']), enc(MESSAGE)));
    const result = only(events, 'sent')[0]?.result;
    expect(result?.recipients[0]?.accepted).toBe(false);
    expect(p.bodies).toEqual([]);
    expect(p.client.state.phase).toBe('ready');
  });

  it('a refused MAIL is an error carrying the command and the reply', () => {
    const p = pair({
      options: { hooks: ['data', 'mail'] },
      decide: (ask) =>
        ask.hook === 'mail'
          ? { kind: 'reply', reply: replies.R550_5_7_1_DeliveryNotAuthorized }
          : undefined,
    });
    p.run((c) => c.hello());
    const events = p.run((c) => c.send(envelope(['b@example.com']), enc(MESSAGE)));
    const error = only(events, 'error')[0]?.error;
    expect(error).toBeInstanceOf(ClientError);
    expect(error?.code).toBe('ERR_CLIENT_REPLY');
    expect(error?.command).toBe('MAIL FROM');
    expect(error?.replyCode).toBe(550);
    expect(error?.permanent).toBe(true);
    expect(only(events, 'sent')).toEqual([]);
    expect(p.client.state.phase).toBe('ready');
  });

  it('streams a body after body-wanted, by BDAT chunks and by DATA', () => {
    for (const chunking of [true, false]) {
      const p = pair({}, { chunking });
      p.run((c) => c.hello());
      const wanted = p.run((c) => c.send(envelope(['b@example.com'])));
      expect(only(wanted, 'body-wanted')[0]?.via).toBe(chunking ? 'BDAT' : 'DATA');
      p.run((c) => c.bodyChunk(enc('Subject: s\r\n\r\nline one\r\n')));
      p.run((c) => c.bodyChunk(enc('.dot line\r\nend\r\n')));
      const done = p.run((c) => c.bodyEnd());
      expect(only(done, 'sent')[0]?.result.recipients[0]?.accepted).toBe(true);
      expect(dec(p.bodies[0] as Uint8Array)).toBe(
        'Subject: s\r\n\r\nline one\r\n.dot line\r\nend\r\n',
      );
    }
  });

  it('sends several messages on one connection, then QUIT closes it', () => {
    const p = pair();
    p.run((c) => c.hello());
    for (let i = 0; i < 3; i++) {
      const events = p.run((c) =>
        c.send(envelope(['b@example.com']), enc(`Subject: ${i}\r\n\r\nx\r\n`)),
      );
      expect(only(events, 'sent')).toHaveLength(1);
    }
    expect(p.bodies).toHaveLength(3);
    const bye = p.run((c) => c.quit());
    expect(bye.at(-1)).toEqual({ type: 'close', reason: 'quit' });
  });

  it('refuses, before sending anything, a UTF-8 address to a server without SMTPUTF8', () => {
    const p = pair({
      options: {
        registry: createRegistry(defaultExtensions().filter((e) => e.name !== 'SMTPUTF8')),
      },
    });
    p.run((c) => c.hello());
    const events = p.run((c) => c.send(envelope(['测试@example.com']), enc(MESSAGE)));
    expect(written(events)).toBe('');
    const error = only(events, 'error')[0]?.error;
    expect(error?.code).toBe('ERR_CLIENT_EXTENSION');
    expect(error?.permanent).toBe(true);
  });

  it('uses SMTPUTF8 when an address needs it and the server offers it', () => {
    const p = pair();
    p.run((c) => c.hello());
    const events = p.run((c) => c.send(envelope(['测试@例子.example']), enc(MESSAGE)));
    expect(written(events)).toContain('SMTPUTF8');
    expect(only(events, 'sent')[0]?.result.recipients[0]?.accepted).toBe(true);
  });

  it('refuses a value that would put CR or LF on the wire, as API misuse', () => {
    const registry = createRegistry(defaultExtensions());
    for (const hostname of ['c.example\r\nMAIL FROM:<x@y>', 'two words', '']) {
      expect(() => new ClientSession({ hostname, registry })).toThrow(
        expect.objectContaining({ code: 'ERR_CLIENT_MISUSE_INVALID_ARGUMENT' }),
      );
    }
    // A DSN ENVID with CR LF is xtext-encoded (RFC 3461 §4), never sent raw.
    const p = pair();
    p.run((c) => c.hello());
    const events = p.run((c) =>
      c.send(
        envelope(['b@example.com'], { mailParams: { ENVID: 'a\r\nRCPT TO:<x@y>' } }),
        enc(MESSAGE),
      ),
    );
    expect(written(events)).toContain('ENVID=a+0D+0ARCPT');
    expect(
      written(events)
        .split('\r\n')
        .filter((l) => l.startsWith('RCPT')),
    ).toHaveLength(1);
  });

  it('refuses operations out of order as API misuse', () => {
    const c = new ClientSession({
      hostname: 'c.example',
      registry: createRegistry(defaultExtensions()),
    });
    expect(() => c.send(envelope(['b@example.com']), enc(MESSAGE))).toThrow(
      expect.objectContaining({ code: 'ERR_CLIENT_MISUSE_STATE', misuse: true }),
    );
  });

  it('AUTH PLAIN and SCRAM-SHA-256 (the server proves itself)', () => {
    const stored = scramCredentials('pencil', new Uint8Array(16).fill(3), 4096, nodeSaslCrypto);
    for (const mechanism of [
      createPlainClient({ username: 'user', password: 'pencil' }),
      createScramSha256Client({ username: 'user', password: 'pencil', crypto: nodeSaslCrypto }),
    ]) {
      const p = pair({
        options: { hooks: ['data', 'auth', 'auth-lookup'] },
        decide: (ask) =>
          ask.hook === 'auth-lookup'
            ? { kind: 'resolved', value: stored }
            : ask.hook === 'auth'
              ? { kind: 'resolved', value: true }
              : undefined,
      });
      p.run((c) => c.hello());
      const events = p.run((c) => c.authenticate(mechanism));
      expect(only(events, 'authenticated')).toHaveLength(1);
      expect(p.server.user).toBe('user');
    }
  });

  it('with observe: each command verb, never AUTH arguments nor SASL responses', () => {
    const p = pair(
      {
        options: { hooks: ['data', 'auth'] },
        decide: (ask) => (ask.hook === 'auth' ? { kind: 'resolved', value: true } : undefined),
      },
      { observe: true },
    );
    const verbs = (events: readonly ClientEvent[]) => only(events, 'command').map((e) => e.verb);
    expect(verbs(p.run((c) => c.hello()))).toEqual(['EHLO']);
    const auth = p.run((c) =>
      c.authenticate(
        createPlainClient({ username: 'u', password: 'secret', useInitialResponse: false }),
      ),
    );
    expect(verbs(auth)).toEqual(['AUTH']);
    expect(JSON.stringify(only(auth, 'command'))).not.toContain('secret');
    const sent = p.run((c) => c.send(envelope(['b@example.com', 'c@example.com']), enc(MESSAGE)));
    expect(verbs(sent)).toEqual(['MAIL', 'RCPT', 'RCPT', 'BDAT']);
    expect(only(sent, 'received').map((e) => e.reply.code)).toEqual([250, 250, 250, 250]);
  });

  it('names the RFC 5321 §4.5.3.2 wait in force, and its timeout', () => {
    const s = new ClientSession({
      hostname: 'c.example',
      registry: createRegistry(defaultExtensions()),
      timeouts: { greeting: 1234 },
    });
    expect([s.waitingFor(), s.timeoutFor()]).toEqual(['greeting', 1234]);
    s.receive(enc('220 mx.example\r\n'));
    expect(s.waitingFor()).toBeUndefined();
    s.hello();
    expect([s.waitingFor(), s.timeoutFor()]).toEqual(['command', 300_000]);
    s.receive(enc('250 mx.example\r\n'));
    s.send(envelope(['b@example.com']), enc(MESSAGE));
    expect(s.waitingFor()).toBe('mail');
    s.receive(enc('250 ok\r\n'));
    expect(s.waitingFor()).toBe('rcpt');
    s.receive(enc('250 ok\r\n'));
    expect(s.waitingFor()).toBe('dataInit');
    s.receive(enc('354 go\r\n'));
    expect([s.waitingFor(), s.timeoutFor()]).toEqual(['dataTermination', 600_000]);
  });

  it('a refused AUTH is an error and the session stays usable', () => {
    const p = pair({
      options: { hooks: ['data', 'auth'] },
      decide: (ask) => (ask.hook === 'auth' ? { kind: 'resolved', value: false } : undefined),
    });
    p.run((c) => c.hello());
    const events = p.run((c) =>
      c.authenticate(createPlainClient({ username: 'u', password: 'bad' })),
    );
    expect(only(events, 'error')[0]?.error.replyCode).toBe(535);
    expect(only(events, 'error')[0]?.error.command).toBe('AUTH PLAIN');
    expect(p.client.state.phase).toBe('ready');
  });

  it('LMTP: one reply per accepted recipient after the message', () => {
    // The pair resolves the data hook with no value: every recipient gets 250.
    const p = pair({ options: { lmtp: true } }, { lmtp: true });
    p.run((c) => c.hello());
    const events = p.run((c) => c.send(envelope(['b@example.com', 'c@example.com']), enc(MESSAGE)));
    const result = only(events, 'sent')[0]?.result;
    expect(result?.recipients.map((r) => [r.accepted, r.final?.code])).toEqual([
      [true, 250],
      [true, 250],
    ]);
  });

  it('a hook that throws ReplyException refuses the message with its reply', () => {
    const p = pair({
      decide: (ask) =>
        ask.hook === 'data'
          ? { kind: 'reply', reply: new ReplyException(replies.R554_5_0_0_TransactionFailed).reply }
          : undefined,
    });
    p.run((c) => c.hello());
    const events = p.run((c) => c.send(envelope(['b@example.com']), enc(MESSAGE)));
    const result = only(events, 'sent')[0]?.result;
    expect(result?.message?.code).toBe(554);
    expect(result?.recipients[0]?.accepted).toBe(false);
  });
});
