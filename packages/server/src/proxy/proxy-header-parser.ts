import { ServerError } from '../server-error.js';
import { type AllowList, createAllowList } from './cidr.js';
import type { ProxyHeader } from './proxy-header.js';
import { PROXY_V1_MAX_LENGTH, parseProxyV1Line } from './proxy-v1.js';
import { PROXY_V2_SIGNATURE, parseProxyV2Header } from './proxy-v2.js';

/*
 * proxy-protocol.txt §2.2: "if the incoming byte count is 16 or above and the 13 first bytes match
 * the protocol signature block followed by the protocol version 2 ... otherwise, if the incoming
 * byte count is 8 or above, and the 5 first characters match the US-ASCII representation of
 * 'PROXY' then the protocol must be parsed as version 1 ... otherwise the protocol is not covered
 * by this specification and the connection must be dropped."
 * §2: "The receiver MUST NOT start processing the connection before it receives a complete and
 * valid PROXY protocol header." "The receiver MUST be configured to only receive the protocol
 * described in this specification and MUST not try to guess whether the protocol header is
 * present or not." "The receiver SHOULD ensure proper access filtering so that only trusted
 * proxies are allowed to use this protocol."
 * Because TCP may deliver the header in pieces, this parser buffers up to the bound and decides
 * as early as the bytes allow: a first byte that starts neither signature is refused at once.
 */

/** The result of {@link ProxyHeaderParser.push}. `rest` is what followed the header (SMTP). */
export type ProxyParseResult =
  | { readonly kind: 'need-more' }
  | { readonly kind: 'header'; readonly header: ProxyHeader; readonly rest: Uint8Array };

/** Options of {@link createProxyHeaderParser}. */
export interface ProxyHeaderParserOptions {
  /** Versions to accept; both by default. */
  readonly versions?: readonly (1 | 2)[];
  /**
   * Largest v2 address-and-TLV block accepted (the 16-bit `len` field), default 1024: a header
   * announcing more is refused before its bytes arrive.
   */
  readonly maxV2Length?: number;
  /**
   * The TCP peer's address (`socket.remoteAddress`, which may be undefined); with `allowedPeers`,
   * a peer outside the list, or an unknown one, is refused.
   */
  readonly remoteAddress?: string | undefined;
  /** CIDR allow-list of proxies trusted to send a PROXY header. */
  readonly allowedPeers?: readonly string[] | AllowList;
}

/** Default bound of the v2 `len` field. */
export const DEFAULT_PROXY_V2_MAX_LENGTH = 1024;

const V1_PREFIX = Uint8Array.from([0x50, 0x52, 0x4f, 0x58, 0x59, 0x20]); // "PROXY "

function startsLike(data: Uint8Array, signature: Uint8Array): boolean {
  const n = Math.min(data.length, signature.length);
  for (let i = 0; i < n; i++) if (data[i] !== signature[i]) return false;
  return true;
}

/**
 * Incremental PROXY protocol v1/v2 header reader, one per connection. Feed it the first bytes of
 * the connection until it returns the header; pass `rest` to the SMTP session. Throws
 * {@link ServerError} when the peer is not allowed or the header is invalid or too large: drop
 * the connection then.
 *
 * @example
 * ```ts
 * const parser = createProxyHeaderParser({ remoteAddress: socket.remoteAddress,
 *   allowedPeers: ['10.0.0.0/8'] });
 * const r = parser.push(chunk);
 * if (r.kind === 'header') session.receive(r.rest);
 * ```
 */
export class ProxyHeaderParser {
  readonly #versions: ReadonlySet<1 | 2>;
  readonly #maxV2Length: number;
  readonly #refused: boolean;
  #buffer: Uint8Array = new Uint8Array(0);
  #done = false;

