import { defaultExtensions, type EtrnRequest, etrn, etrnReplies } from '@smtpkit/extensions';
import type { Reply } from '@smtpkit/reply';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createServer } from '../index.js';

describe('createServer: hook types follow the extensions list', () => {
  it('types MAIL parameters and extension hooks', async () => {
    const server = createServer({
      hostname: 'mx.example',
      extensions: [...defaultExtensions({ size: { max: 100 } }), etrn()],
      hooks: {
        mail: async (_ctx, _from, params) => {
          expectTypeOf(params.SIZE).toEqualTypeOf<number | undefined>();
          // @ts-expect-error: no such parameter among the extensions
          void params.RABBIT;
        },
        etrn: async (_ctx, request) => {
          expectTypeOf(request).toEqualTypeOf<EtrnRequest>();
          return etrnReplies.R250_2_0_0_QueuingStarted(request.node);
        },
        data: async (ctx, message) => {
          expectTypeOf(ctx.id).toBeString();
          expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
          expectTypeOf(message.size()).toBeNumber();
          return undefined as Reply | undefined;
        },
      },
    });
    expect(server.connections).toBe(0);
    await server.close();
  });
});
