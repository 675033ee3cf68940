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
  // A context made without `ca` holds Node's default roots (and NODE_EXTRA_CA_CERTS); certificates
  // added to it afterwards go into this context's own copy of that store.
  const secureContext = tls.createSecureContext({ minVersion: options.minVersion ?? 'TLSv1.2' });
  const extra =
    options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];
  for (const pem of extra as (string | Buffer)[]) {
    try {
      (secureContext.context as { addCACert(pem: string | Buffer): void }).addCACert(pem);
    } catch (error) {
      throw new ClientError('ERR_CLIENT_MISUSE_INVALID_ARGUMENT', 'ca is not a PEM certificate', {
        cause: error,
      });
    }
  }
  const name = options.servername ?? options.host;
  return {
    secureContext,
    servername: name === undefined || net.isIP(name) !== 0 ? undefined : name,
    host: options.servername ?? options.host,
    rejectUnauthorized: options.rejectUnauthorized !== false,
  };
}

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