  constructor(options: ProxyHeaderParserOptions = {}) {
    this.#versions = new Set(options.versions ?? [1, 2]);
    if (this.#versions.size === 0)
      throw new ServerError(
        'ERR_SERVER_MISUSE_OPTIONS',
        'at least one PROXY version must be accepted',
      );
    this.#maxV2Length = options.maxV2Length ?? DEFAULT_PROXY_V2_MAX_LENGTH;
    if (!Number.isInteger(this.#maxV2Length) || this.#maxV2Length < 0 || this.#maxV2Length > 0xffff)
      throw new ServerError(
        'ERR_SERVER_MISUSE_OPTIONS',
        'maxV2Length must be an integer in [0, 65535]',
      );
    let refused = false;
    if (options.allowedPeers !== undefined) {
      const list = Array.isArray(options.allowedPeers)
        ? createAllowList(options.allowedPeers as readonly string[])
        : (options.allowedPeers as AllowList);
      refused = options.remoteAddress === undefined || !list.allows(options.remoteAddress);
    }
    this.#refused = refused;
  }

  /** Feeds bytes; see {@link ProxyParseResult}. */
  push(chunk: Uint8Array): ProxyParseResult {
    if (this.#done)
      throw new ServerError('ERR_SERVER_MISUSE_OPTIONS', 'the PROXY header was already read');
    if (this.#refused)
      throw new ServerError(
        'ERR_SERVER_PROXY_NOT_ALLOWED',
        'PROXY header from a peer not in the allow-list',
      );
    let data = chunk;
    if (this.#buffer.length > 0) {
      data = new Uint8Array(this.#buffer.length + chunk.length);
      data.set(this.#buffer, 0);
      data.set(chunk, this.#buffer.length);
    }
    const result = this.#read(data);
    if (result.kind === 'need-more') {
      // Copy: the caller may reuse its chunk. Bounded by the checks in #read.
      this.#buffer = Uint8Array.from(data);
    } else {
      this.#done = true;
      this.#buffer = new Uint8Array(0);
    }
    return result;
  }

  #read(data: Uint8Array): ProxyParseResult {
    if (data.length === 0) return { kind: 'need-more' };
    const v2 = this.#versions.has(2) && startsLike(data, PROXY_V2_SIGNATURE);
    const v1 = this.#versions.has(1) && startsLike(data, V1_PREFIX);
    if (!v1 && !v2)
      throw new ServerError(
        'ERR_SERVER_PROXY_SIGNATURE',
        'connection does not start with a PROXY header',
      );
    if (v2) {
      if (data.length < 16) return { kind: 'need-more' };
      const length = ((data[14] ?? 0) << 8) | (data[15] ?? 0);
      if (length > this.#maxV2Length)
        throw new ServerError(
          'ERR_SERVER_PROXY_V2_TOO_LONG',
          `PROXY v2 header announces ${length} bytes`,
        );
      if (data.length < 16 + length) return { kind: 'need-more' };
      return {
        kind: 'header',
        header: parseProxyV2Header(data.subarray(0, 16 + length)),
        rest: data.subarray(16 + length),
      };
    }
    const window = data.subarray(0, PROXY_V1_MAX_LENGTH);
    const lf = window.indexOf(0x0a);
    if (lf < 0) {
      if (data.length >= PROXY_V1_MAX_LENGTH)
        throw new ServerError('ERR_SERVER_PROXY_V1_TOO_LONG', 'no CRLF in the first 107 bytes');
      return { kind: 'need-more' };
    }
    return {
      kind: 'header',
      header: parseProxyV1Line(data.subarray(0, lf + 1)),
      rest: data.subarray(lf + 1),
    };
  }
}

/**
 * Creates a {@link ProxyHeaderParser}.
 *
 * @example
 * ```ts
 * const parser = createProxyHeaderParser({ versions: [2], maxV2Length: 512 });
 * ```
 */
export function createProxyHeaderParser(options: ProxyHeaderParserOptions = {}): ProxyHeaderParser {
  return new ProxyHeaderParser(options);
}
