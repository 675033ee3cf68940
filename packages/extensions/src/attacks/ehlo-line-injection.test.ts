// Attack: an extension (or its configuration, e.g. an AUTH mechanism list or a LIMITS value from
// a config file) advertises text with CR/LF or spaces, which would add forged lines to the EHLO
// reply. RFC 5321 §4.1.1.1: ehlo-param = 1*(%d33-126). The registry refuses it as API misuse.
import { describe, expect, it } from 'vitest';
import { auth } from '../builtins/auth.js';
import { defineExtension } from '../define-extension.js';
import { ExtensionError } from '../extension-error.js';
import { createRegistry } from '../registry.js';
import { sessionContext } from '../test-context.js';

describe('EHLO line injection through advertised parameters', () => {
  it('refuses a parameter holding CR LF', () => {
    const evil = defineExtension({
      name: 'X-EVIL',
      keyword: 'X-EVIL',
      advertise: () => ['ok\r\n250-AUTH PLAIN'],
    });
    expect(() => createRegistry([evil]).advertise(sessionContext())).toThrowError(
      expect.objectContaining({ code: 'ERR_EXTENSION_MISUSE_ADVERTISE_SYNTAX' }),
    );
  });

  it('refuses a mechanism name with a space or a control character', () => {
    for (const m of ['PLAIN LOGIN', 'PLAIN\n250 XSTUFF', '']) {
      const registry = createRegistry([auth({ mechanisms: [m], allowWithoutTls: true })]);
      expect(() => registry.advertise(sessionContext()), JSON.stringify(m)).toThrow(ExtensionError);
    }
  });
});
