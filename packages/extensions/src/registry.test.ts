import { replies } from '@smtpkit/reply';
import { describe, expect, it } from 'vitest';
import { binaryMime } from './builtins/binary-mime.js';
import { chunking } from './builtins/chunking.js';
import { defaultExtensions } from './builtins/default-extensions.js';
import { dsn } from './builtins/dsn.js';
import { eightBitMime } from './builtins/eight-bit-mime.js';
import { enhancedStatusCodes } from './builtins/enhanced-status-codes.js';
import { size } from './builtins/size.js';
import { smtpUtf8 } from './builtins/smtp-utf8.js';
import { defineExtension, param, verb } from './define-extension.js';
import { ExtensionError } from './extension-error.js';
import { extensionReplies } from './extension-replies.js';
import { accept } from './outcome.js';
import { createRegistry } from './registry.js';
import { serverCapabilities } from './server-capabilities.js';
import { sessionContext } from './test-context.js';

const flag = (name: string, keyword = name) =>
  defineExtension({
    name,
    keyword,
    mailParams: { [keyword]: param({ value: 'none', parse: () => accept(true) }) },
  });

function registryError(fn: () => unknown): ExtensionError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ExtensionError) return e;
    throw e;
  }
  throw new Error('expected an ExtensionError');
}

describe('createRegistry: conflicts are errors at construction', () => {
  it('refuses two extensions with the same name', () => {
    expect(registryError(() => createRegistry([size(), size()])).code).toBe(
      'ERR_EXTENSION_MISUSE_NAME_CONFLICT',
    );
  });

  it('refuses two extensions claiming one EHLO keyword, whatever the case', () => {
    const a = defineExtension({ name: 'A', keyword: 'X-THING' });
    const b = defineExtension({ name: 'B', keyword: 'x-thing' });
    expect(registryError(() => createRegistry([a, b])).code).toBe(
      'ERR_EXTENSION_MISUSE_KEYWORD_CONFLICT',
    );
  });

  it('refuses two extensions claiming one MAIL parameter', () => {
    const a = defineExtension({
      name: 'A',
      mailParams: { BODY: param({ value: 'required', parse: (v) => accept(v) }) },
    });
    expect(registryError(() => createRegistry([eightBitMime(), a])).code).toBe(
      'ERR_EXTENSION_MISUSE_PARAMETER_CONFLICT',
    );
  });

  it('refuses two extensions claiming one RCPT parameter', () => {
    const a = defineExtension({
      name: 'A',
      rcptParams: { notify: param({ value: 'required', parse: (v) => accept(v) }) },
    });
    expect(registryError(() => createRegistry([dsn(), a])).code).toBe(
      'ERR_EXTENSION_MISUSE_PARAMETER_CONFLICT',
    );
  });

  it('refuses two extensions claiming one verb', () => {
    const v = verb({
      states: ['greeted'],
      parse: () => accept(0),
      handle: () => ({ kind: 'reply', reply: replies.R250_2_0_0_Ok }),
    });
    const a = defineExtension({ name: 'A', verbs: { XPING: v } });
    const b = defineExtension({ name: 'B', verbs: { xping: v } });
    expect(registryError(() => createRegistry([a, b])).code).toBe(
      'ERR_EXTENSION_MISUSE_VERB_CONFLICT',
    );
  });

  it('refuses a verb that shadows a core command', () => {
    const a = defineExtension({
      name: 'A',
      verbs: {
        DATA: verb({
          states: ['rcpt'],
          parse: () => accept(0),
          handle: () => ({ kind: 'reply', reply: replies.R250_2_0_0_Ok }),
        }),
      },
    });
    expect(registryError(() => createRegistry([a])).code).toBe(
      'ERR_EXTENSION_MISUSE_VERB_RESERVED',
    );
  });

  it('refuses a keyword or parameter outside the RFC 5321 esmtp-keyword grammar', () => {
    expect(
      registryError(() => createRegistry([defineExtension({ name: 'A', keyword: 'BAD KEY' })]))
        .code,
    ).toBe('ERR_EXTENSION_MISUSE_KEYWORD_SYNTAX');
    expect(registryError(() => createRegistry([flag('B', '-LEADING')])).code).toBe(
      'ERR_EXTENSION_MISUSE_KEYWORD_SYNTAX',
    );
    const c = defineExtension({
      name: 'C',
      mailParams: { 'X=Y': param({ value: 'none', parse: () => accept(true) }) },
    });
    expect(registryError(() => createRegistry([c])).code).toBe(
      'ERR_EXTENSION_MISUSE_PARAMETER_SYNTAX',
    );
  });

  it('refuses an extension whose requirement is not registered (SMTPUTF8 needs 8BITMIME)', () => {
    expect(registryError(() => createRegistry([smtpUtf8()])).code).toBe(
      'ERR_EXTENSION_MISUSE_REQUIREMENT_MISSING',
    );
    expect(registryError(() => createRegistry([eightBitMime(), binaryMime()])).code).toBe(
      'ERR_EXTENSION_MISUSE_REQUIREMENT_MISSING',
    );
  });

  it('is an ExtensionError with a stable misuse code', () => {
    const e = registryError(() => createRegistry([size(), size()]));
    expect(e).toBeInstanceOf(ExtensionError);
    expect(e.name).toBe('ExtensionError');
    expect(e.misuse).toBe(true);
  });
});

