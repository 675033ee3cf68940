import net from 'node:net';
import tls from 'node:tls';
import { ClientError } from '../client-error.js';
import type { ClientOptions, ClientTimeoutName, ClientTimeoutOptions } from './client-options.js';
import type { ClientTlsSettings } from './client-tls.js';
import { startClientTls } from './client-tls.js';
import type { ConnectionTimer } from './connection-timer.js';

/** A socket ready for the SMTP session: connected, and under TLS for RFC 8314 implicit TLS. */
export interface OpenedSocket {
  readonly socket: net.Socket;
  /** Under TLS from the first byte. */
  readonly secure: boolean;
}

/** The error of a wait that ran out. */
export function timeoutError(name: ClientTimeoutName, ms: number): ClientError {
  const what =
    name === 'connect'
      ? 'no connection'
      : name === 'tlsHandshake'
        ? 'no TLS handshake'
        : 'no reply';
  return new ClientError('ERR_CLIENT_TIMEOUT', `${what} within ${ms} ms (${name})`, {
    permanent: false,
  });
}

/**
 * Opens the connection: TCP to `host:port` (or the socket given), bounded by the `connect`
 * timeout, then for implicit TLS (RFC 8314 §3) the handshake, bounded by `tlsHandshake`. Rejects
 * with `ERR_CLIENT_CONNECT`, `ERR_CLIENT_TIMEOUT` or `ERR_CLIENT_TLS`, the socket destroyed.
 *
 * @example
 * ```ts
 * const { socket, secure } = await openSocket(options, tlsSettings, timeouts, timer);
 * ```
 */
export async function openSocket(
  options: ClientOptions,
  tlsSettings: ClientTlsSettings,
  timeouts: ClientTimeoutOptions,
  timer: ConnectionTimer,
): Promise<OpenedSocket> {
  const plain = await connected(options, timeouts.connect, timer);
  const implicit = options.tls === 'implicit';
  if (!implicit) return { socket: plain, secure: false };
  if (plain instanceof tls.TLSSocket && plain.encrypted === true)
    return { socket: plain, secure: true };
  const secure = await new Promise<tls.TLSSocket>((resolve, reject) => {
    timer.arm(timeouts.tlsHandshake, 'tlsHandshake', (name, ms) => {
      plain.destroy();
      reject(timeoutError(name, ms));
    });
    startClientTls(plain, tlsSettings, (error, socket) => {
      if (error === undefined) resolve(socket);
      else reject(error);
    });
  }).finally(() => timer.clear());
  return { socket: secure, secure: true };
}

function connected(
  options: ClientOptions,
  ms: number,
  timer: ConnectionTimer,
): Promise<net.Socket> {
  const port = options.port ?? (options.tls === 'implicit' ? 465 : 25);
  const where = options.socket === undefined ? `${options.host}:${port}` : 'the socket given';
  const socket =
    options.socket ??
    net.connect({
      host: options.host as string,
      port,
      noDelay: true,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
    });
  if (!socket.connecting) {
    if (socket.destroyed) {
      return Promise.reject(new ClientError('ERR_CLIENT_CONNECT', `${where} is closed`));
    }
    return Promise.resolve(socket);
  }
  return new Promise<net.Socket>((resolve, reject) => {
    const failed = (error: Error): void => {
      socket.removeListener('connect', ok);
      socket.destroy();
      reject(
        new ClientError('ERR_CLIENT_CONNECT', `cannot connect to ${where}: ${error.message}`, {
          cause: error,
        }),
      );
    };
    const ok = (): void => {
      socket.removeListener('error', failed);
      resolve(socket);
    };
    timer.arm(ms, 'connect', (name, after) => {
      socket.removeListener('error', failed);
      socket.removeListener('connect', ok);
      socket.on('error', () => undefined);
      socket.destroy();
      reject(timeoutError(name, after));
    });
    socket.once('error', failed);
    socket.once('connect', ok);
  }).finally(() => timer.clear());
}
