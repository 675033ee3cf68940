import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { peerSkipReason } from '../peers.js';
import { runProcess } from './run-process.js';
import { makeTempDir } from './temp-dir.js';

/** A key and self-signed certificate written to a temporary directory. */
export interface SelfSignedCert {
  readonly dir: string;
  readonly keyPath: string;
  readonly certPath: string;
  /** PEM text of the private key. */
  readonly key: string;
  /** PEM text of the certificate. */
  readonly cert: string;
  /** Removes the directory. */
  remove(): Promise<void>;
}

/** Options of {@link createSelfSignedCert}. */
export interface SelfSignedCertOptions {
  /** Subject CN and DNS name, default `localhost`; 127.0.0.1 is always a subjectAltName too. */
  readonly commonName?: string;
  readonly days?: number;
  readonly timeoutMs?: number;
}

/**
 * Why the openssl CLI cannot be used here, or undefined (throws under CI=true when missing).
 *
 * @example
 * ```ts
 * describe.skipIf(opensslSkipReason() !== undefined)('...', () => { ... });
 * ```
 */
export function opensslSkipReason(): string | undefined {
  return peerSkipReason('openssl', ['version']);
}

/**
 * Makes an EC P-256 key and a self-signed certificate with the `openssl` CLI in a temp dir, for
 * STARTTLS / implicit-TLS tests. Peers are told not to verify it.
 *
 * @example
 * ```ts
 * const tls = await createSelfSignedCert();
 * const ctx = { key: tls.key, cert: tls.cert };
 * await tls.remove();
 * ```
 */
export async function createSelfSignedCert(
  options: SelfSignedCertOptions = {},
): Promise<SelfSignedCert> {
  const cn = options.commonName ?? 'localhost';
  const dir = await makeTempDir('cert');
  const keyPath = join(dir.path, 'key.pem');
  const certPath = join(dir.path, 'cert.pem');
  try {
    await runProcess(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        keyPath,
        '-out',
        certPath,
        '-days',
        String(options.days ?? 2),
        '-subj',
        `/CN=${cn}`,
        '-addext',
        `subjectAltName=DNS:${cn},IP:127.0.0.1`,
      ],
      { timeoutMs: options.timeoutMs ?? 15_000 },
    );
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    return { dir: dir.path, keyPath, certPath, key, cert, remove: dir.remove };
  } catch (e) {
    await dir.remove();
    throw e;
  }
}
