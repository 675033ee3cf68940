// What every real-client interop suite here shares: its servers (and the self-signed certificate
// the TLS ones use) started before the tests and stopped after, a timeout long enough for a real
// client process, and the check that a run delivered exactly the bytes the client was given.
import { createSelfSignedCert, type SelfSignedCert } from '@smtpkit/testing';
import { afterAll, beforeAll, expect } from 'vitest';
import {
  type InteropMessage,
  type InteropServer,
  type InteropServerOptions,
  startInteropServer,
} from './interop-server.js';

/** Suite options for tests that run a real client process: `describe(name, INTEROP, ...)`. */
export const INTEROP = { timeout: 20_000 } as const;

/** One server of a suite: {@link InteropServerOptions}, with `tls: true` for the suite's certificate. */
export type InteropServerSpec = Omit<InteropServerOptions, 'tls'> & { readonly tls?: boolean };

/**
 * Starts the named servers in `beforeAll` (with one self-signed certificate when any wants TLS)
 * and stops them in `afterAll`. The record is filled in by `beforeAll`: read it inside tests.
 *
 * @example
 * ```ts
 * const servers = useInteropServers({ plain: {}, secure: { tls: true, implicitTls: true } });
 * it('...', async () => { await runCurl({ port: servers.plain.port, ... }); });
 * ```
 */
export function useInteropServers<Name extends string>(
  specs: Readonly<Record<Name, InteropServerSpec>>,
): Readonly<Record<Name, InteropServer>> {
  const servers = {} as Record<Name, InteropServer>;
  const entries = Object.entries(specs) as [Name, InteropServerSpec][];
  let cert: SelfSignedCert | undefined;
  beforeAll(async () => {
    if (entries.some(([, spec]) => spec.tls === true)) cert = await createSelfSignedCert();
    for (const [name, { tls, ...options }] of entries) {
      servers[name] = await startInteropServer(
        tls === true && cert !== undefined
          ? { ...options, tls: { key: cert.key, cert: cert.cert } }
          : options,
      );
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values<InteropServer | undefined>(servers).map((s) => s?.stop()));
    await cert?.remove();
  });
  return servers;
}

/**
 * Runs `send` (a real client) and waits for the one message it delivers to `server`, asserting
 * that the stored bytes equal `data`. Returns that message and what `send` returned.
 */
export async function expectDelivered<T>(
  server: InteropServer,
  data: Buffer,
  send: () => Promise<T>,
): Promise<{ readonly message: InteropMessage; readonly result: T }> {
  const before = server.messages.length;
  const result = await send();
  const message = (await server.waitForMessages(before + 1))[before];
  expect(message?.body).toEqual(data);
  return { message: message as InteropMessage, result };
}
