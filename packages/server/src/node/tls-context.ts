// A namespace import: the .d.ts repeats it, and a default import fails consumers compiled without
// esModuleInterop. Types only: node:tls itself is loaded by the first TLS context (nodeTls()).
import type * as tls from 'node:tls';
import type { TlsInfo } from '../session/index.js';

/**
 * node:tls, loaded on first use: a server without TLS never loads it (half a megabyte of heap,
 * which a small server's old generation feels: V8 starts incremental marking once it passes 8 MB).
 */
export function nodeTls(): typeof tls {
  return process.getBuiltinModule('node:tls');
}

/**
 * Certificates for STARTTLS and implicit TLS. `sni` picks a certificate by the client's server
 * name (RFC 6066 §3); `undefined` falls back to `key`/`cert`.
 *
 * @example
 * ```ts
 * const options: ServerTlsOptions = { key, cert, sni: (name) => (name === 'mx2.example' ? { key: k2, cert: c2 } : undefined) };
 * ```
 */
export interface ServerTlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  readonly minVersion?: tls.SecureVersion;
  readonly sni?: (
    servername: string,
  ) => { key: string | Buffer; cert: string | Buffer } | undefined;
}

/**
 * Holds the current secure contexts; `set` swaps them for new handshakes without a restart
 * (connections already encrypted keep theirs).
 *
 * @example
 * ```ts
 * const contexts = new TlsContexts(options);
 * contexts.set(renewedOptions); // e.g. after a certificate renewal
 * ```
 */
export class TlsContexts {
  #options: ServerTlsOptions;
  #context: tls.SecureContext;
  #sni = new Map<string, tls.SecureContext | undefined>();

  constructor(options: ServerTlsOptions) {
    this.#options = options;
    this.#context = createContext(options);
  }

  /** Replaces the certificates for handshakes from now on. */
  set(options: ServerTlsOptions): void {
    const context = createContext(options);
    this.#options = options;
    this.#context = context;
    this.#sni = new Map();
  }

  /** The default context. */
  get context(): tls.SecureContext {
    return this.#context;
  }

  /** Options for a server-side `tls.TLSSocket`. */
  socketOptions(): tls.TLSSocketOptions {
    return {
      isServer: true,
      secureContext: this.#context,
      SNICallback: (servername, callback) => {
        callback(null, this.#forName(servername));
      },
    };
  }

  #forName(servername: string): tls.SecureContext {
    const sni = this.#options.sni;
    if (sni === undefined) return this.#context;
    if (!this.#sni.has(servername)) {
      if (this.#sni.size > 1000) this.#sni.clear();
      const picked = sni(servername);
      this.#sni.set(
        servername,
        picked === undefined ? undefined : createContext({ ...this.#options, ...picked }),
      );
    }
    return this.#sni.get(servername) ?? this.#context;
  }
}

function createContext(options: ServerTlsOptions): tls.SecureContext {
  return nodeTls().createSecureContext({
    key: options.key,
    cert: options.cert,
    ...(options.ca === undefined
      ? {}
      : { ca: options.ca as string | Buffer | (string | Buffer)[] }),
    minVersion: options.minVersion ?? 'TLSv1.2',
  });
}

/**
 * The TLS facts of an established socket, for the session and hook contexts.
 *
 * @example
 * ```ts
 * secure.once('secure', () => session.tlsEstablished(tlsInfoOf(secure)));
 * ```
 */
export function tlsInfoOf(socket: tls.TLSSocket): TlsInfo {
  const servername = (socket as tls.TLSSocket & { servername?: string | false }).servername;
  return {
    protocol: socket.getProtocol() ?? undefined,
    cipher: socket.getCipher()?.name,
    ...(typeof servername === 'string' ? { servername } : {}),
  };
}
