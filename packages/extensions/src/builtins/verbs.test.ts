import { describe, expect, it } from 'vitest';
import { extensionReplies } from '../extension-replies.js';
import { createRegistry } from '../registry.js';
import { serverCapabilities } from '../server-capabilities.js';
import { sessionContext } from '../test-context.js';
import { auth, parseAuthArguments } from './auth.js';
import { eightBitMime } from './eight-bit-mime.js';
import { etrn, etrnReplies, parseEtrnArgument } from './etrn.js';
import { requireTls } from './require-tls.js';
import { smtpUtf8 } from './smtp-utf8.js';
import { startTls } from './start-tls.js';

describe('ETRN (RFC 1985)', () => {
  const registry = createRegistry([etrn()]);

  it('reads the three argument forms', () => {
    expect(parseEtrnArgument('example.com')).toEqual({ kind: 'domain', node: 'example.com' });
    expect(parseEtrnArgument('@example.com')).toEqual({ kind: 'subdomains', node: 'example.com' });
    expect(parseEtrnArgument('#queue1')).toEqual({ kind: 'queue', node: 'queue1' });
    for (const bad of [undefined, '', '@', '#', 'a b', '"quoted"', '-bad.com', 'a..b', '#a b']) {
      expect(parseEtrnArgument(bad), String(bad)).toBeUndefined();
    }
  });

  it('asks the application hook, outside a transaction only', () => {
    expect(registry.dispatch('ETRN', '@example.com', sessionContext())).toEqual({
      kind: 'ask',
      hook: 'etrn',
      payload: { kind: 'subdomains', node: 'example.com' },
    });
    expect(registry.dispatch('ETRN', 'example.com', sessionContext({ phase: 'mail' }))).toEqual({
      kind: 'reply',
      reply: extensionReplies.R503_5_5_1_BadSequence,
    });
    expect(registry.dispatch('ETRN', undefined, sessionContext())).toEqual({
      kind: 'reply',
      reply: extensionReplies.R501_5_5_4_SyntaxErrorInParameters,
    });
  });

  it('has the RFC 1985 replies 250/251/252/253/458/459', () => {
    const codes = [
      etrnReplies.R250_2_0_0_QueuingStarted('x.org'),
      etrnReplies.R251_2_0_0_NoMessagesWaiting('x.org'),
      etrnReplies.R252_2_0_0_PendingMessagesStarted('x.org'),
      etrnReplies.R253_2_0_0_PendingMessagesCount('x.org', 3),
      etrnReplies.R458_4_5_0_UnableToQueue('x.org'),
      etrnReplies.R459_4_5_0_NodeNotAllowed('x.org', 'not a customer'),
    ].map((r) => r.code);
    expect(codes).toEqual([250, 251, 252, 253, 458, 459]);
    expect(() => etrnReplies.R459_4_5_0_NodeNotAllowed('x', 'a\r\n250 injected')).toThrow();
  });
});

describe('STARTTLS (RFC 3207)', () => {
  const registry = createRegistry([startTls()]);

  it('takes no argument (501 5.5.4)', () => {
    expect(registry.dispatch('STARTTLS', 'now', sessionContext())).toEqual({
      kind: 'reply',
      reply: extensionReplies.R501_5_5_4_StartTlsNoParameters,
    });
  });

  it('is refused under TLS (503 5.5.1) and inside a transaction', () => {
    expect(registry.dispatch('STARTTLS', undefined, sessionContext({ tls: true }))).toEqual({
      kind: 'reply',
      reply: extensionReplies.R503_5_5_1_TlsAlreadyActive,
    });
    expect(
      registry.dispatch('STARTTLS', undefined, sessionContext({ phase: 'rcpt' })),
    ).toMatchObject({
      reply: { code: 503 },
    });
    expect(registry.pipelining('STARTTLS')).toBe('last');
  });
});

