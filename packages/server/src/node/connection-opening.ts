import type net from 'node:net';
import type { TlsInfo } from '../session/index.js';
import { readProxyHeader } from './proxy-header-reader.js';
import type { HookContext } from './server-options.js';
import { startServerTls } from './start-tls.js';
import { type TlsContexts, tlsInfoOf } from './tls-context.js';

/** What {@link openConnection} needs from the server. */
export interface OpeningOptions {
  /** Peers allowed to send a PROXY header first (none: no header is read). */
  readonly proxy: { allows(address: string): boolean } | undefined;
  readonly proxyMaxLength: number;
  /** Bound on the PROXY header (the greeting timeout). */
  readonly headerTimeoutMs: number;
  /** RFC 8314 implicit TLS on this listener. */
  readonly implicitTls: boolean;
  readonly tls: TlsContexts | undefined;
  readonly handshakeTimeoutMs: number;
}

/** A connection ready for its SMTP session. */
export interface OpenedConnection {
  /** The socket the session talks on: the TLS socket under implicit TLS. */
  readonly socket: net.Socket;
  readonly tlsInfo: TlsInfo | undefined;
  /** Bytes that came with the PROXY header, before the banner (an early talker's). */
  readonly early: Buffer | undefined;
  readonly proxied: HookContext['proxied'];
}

/**
 * What happens on a new connection before its SMTP session: the PROXY v1/v2 header from an
 * allow-listed peer (bounded, timed), then for an implicit-TLS listener the TLS handshake. A bad
 * header or a failed handshake ends the connection; `opened` is called only for a good one.
 *
 * @example
 * ```ts
 * openConnection(socket, options, (o) => startSession(o.socket, o.tlsInfo, o.early), log);
 * ```
 */
export function openConnection(
  socket: net.Socket,
  options: OpeningOptions,
  opened: (connection: OpenedConnection) => void,
  failed: (what: string, error: Error) => void,
): void {
  const afterHeader = (proxied: HookContext['proxied'], rest: Buffer | undefined): void => {
    if (!options.implicitTls) {
      opened({ socket, tlsInfo: undefined, early: rest, proxied });
      return;
    }
    // The TLS ClientHello may have come with the PROXY header: the TLS socket reads it.
    if (rest !== undefined && rest.length > 0) socket.unshift(rest);
    if (options.tls === undefined) {
      socket.destroy();
      return;
    }
    // RFC 8314 §3.3: implicit TLS; the SMTP session starts once the handshake is done.
    startServerTls(
      socket,
      options.tls,
      { handshakeTimeoutMs: options.handshakeTimeoutMs },
      (secure) => opened({ socket: secure, tlsInfo: tlsInfoOf(secure), early: undefined, proxied }),
    );
  };
  const peer = socket.remoteAddress;
  if (options.proxy === undefined || peer === undefined || !options.proxy.allows(peer)) {
    afterHeader(undefined, undefined);
    return;
  }
  readProxyHeader(
    socket,
    { maxV2Length: options.proxyMaxLength, timeoutMs: options.headerTimeoutMs },
    (header, rest) =>
      afterHeader({ header, peerAddress: socket.remoteAddress, peerPort: socket.remotePort }, rest),
    (error) => failed('bad PROXY header', error),
  );
}
