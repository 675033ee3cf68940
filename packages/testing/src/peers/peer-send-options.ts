/** Where a client launcher connects, the envelope it sends and the message. */
export interface PeerSendOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  readonly port: number;
  readonly from: string;
  readonly to: readonly string[];
  /** The message bytes, already CRLF-terminated; the client dot-stuffs them. */
  readonly data: string | Uint8Array;
  /** Whole-run bound; the client is stopped past it. Default 20 s. */
  readonly timeoutMs?: number;
}

/** How a client secures the connection: not at all, STARTTLS (RFC 3207), or TLS from the first byte (RFC 8314). */
export type PeerTls = 'none' | 'starttls' | 'implicit';

/** An AUTH account for a client launcher (RFC 4954). */
export interface PeerAuth {
  readonly mechanism: 'PLAIN' | 'LOGIN';
  readonly user: string;
  readonly password: string;
}
