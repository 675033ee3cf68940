import type net from 'node:net';
import { createProxyHeaderParser, type ProxyHeader } from '../proxy/index.js';

/**
 * Reads a PROXY v1/v2 header from a socket before anything else (bounded by the parser's limits
 * and by `timeoutMs`), then hands over the header and the bytes that came after it, with the
 * socket paused. A bad header, none within the time, or the peer's FIN before it is whole
 * destroys the socket.
 *
 * @example
 * ```ts
 * readProxyHeader(socket, { maxV2Length: 1024, timeoutMs: 30_000 }, (header, rest) => start(header, rest), log);
 * ```
 */
export function readProxyHeader(
  socket: net.Socket,
  options: { readonly maxV2Length: number; readonly timeoutMs: number },
  onHeader: (header: ProxyHeader, rest: Buffer) => void,
  onError: (error: Error) => void,
): void {
  const parser = createProxyHeaderParser({ maxV2Length: options.maxV2Length });
  const timer = setTimeout(() => socket.destroy(), options.timeoutMs);
  // The listener allows half-open connections; a FIN before the header is whole means it never
  // will be.
  const onEnd = (): void => {
    socket.destroy();
  };
  const onData = (chunk: Buffer): void => {
    let result: ReturnType<typeof parser.push>;
    try {
      result = parser.push(chunk);
    } catch (error) {
      clearTimeout(timer);
      onError(error as Error);
      socket.destroy();
      return;
    }
    if (result.kind === 'need-more') return;
    clearTimeout(timer);
    socket.removeListener('data', onData);
    socket.removeListener('end', onEnd);
    socket.pause();
    onHeader(
      result.header,
      Buffer.from(result.rest.buffer, result.rest.byteOffset, result.rest.length),
    );
  };
  socket.on('data', onData);
  socket.once('end', onEnd);
  socket.once('close', () => clearTimeout(timer));
}
