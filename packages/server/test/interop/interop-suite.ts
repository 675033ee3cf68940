// What every real-client interop suite here shares: its servers (and the self-signed certificate
// the TLS ones use) started before the tests and stopped after, a timeout long enough for a real
// client process, and the check that a run delivered exactly the bytes the client was given.
import { createSelfSignedCert, type SelfSignedCert } from '@smtpkit/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
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

/** One real-client run, a row of {@link itDeliversEach}. */
export interface DeliveryCase<Name extends string, Result> {
  /** The test name. */
  readonly name: string;
  /** Which of the suite's servers receives it. */
  readonly server: Name;
  /** The message the client is given. */
  readonly data: Buffer;
  /** Runs the client against `server` with `data`. */
  readonly send: (server: InteropServer, data: Buffer) => Promise<Result>;
  /** The row's own assertions on the stored message and on what `send` resolved with. */
  readonly check: (message: InteropMessage, result: Result) => void;
}

/**
 * One test per row: run the client, wait for the one message it delivers, assert that the stored
 * bytes equal what it was given, then run the row's own checks.
 */
export function itDeliversEach<Name extends string, Result>(
  servers: Readonly<Record<Name, InteropServer>>,
  cases: readonly DeliveryCase<Name, Result>[],
): void {
  for (const c of cases) {
    it(c.name, async () => {
      const server = servers[c.server];
      const before = server.messages.length;
      const result = await c.send(server, c.data);
      const message = (await server.waitForMessages(before + 1))[before];
      expect(message?.body).toEqual(c.data);
      c.check(message as InteropMessage, result);
    });
  }
}