describe('advertise', () => {
  it('lists ehlo-lines in registration order, with parameters', () => {
    const registry = createRegistry(defaultExtensions({ size: { max: 10485760 } }));
    expect(registry.advertise(sessionContext())).toEqual([
      'ENHANCEDSTATUSCODES',
      'PIPELINING',
      'SIZE 10485760',
      '8BITMIME',
      'SMTPUTF8',
      'CHUNKING',
      'BINARYMIME',
      'DSN',
    ]);
  });

  it('advertises nothing before EHLO or in a HELO session', () => {
    const registry = createRegistry(defaultExtensions());
    expect(registry.advertise(sessionContext({ greeting: undefined, phase: 'connected' }))).toEqual(
      [],
    );
    expect(registry.advertise(sessionContext({ greeting: 'helo' }))).toEqual([]);
    expect(registry.advertise(sessionContext({ greeting: 'lhlo', lmtp: true }))).toContain('DSN');
  });

  it('drops an extension whose requirement is silent in this session', () => {
    const silent8bit = defineExtension({
      name: '8BITMIME',
      keyword: '8BITMIME',
      advertise: () => false,
    });
    const registry = createRegistry([silent8bit, smtpUtf8()]);
    expect(registry.advertise(sessionContext())).toEqual([]);
    const r = registry.parseMailParams(
      [{ keyword: 'SMTPUTF8', value: undefined }],
      sessionContext(),
    );
    expect(r).toEqual({ ok: false, reply: extensionReplies.R555_5_5_4_ParameterNotRecognized });
  });
});

