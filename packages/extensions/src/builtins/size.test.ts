import { describe, expect, it } from 'vitest';
import { ExtensionError } from '../extension-error.js';
import { extensionReplies } from '../extension-replies.js';
import { createRegistry } from '../registry.js';
import { serverCapabilities } from '../server-capabilities.js';
import { sessionContext } from '../test-context.js';
import { size } from './size.js';

const ctx = sessionContext();
const mail = (value: string | undefined, max?: number) =>
  createRegistry([size(max === undefined ? {} : { max })]).parseMailParams(
    [{ keyword: 'SIZE', value }],
    ctx,
  );

describe('SIZE (RFC 1870)', () => {
  it('advertises the fixed maximum, or bare SIZE without one (§4)', () => {
    expect(createRegistry([size({ max: 10485760 })]).advertise(ctx)).toEqual(['SIZE 10485760']);
    expect(createRegistry([size()]).advertise(ctx)).toEqual(['SIZE']);
    expect(createRegistry([size({ max: 0 })]).advertise(ctx)).toEqual(['SIZE']);
  });

  it('parses size-value = 1*20DIGIT', () => {
    expect(mail('0')).toEqual({ ok: true, value: { SIZE: 0 } });
    expect(mail('12345678901234567890')).toMatchObject({ ok: true });
  });

  it('refuses anything else with 501 5.5.4', () => {
    for (const bad of ['', 'rabbit', '-100', '1e3', ' 1', '123456789012345678901', '+5', '٣']) {
      expect(mail(bad), bad).toEqual({
        ok: false,
        reply: extensionReplies.R501_5_5_4_InvalidParameterValue,
      });
    }
  });

  it('answers 552 5.3.4 to a declared size over the limit (§6.1), accepts the limit itself', () => {
    expect(mail('1001', 1000)).toEqual({
      ok: false,
      reply: extensionReplies.R552_5_3_4_MessageTooBig,
    });
    expect(mail('1000', 1000)).toEqual({ ok: true, value: { SIZE: 1000 } });
    expect(mail('99999999999999999999', 1000)).toMatchObject({ ok: false, reply: { code: 552 } });
  });

  it('declares the limit to the server session', () => {
    expect(createRegistry([size({ max: 5 })]).limits).toEqual({ messageSize: 5 });
    expect(createRegistry([size()]).limits).toEqual({});
  });

  it('refuses a nonsensical option (API misuse)', () => {
    expect(() => size({ max: -1 })).toThrow(ExtensionError);
    expect(() => size({ max: 1.5 })).toThrow(ExtensionError);
  });

  it('client: declares the size and refuses a message over the server limit', () => {
    const registry = createRegistry([size()]);
    const c = { tls: false, lmtp: false };
    const caps = serverCapabilities({ SIZE: ['1000000'] });
    expect(
      registry.clientMailParams({ size: 500000, mailParams: {}, recipients: [] }, caps, c),
    ).toEqual([{ keyword: 'SIZE', value: '500000' }]);
    expect(
      registry.clientCheck({ size: 1000001, mailParams: {}, recipients: [] }, caps, c),
    ).toMatchObject({
      code: 'ERR_EXTENSION_SIZE_EXCEEDS_LIMIT',
      extension: 'SIZE',
      permanent: true,
    });
    const unlimited = serverCapabilities({ SIZE: [] });
    expect(
      registry.clientCheck({ size: 1e12, mailParams: {}, recipients: [] }, unlimited, c),
    ).toBeUndefined();
  });
});
