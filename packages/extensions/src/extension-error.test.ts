import { describe, expect, it } from 'vitest';
import { size } from './builtins/size.js';
import { ClientRefusal, ExtensionError, type ExtensionErrorCode } from './extension-error.js';
import { createRegistry } from './registry.js';
import { serverCapabilities } from './server-capabilities.js';

/** Every code of this package and whether it means misuse: renaming one must change this table. */
const misuseByCode: Readonly<Record<string, boolean>> = {
  ERR_EXTENSION_MISUSE_NAME_CONFLICT: true,
  ERR_EXTENSION_MISUSE_KEYWORD_CONFLICT: true,
  ERR_EXTENSION_MISUSE_PARAMETER_CONFLICT: true,
  ERR_EXTENSION_MISUSE_VERB_CONFLICT: true,
  ERR_EXTENSION_MISUSE_VERB_RESERVED: true,
  ERR_EXTENSION_MISUSE_KEYWORD_SYNTAX: true,
  ERR_EXTENSION_MISUSE_PARAMETER_SYNTAX: true,
  ERR_EXTENSION_MISUSE_VERB_SYNTAX: true,
  ERR_EXTENSION_MISUSE_REQUIREMENT_MISSING: true,
  ERR_EXTENSION_MISUSE_OPTION: true,
  ERR_EXTENSION_MISUSE_ADVERTISE_SYNTAX: true,
  ERR_EXTENSION_MISUSE_UNKNOWN_PARAMETER: true,
  ERR_EXTENSION_MISUSE_UNSAFE_VALUE: true,
  ERR_EXTENSION_SIZE_EXCEEDS_LIMIT: false,
  ERR_EXTENSION_8BITMIME_NOT_OFFERED: false,
  ERR_EXTENSION_BINARYMIME_NOT_OFFERED: false,
  ERR_EXTENSION_SMTPUTF8_NOT_OFFERED: false,
  ERR_EXTENSION_REQUIRETLS_NOT_OFFERED: false,
  ERR_EXTENSION_REQUIRETLS_WITHOUT_TLS: false,
} satisfies Partial<Record<ExtensionErrorCode, boolean>>;

describe('ExtensionError', () => {
  it('is misuse for a registry that cannot be composed', () => {
    let error: unknown;
    try {
      createRegistry([size(), size()]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExtensionError);
    expect(error).toMatchObject({ code: 'ERR_EXTENSION_MISUSE_NAME_CONFLICT', misuse: true });
  });

  it('is not misuse for a refusal, which is returned with its extension', () => {
    const registry = createRegistry([size()]);
    const caps = serverCapabilities({ SIZE: ['10'] });
    const envelope = { size: 20, mailParams: {}, recipients: [] };
    const refusal = registry.clientCheck(envelope, caps, { tls: false, lmtp: false });
    expect(refusal).toBeInstanceOf(ClientRefusal);
    expect(refusal).toMatchObject({
      code: 'ERR_EXTENSION_SIZE_EXCEEDS_LIMIT',
      misuse: false,
      extension: 'SIZE',
      permanent: true,
    });
  });

  it.each(Object.entries(misuseByCode))('%s is a stable string, misuse %s', (code, misuse) => {
    expect(code).toMatch(/^ERR_EXTENSION_[A-Z0-9_]+$/);
    const e = new ExtensionError(code as ExtensionErrorCode, 'm');
    expect(e.code).toBe(code);
    expect(e.misuse).toBe(misuse);
  });

  it('keeps a cause given as an ES2022 error option, on the subclass too', () => {
    const cause = new Error('inner');
    expect(new ExtensionError('ERR_EXTENSION_MISUSE_OPTION', 'm', { cause }).cause).toBe(cause);
    const r = new ClientRefusal('ERR_EXTENSION_X_REFUSED', 'X', 'm', false, { cause });
    expect(r.cause).toBe(cause);
    expect(r.misuse).toBe(false);
  });
});