describe('advertise, context after context', () => {
  it('asks every extension again for each new context and follows a change', () => {
    let free = 5000;
    const disk = defineExtension({
      name: 'DISK',
      keyword: 'X-DISK',
      advertise: () => [String(free)],
    });
    const registry = createRegistry([disk]);
    expect(registry.advertise(sessionContext())).toEqual(['X-DISK 5000']);
    free = 4000;
    expect(registry.advertise(sessionContext())).toEqual(['X-DISK 4000']);
    free = 5000;
    expect(registry.advertise(sessionContext())).toEqual(['X-DISK 5000']);
  });

  it('sees an extension change the array it hands out between contexts', () => {
    const params = ['A'];
    const ext = defineExtension({ name: 'SAME', keyword: 'X-SAME', advertise: () => params });
    const registry = createRegistry([ext]);
    expect(registry.advertise(sessionContext())).toEqual(['X-SAME A']);
    params[0] = 'B';
    expect(registry.advertise(sessionContext())).toEqual(['X-SAME B']);
  });

  it('follows what a context says: silent under TLS, back without it', () => {
    const quiet = defineExtension({
      name: 'QUIET',
      keyword: 'X-QUIET',
      advertise: (ctx) => (ctx.tls ? false : []),
    });
    const registry = createRegistry([quiet, eightBitMime()]);
    expect(registry.advertise(sessionContext())).toEqual(['X-QUIET', '8BITMIME']);
    expect(registry.advertise(sessionContext({ tls: true }))).toEqual(['8BITMIME']);
    expect(registry.advertise(sessionContext())).toEqual(['X-QUIET', '8BITMIME']);
  });

  it('checks a parameter that turns up in a later context', () => {
    let word = 'ok';
    const ext = defineExtension({ name: 'W', keyword: 'X-W', advertise: () => [word] });
    const registry = createRegistry([ext]);
    expect(registry.advertise(sessionContext())).toEqual(['X-W ok']);
    word = 'two words';
    expect(() => registry.advertise(sessionContext())).toThrow(ExtensionError);
  });

  it('sessions that advertise alike share one set of ehlo-lines', () => {
    const registry = createRegistry(defaultExtensions());
    expect(registry.advertise(sessionContext())).toBe(registry.advertise(sessionContext()));
  });
});

describe('parseMailParams / parseRcptParams', () => {
  const registry = createRegistry([size({ max: 1000 }), eightBitMime(), dsn(), smtpUtf8()]);
  const ctx = sessionContext();

  it('returns typed values keyed by upper-case keyword', () => {
    const r = registry.parseMailParams(
      [
        { keyword: 'size', value: '500' },
        { keyword: 'Body', value: '8bitmime' },
        { keyword: 'SMTPUTF8', value: undefined },
      ],
      ctx,
    );
    expect(r).toEqual({ ok: true, value: { SIZE: 500, BODY: '8BITMIME', SMTPUTF8: true } });
  });

  it('answers 555 5.5.4 to a parameter no extension claims', () => {
    const r = registry.parseMailParams([{ keyword: 'RABIIT', value: undefined }], ctx);
    expect(r).toEqual({ ok: false, reply: extensionReplies.R555_5_5_4_ParameterNotRecognized });
    expect(replies.R555_5_5_4_ParameterNotRecognized.code).toBe(555);
  });

  it('answers 555 5.5.4 to a RCPT parameter used on MAIL and vice versa', () => {
    expect(registry.parseMailParams([{ keyword: 'NOTIFY', value: 'NEVER' }], ctx)).toMatchObject({
      ok: false,
      reply: { code: 555 },
    });
    expect(registry.parseRcptParams([{ keyword: 'SIZE', value: '1' }], ctx)).toMatchObject({
      ok: false,
      reply: { code: 555 },
    });
  });

  it('answers 555 5.5.4 to any parameter in a HELO session', () => {
    const r = registry.parseMailParams(
      [{ keyword: 'SIZE', value: '1' }],
      sessionContext({ greeting: 'helo' }),
    );
    expect(r).toEqual({ ok: false, reply: extensionReplies.R555_5_5_4_ParameterNotRecognized });
  });

  it('answers 501 5.5.4 to a duplicate parameter, whatever its case', () => {
    const r = registry.parseMailParams(
      [
        { keyword: 'RET', value: 'HDRS' },
        { keyword: 'ret', value: 'FULL' },
      ],
      ctx,
    );
    expect(r).toEqual({ ok: false, reply: extensionReplies.R501_5_5_4_DuplicateParameter });
  });

  it('answers 501 5.5.4 to a value on a value-less parameter and a missing value', () => {
    expect(registry.parseMailParams([{ keyword: 'SMTPUTF8', value: 'YES' }], ctx)).toEqual({
      ok: false,
      reply: extensionReplies.R501_5_5_4_ParameterTakesNoValue,
    });
    expect(registry.parseMailParams([{ keyword: 'SIZE', value: undefined }], ctx)).toEqual({
      ok: false,
      reply: extensionReplies.R501_5_5_4_ParameterNeedsValue,
    });
  });

  it("passes the extension's own reply for a bad value", () => {
    expect(registry.parseMailParams([{ keyword: 'SIZE', value: '1001' }], ctx)).toEqual({
      ok: false,
      reply: extensionReplies.R552_5_3_4_MessageTooBig,
    });
  });

  it('accepts an empty list', () => {
    expect(registry.parseMailParams([], ctx)).toEqual({ ok: true, value: {} });
  });
});

