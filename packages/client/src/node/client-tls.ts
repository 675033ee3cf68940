import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { ClientError } from '../client-error.js';
import type { ClientOptions } from './client-options.js';

/**
 * The TLS settings of one client: what `tls.connect` needs besides the socket. Certificates are
 * verified by default; extra CAs are added to the store Node trusts (its bundled roots and
 * `NODE_EXTRA_CA_CERTS`), never in place of it.
 */
export interface ClientTlsSettings {
  readonly secureContext: tls.SecureContext;
  /** SNI; `undefined` for an IP address (RFC 6066 §3 allows only host names). */
  readonly servername: string | undefined;
  /** The name (or address) the certificate is checked against. */
  readonly host: string | undefined;
  readonly rejectUnauthorized: boolean;
}

/**
 * Reads the TLS options of {@link ClientOptions}.
 *
 * @example
 * ```ts
 * const settings = clientTlsSettings({ host: 'mx.example', ca: pem });
 * ```
 */
export function clientTlsSettings(options: ClientOptions): ClientTlsSettings {
  const name = options.servername ?? options.host;
  return {
    secureContext: secureContextFor(options.ca, options.minVersion ?? 'TLSv1.2'),
    servername: name === undefined || net.isIP(name) !== 0 ? undefined : name,
    host: options.servername ?? options.host,
    rejectUnauthorized: options.rejectUnauthorized !== false,
  };
}

/** Contexts already made, by CA option and minimum version (a pool connects with the same ones). */
const contexts = new Map<unknown, Map<string, tls.SecureContext>>();

function secureContextFor(
  ca: ClientOptions['ca'],
  minVersion: tls.SecureVersion,
): tls.SecureContext {
  let byVersion = contexts.get(ca);
  const cached = byVersion?.get(minVersion);
  if (cached !== undefined) return cached;
  // Without `ca`, a context holds the CAs Node trusts. A `ca` option (or addCACert) replaces
  // that store, so the trusted ones are given again in front of the extra ones.
  const extra = ca === undefined ? [] : Array.isArray(ca) ? ca : [ca];
  for (const pem of extra as (string | Buffer)[]) checkCertificate(pem);
  const context = tls.createSecureContext({
    minVersion,
    ...(extra.length === 0
      ? {}
      : { ca: [...defaultCertificates(), ...(extra as (string | Buffer)[])] }),
  });
  if (contexts.size > 32) contexts.clear();
  if (byVersion === undefined) {
    byVersion = new Map();
    contexts.set(ca, byVersion);
  }
  byVersion.set(minVersion, context);
  return context;
}

function checkCertificate(pem: string | Buffer): void {
  try {
    new X509Certificate(pem);
  } catch (error) {
    throw new ClientError('ERR_CLIENT_MISUSE_INVALID_ARGUMENT', 'ca is not a PEM certificate', {
      cause: error,
    });
  }
}

let defaults: readonly string[] | undefined;

/**
 * The CAs Node trusts by default: `tls.getCACertificates('default')` where Node has it (22.15+),
 * else its bundled roots and the certificates of `NODE_EXTRA_CA_CERTS`.
 */
function defaultCertificates(): readonly string[] {
  if (defaults !== undefined) return defaults;
  const get = (tls as { getCACertificates?: (kind: string) => string[] }).getCACertificates;
  if (get !== undefined) {
    defaults = get('default');
    return defaults;
  }
  const list = [...tls.rootCertificates];
  const file = process.env['NODE_EXTRA_CA_CERTS'];
  if (file !== undefined && file !== '') {
    try {
      const text = readFileSync(file, 'utf8');
      list.push(...(text.match(PEM_CERTIFICATE) ?? []));
    } catch {
      // Node already warned at start-up that it could not read the file.
    }
  }
  defaults = list;
  return defaults;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g;

/**
 * Starts TLS as the client on a connected socket (RFC 8314 implicit TLS, or RFC 3207 after the
 * 220 to STARTTLS). `done` gets the TLS socket once the handshake is over and the certificate
 * verified, or a `ClientError` `ERR_CLIENT_TLS` (the socket is destroyed then). The caller bounds
 * the handshake with its timer.
 *
 * @example
 * ```ts
 * startClientTls(plain, settings, (error, secure) => (error ? fail(error) : go(secure)));
 * ```
 */
export function startClientTls(
  plain: net.Socket,
  settings: ClientTlsSettings,
  done: (error: ClientError | undefined, secure: tls.TLSSocket) => void,
): tls.TLSSocket {
  const options: tls.ConnectionOptions = {
    socket: plain,
    secureContext: settings.secureContext,
    rejectUnauthorized: settings.rejectUnauthorized,
  };
  if (settings.servername !== undefined) options.servername = settings.servername;
  if (settings.host !== undefined) options.host = settings.host;
  const secure = tls.connect(options);
  let settled = false;
  const failed = (error: Error): void => {
    secure.destroy();
    plain.destroy();
    if (settled) return;
    settled = true;
    done(
      new ClientError('ERR_CLIENT_TLS', `TLS handshake failed: ${error.message}`, { cause: error }),
      secure,
    );
  };
  secure.once('error', failed);
  plain.once('error', failed);
  const closed = (): void => failed(new Error('the connection closed during the handshake'));
  secure.once('close', closed);
  secure.once('secureConnect', () => {
    secure.removeListener('error', failed);
    plain.removeListener('error', failed);
    secure.removeListener('close', closed);
    settled = true;
    done(undefined, secure);
  });
  return secure;
}
