// Attack: a client sends "BDAT n" where BDAT is not allowed and puts SMTP commands in the n
// octets that follow, hoping the server reads them as commands after refusing the BDAT
// (command smuggling through a refused chunk). RFC 3030 §2: the chunk follows the command
// whatever the reply, so the registry tells the session to discard exactly n octets; a BDAT
// whose size cannot be read cannot be skipped safely, so the session is told to close.
import { describe, expect, it } from 'vitest';
import { chunking } from '../builtins/chunking.js';
import { createRegistry } from '../registry.js';
import { sessionContext } from '../test-context.js';

const registry = createRegistry([chunking()]);

describe('BDAT desynchronisation', () => {
  it('discards the chunk of a BDAT refused for its phase', () => {
    for (const phase of ['connected', 'greeted', 'mail'] as const) {
      const r = registry.dispatch('BDAT', '27 LAST', sessionContext({ phase }));
      expect(r).toMatchObject({ kind: 'reply', discard: 27 });
    }
  });

  it('discards the chunk of a BDAT in a session where CHUNKING is not in effect', () => {
    const r = registry.dispatch('BDAT', '27', sessionContext({ greeting: 'helo', phase: 'rcpt' }));
    expect(r).toMatchObject({ kind: 'reply', discard: 27 });
  });

  it('closes when the size is unreadable (too many digits, junk, missing)', () => {
    for (const arg of ['1234567890123456', '12x', undefined, '-5', '5 NOTLAST']) {
      const r = registry.dispatch('BDAT', arg, sessionContext({ phase: 'rcpt' }));
      expect(r, String(arg)).toMatchObject({ kind: 'reply', close: true });
    }
  });
});