describe('dispatch and guard', () => {
  const registry = createRegistry([eightBitMime(), chunking(), binaryMime()]);

  it('returns undefined for a verb no extension owns', () => {
    expect(registry.dispatch('XYZZY', undefined, sessionContext())).toBeUndefined();
    expect(registry.hasVerb('bdat')).toBe(true);
    expect(registry.verbs).toEqual(['BDAT']);
  });

  it('answers 502 5.5.1 to an extension verb in a HELO session, discarding the chunk', () => {
    expect(
      registry.dispatch('BDAT', '10', sessionContext({ greeting: 'helo', phase: 'rcpt' })),
    ).toEqual({
      kind: 'reply',
      reply: extensionReplies.R502_5_5_1_CommandNotImplemented,
      discard: 10,
    });
  });

  it('runs guards for core verbs only while their extension is in effect', () => {
    const ctx = sessionContext({ phase: 'rcpt', mailParams: { BODY: 'BINARYMIME' } });
    expect(registry.guard('DATA', ctx)).toBe(extensionReplies.R503_5_5_1_BinaryMimeRequiresBdat);
    expect(registry.guard('DATA', { ...ctx, greeting: 'helo' })).toBeUndefined();
    expect(registry.guard('RSET', ctx)).toBeUndefined();
  });
});

describe('present: RFC 2034 enhanced status codes only when in effect', () => {
  it('keeps the enhanced code after EHLO with ENHANCEDSTATUSCODES', () => {
    const registry = createRegistry([enhancedStatusCodes()]);
    expect(registry.present(replies.R250_2_0_0_Ok, sessionContext())).toBe(replies.R250_2_0_0_Ok);
    expect(registry.enhancedStatusCodes(sessionContext())).toBe(true);
  });

  it('removes it in a HELO session and without the extension', () => {
    const registry = createRegistry([enhancedStatusCodes()]);
    const stripped = registry.present(replies.R250_2_0_0_Ok, sessionContext({ greeting: 'helo' }));
    expect(stripped).toEqual({ code: 250, lines: replies.R250_2_0_0_Ok.lines });
    expect(
      createRegistry([]).present(replies.R250_2_0_0_Ok, sessionContext()).enhanced,
    ).toBeUndefined();
  });
});

describe('limits', () => {
  it('raises the MAIL and RCPT line limits by the parameters in effect (RFC 5321 §4.5.3.1.4)', () => {
    const registry = createRegistry([size(), eightBitMime(), dsn()]);
    const ctx = sessionContext();
    expect(registry.commandLineLimit('MAIL', ctx)).toBe(512 + 26 + 16 + 9 + 107);
    expect(registry.commandLineLimit('RCPT', ctx)).toBe(512 + 29 + 507);
    expect(registry.maxCommandLine(ctx)).toBe(512 + 29 + 507);
    expect(registry.commandLineLimit('MAIL', sessionContext({ greeting: 'helo' }))).toBe(512);
  });

  it('combines extension limits, smallest wins', () => {
    const a = defineExtension({ name: 'A', limits: { recipients: 50, messageSize: 2000 } });
    const registry = createRegistry([size({ max: 1000 }), a]);
    expect(registry.limits).toEqual({ messageSize: 1000, recipients: 50 });
  });
});

