// Type-level tests: checked by `tsc --noEmit` (this file is in the tsconfig) and run by vitest so
// the runtime lines execute too. Each `@ts-expect-error` proves the checker really looks: if the
// line compiled, tsc would fail with "Unused '@ts-expect-error' directive".
import type { Reply } from '@smtpkit/reply';
import { describe, expectTypeOf, it } from 'vitest';
import type { AuthSubmitter } from './builtins/auth.js';
import { auth } from './builtins/auth.js';
import { defaultExtensions } from './builtins/default-extensions.js';
import { type DsnNotify, type DsnRet, dsn, type OriginalRecipient } from './builtins/dsn.js';
import { eightBitMime } from './builtins/eight-bit-mime.js';
import { type EtrnRequest, etrn } from './builtins/etrn.js';
import { size } from './builtins/size.js';
import { smtpUtf8 } from './builtins/smtp-utf8.js';
import { type BodyType, defineExtension, hook, param } from './define-extension.js';
import { accept } from './outcome.js';
import { createRegistry } from './registry.js';
import type { HooksOf, MailParamsOf, RcptParamsOf } from './registry-types.js';
import type { SessionContext } from './session-context.js';
import { sessionContext } from './test-context.js';

describe('parameter types are inferred from the list given', () => {
  it('types MAIL parameters of SIZE, 8BITMIME, DSN, SMTPUTF8', () => {
    const registry = createRegistry([size(), eightBitMime(), dsn(), smtpUtf8()]);
    type Mail = MailParamsOf<typeof registry.extensions>;
    expectTypeOf<Mail>().toEqualTypeOf<{
      readonly SIZE?: number;
      readonly BODY?: BodyType;
      readonly RET?: DsnRet;
      readonly ENVID?: string;
      readonly SMTPUTF8?: true;
    }>();
    const r = registry.parseMailParams([{ keyword: 'SIZE', value: '5' }], sessionContext());
    if (r.ok) {
      expectTypeOf(r.value.SIZE).toEqualTypeOf<number | undefined>();
      // @ts-expect-error NOTIFY is a RCPT parameter, not a MAIL one
      r.value.NOTIFY;
    }
  });

  it('types RCPT parameters', () => {
    const registry = createRegistry([dsn()]);
    expectTypeOf<RcptParamsOf<typeof registry.extensions>>().toEqualTypeOf<{
      readonly NOTIFY?: DsnNotify;
      readonly ORCPT?: OriginalRecipient;
    }>();
  });

  it('only knows the parameters of the extensions given', () => {
    const registry = createRegistry([size()]);
    type Mail = MailParamsOf<typeof registry.extensions>;
    expectTypeOf<Mail>().toEqualTypeOf<{ readonly SIZE?: number }>();
    // @ts-expect-error BODY belongs to 8BITMIME, which is not in this registry
    const bad: Mail = { BODY: '8BITMIME' };
    void bad;
  });

  it('types a third-party extension the same way', () => {
    const priority = defineExtension({
      name: 'X-PRIO',
      keyword: 'X-PRIO',
      mailParams: {
        'X-PRIO': param({ value: 'required', parse: (v) => accept(Number(v)) }),
      },
    });
    const registry = createRegistry([priority, auth({ mechanisms: ['PLAIN'] })]);
    expectTypeOf<MailParamsOf<typeof registry.extensions>>().toEqualTypeOf<{
      readonly 'X-PRIO'?: number;
      readonly AUTH?: AuthSubmitter;
    }>();
  });

  it('types the client envelope from the same list', () => {
    const registry = createRegistry([size(), dsn()]);
    registry.clientMailParams(
      { mailParams: { RET: 'HDRS' }, recipients: [] },
      { domain: '', keywords: new Map(), has: () => true, params: () => undefined },
      { tls: false, lmtp: false },
    );
    registry.clientMailParams(
      // @ts-expect-error RET is 'FULL' | 'HDRS'
      { mailParams: { RET: 'ALL' }, recipients: [] },
      { domain: '', keywords: new Map(), has: () => true, params: () => undefined },
      { tls: false, lmtp: false },
    );
  });
});

describe('hook types are inferred from the list given', () => {
  it('types the ETRN hook', () => {
    const registry = createRegistry([...defaultExtensions(), etrn()]);
    type Hooks = HooksOf<typeof registry.extensions>;
    expectTypeOf<Hooks>().toEqualTypeOf<{
      readonly etrn: (ctx: SessionContext, payload: EtrnRequest) => Promise<Reply>;
    }>();
  });

  it('has no hooks without extensions that declare them', () => {
    const registry = createRegistry([size()]);
    // biome-ignore lint/complexity/noBannedTypes: the empty hook map
    expectTypeOf<HooksOf<typeof registry.extensions>>().toEqualTypeOf<{}>();
  });

  it('types a third-party hook', () => {
    const ext = defineExtension({
      name: 'X-ASK',
      hooks: { lookup: hook<{ readonly key: string }, number>() },
    });
    const registry = createRegistry([ext]);
    const hooks: HooksOf<typeof registry.extensions> = { lookup: async (_ctx, p) => p.key.length };
    // @ts-expect-error the hook resolves with a number, not a string
    const wrong: HooksOf<typeof registry.extensions> = { lookup: async () => 'no' };
    void hooks;
    void wrong;
  });
});