describe('AUTH (RFC 4954)', () => {
  const registry = createRegistry([auth({ mechanisms: ['plain', 'LOGIN'] })]);
  const tls = sessionContext({ tls: true });

  it('advertises mechanisms under TLS only, by default', () => {
    expect(registry.advertise(tls)).toEqual(['AUTH PLAIN LOGIN']);
    expect(registry.advertise(sessionContext())).toEqual([]);
    const policy = createRegistry([
      auth({ mechanisms: (ctx) => (ctx.lmtp ? [] : ['PLAIN']), allowWithoutTls: true }),
    ]);
    expect(policy.advertise(sessionContext())).toEqual(['AUTH PLAIN']);
  });

  it('reads mechanism and initial response', () => {
    expect(parseAuthArguments('PLAIN =')).toEqual({ mechanism: 'PLAIN', initialResponse: '=' });
    expect(parseAuthArguments('PLAIN')).toEqual({ mechanism: 'PLAIN', initialResponse: undefined });
    expect(parseAuthArguments('PLAIN abc')).toBe('base64');
    expect(parseAuthArguments('')).toBe('syntax');
    expect(parseAuthArguments('THIS-NAME-IS-TOO-LONG-X')).toBe('syntax');
  });

  it('starts the SASL exchange or refuses with the RFC replies', () => {
    expect(registry.dispatch('AUTH', 'plain AGFsaWNlAHNlY3JldA==', tls)).toEqual({
      kind: 'auth',
      mechanism: 'PLAIN',
      initialResponse: 'AGFsaWNlAHNlY3JldA==',
    });
    expect(registry.dispatch('AUTH', 'CRAM-MD5', tls)).toEqual({
      kind: 'reply',
      reply: extensionReplies.R504_5_5_4_UnrecognizedAuthType,
    });
    expect(registry.dispatch('AUTH', 'PLAIN', { ...tls, authenticated: true })).toEqual({
      kind: 'reply',
      reply: extensionReplies.R503_5_5_1_AlreadyAuthenticated,
    });
    expect(registry.dispatch('AUTH', 'PLAIN', { ...tls, phase: 'mail' })).toEqual({
      kind: 'reply',
      reply: extensionReplies.R503_5_5_1_AuthDuringTransaction,
    });
    expect(registry.dispatch('AUTH', 'PLAIN', sessionContext())).toEqual({
      kind: 'reply',
      reply: extensionReplies.R538_5_7_11_EncryptionRequiredForAuthMechanism,
    });
    expect(registry.dispatch('AUTH', 'PLAIN !!!!', tls)).toEqual({
      kind: 'reply',
      reply: extensionReplies.R501_5_5_2_CannotDecodeBase64,
    });
  });

  it('AUTH= is an xtext mailbox or <> (§5)', () => {
    const p = (v: string) => registry.parseMailParams([{ keyword: 'AUTH', value: v }], tls);
    expect(p('<>')).toEqual({ ok: true, value: { AUTH: { kind: 'unknown' } } });
    expect(p('hey+3Da@example.com')).toEqual({
      ok: true,
      value: { AUTH: { kind: 'mailbox', mailbox: 'hey=a@example.com' } },
    });
    expect(p('<hey+A>')).toMatchObject({ ok: false, reply: { code: 501 } });
  });
});

describe('REQUIRETLS (RFC 8689)', () => {
  const registry = createRegistry([requireTls()]);
  const param = [{ keyword: 'REQUIRETLS', value: undefined }];

  it('is offered and accepted only under TLS', () => {
    expect(registry.advertise(sessionContext())).toEqual([]);
    expect(registry.advertise(sessionContext({ tls: true }))).toEqual(['REQUIRETLS']);
    expect(registry.parseMailParams(param, sessionContext())).toEqual({
      ok: false,
      reply: extensionReplies.R555_5_5_4_ParameterNotRecognized,
    });
    expect(registry.parseMailParams(param, sessionContext({ tls: true }))).toEqual({
      ok: true,
      value: { REQUIRETLS: true },
    });
    expect(registry.transactionEffects({ REQUIRETLS: true }).requireTls).toBe(true);
  });

  it('client: refuses without TLS or when not offered, sends it otherwise', () => {
    const env = { requireTls: true, mailParams: {}, recipients: [] };
    const offered = serverCapabilities({ REQUIRETLS: [] });
    expect(registry.clientCheck(env, offered, { tls: false, lmtp: false })?.code).toBe(
      'ERR_EXTENSION_REQUIRETLS_WITHOUT_TLS',
    );
    expect(
      registry.clientCheck(env, serverCapabilities({}), { tls: true, lmtp: false })?.code,
    ).toBe('ERR_EXTENSION_REQUIRETLS_NOT_OFFERED');
    expect(registry.clientMailParams(env, offered, { tls: true, lmtp: false })).toEqual([
      { keyword: 'REQUIRETLS', value: undefined },
    ]);
  });
});

describe('SMTPUTF8 (RFC 6531) and 8BITMIME (RFC 6152)', () => {
  const registry = createRegistry([eightBitMime(), smtpUtf8()]);
  const c = { tls: false, lmtp: false };

  it('client: SMTPUTF8 needed but not offered is refused', () => {
    const env = { smtputf8: true, mailParams: {}, recipients: [] };
    expect(registry.clientCheck(env, serverCapabilities({ '8BITMIME': [] }), c)?.code).toBe(
      'ERR_EXTENSION_SMTPUTF8_NOT_OFFERED',
    );
    const both = serverCapabilities({ '8BITMIME': [], SMTPUTF8: [] });
    expect(registry.clientCheck(env, both, c)).toBeUndefined();
    expect(registry.clientMailParams(env, both, c)).toEqual([
      { keyword: 'SMTPUTF8', value: undefined },
    ]);
  });

  it('client: SMTPUTF8 is not sent to a server that offers it without 8BITMIME', () => {
    const env = { smtputf8: true, mailParams: {}, recipients: [] };
    expect(registry.clientMailParams(env, serverCapabilities({ SMTPUTF8: [] }), c)).toEqual([]);
  });

  it('client: 8-bit content without 8BITMIME is refused', () => {
    const env = { body: '8BITMIME' as const, mailParams: {}, recipients: [] };
    expect(registry.clientCheck(env, serverCapabilities({}), c)?.code).toBe(
      'ERR_EXTENSION_8BITMIME_NOT_OFFERED',
    );
  });
});
