import type net from 'node:net';
import type tls from 'node:tls';
import { nodeTls, type TlsContexts } from './tls-context.js';

/** Options of {@link startServerTls}. */
export interface StartTlsOptions {
  /** Bound on the handshake; past it both sockets are destroyed. Unset: the caller bounds it. */
  readonly handshakeTimeoutMs?: number;
  /** Told why the TLS socket failed (handshake or later); both sockets are destroyed. */
  readonly failed?: (error: Error) => void;
}

/**
 * Starts TLS as the server on a connected socket, with the certificate the client's SNI selects:
 * RFC 8314 §3.3 implicit TLS (the SMTP session begins once the handshake is done), or RFC 3207
 * §4 after the 220 to STARTTLS. `secured` gets the TLS socket when the handshake is over.
 *
 * @example
 * ```ts
 * startServerTls(socket, contexts, { handshakeTimeoutMs: 30_000 }, (secure) => begin(secure));
 * ```
 */
export function startServerTls(
  plain: net.Socket,
  contexts: TlsContexts,
  options: StartTlsOptions,
  secured: (secure: tls.TLSSocket) => void,
): void {
  const secure = new (nodeTls().TLSSocket)(plain, contexts.socketOptions());
  const timer =
    options.handshakeTimeoutMs === undefined
      ? undefined
      : setTimeout(() => secure.destroy(), options.handshakeTimeoutMs);
  secure.on('error', (error) => {
    options.failed?.(error);
    secure.destroy();
    plain.destroy();
  });
  // The listener allows half-open connections (a client's FIN after QUIT still gets its 221), but
  // a FIN before the handshake is done means no handshake will come.
  const abandoned = (): void => {
    secure.destroy();
    plain.destroy();
  };
  secure.once('end', abandoned);
  secure.once('close', () => clearTimeout(timer));
  secure.once('secure', () => {
    clearTimeout(timer);
    secure.removeListener('end', abandoned);
    secured(secure);
  });
}