describe('transactionEffects', () => {
  it('tells the server what the MAIL parameters mean, without it knowing their names', () => {
    const registry = createRegistry(defaultExtensions());
    expect(registry.transactionEffects({ SIZE: 10, BODY: '8BITMIME', SMTPUTF8: true })).toEqual({
      smtputf8: true,
      requireTls: false,
      body: '8BITMIME',
      declaredSize: 10,
    });
    expect(registry.transactionEffects({})).toEqual({
      smtputf8: false,
      requireTls: false,
      body: undefined,
      declaredSize: undefined,
    });
  });
});

describe('client side', () => {
  const registry = createRegistry([size(), eightBitMime(), smtpUtf8(), dsn()]);
  const caps = serverCapabilities({ SIZE: ['1000'], '8BITMIME': [], SMTPUTF8: [], DSN: [] });
  const ctx = { tls: false, lmtp: false };

  it('derives and formats MAIL parameters the server offers', () => {
    const params = registry.clientMailParams(
      {
        size: 900,
        body: '8BITMIME',
        smtputf8: true,
        mailParams: { RET: 'HDRS', ENVID: 'e=mc2' },
        recipients: [],
      },
      caps,
      ctx,
    );
    expect(params).toEqual([
      { keyword: 'SIZE', value: '900' },
      { keyword: 'BODY', value: '8BITMIME' },
      { keyword: 'SMTPUTF8', value: undefined },
      { keyword: 'RET', value: 'HDRS' },
      { keyword: 'ENVID', value: 'e+3Dmc2' },
    ]);
  });

  it('does not send parameters of extensions the server did not offer', () => {
    const params = registry.clientMailParams(
      { size: 900, mailParams: { RET: 'FULL' }, recipients: [] },
      serverCapabilities({}),
      ctx,
    );
    expect(params).toEqual([]);
  });

  it('formats RCPT parameters per recipient', () => {
    const params = registry.clientRcptParams(
      {
        mailParams: {},
        recipients: [
          {
            params: {
              NOTIFY: ['NEVER'],
              ORCPT: { addrType: 'RFC822', address: 'e=mc2@example.com' },
            },
          },
        ],
      },
      0,
      caps,
      ctx,
    );
    expect(params).toEqual([
      { keyword: 'NOTIFY', value: 'NEVER' },
      { keyword: 'ORCPT', value: 'RFC822;e+3Dmc2@example.com' },
    ]);
  });

  it('refuses a value that would break the command line (API misuse)', () => {
    const x = defineExtension({
      name: 'X-TAG',
      keyword: 'X-TAG',
      mailParams: { 'X-TAG': param({ value: 'required', parse: (v) => accept(v ?? '') }) },
    });
    const r = createRegistry([x]);
    expect(() =>
      r.clientMailParams(
        { mailParams: { 'X-TAG': 'a\r\nRCPT TO:<x@y>' }, recipients: [] },
        serverCapabilities({ 'X-TAG': [] }),
        ctx,
      ),
    ).toThrowError(expect.objectContaining({ code: 'ERR_EXTENSION_MISUSE_UNSAFE_VALUE' }));
  });

  it('lists the requested parameters the server did not offer', () => {
    const env = {
      mailParams: { RET: 'HDRS' as const, SIZE: 10 },
      recipients: [{ params: { NOTIFY: ['NEVER'] as const } }],
    };
    expect(registry.clientUnsent(env, serverCapabilities({ SIZE: [] }))).toEqual(['RET', 'NOTIFY']);
    expect(registry.clientUnsent(env, caps)).toEqual([]);
  });

  it('returns the first refusal of the client checks', () => {
    const refusal = registry.clientCheck({ size: 2000, mailParams: {}, recipients: [] }, caps, ctx);
    expect(refusal?.code).toBe('ERR_EXTENSION_SIZE_EXCEEDS_LIMIT');
    expect(
      registry.clientCheck({ size: 10, mailParams: {}, recipients: [] }, caps, ctx),
    ).toBeUndefined();
  });
});
