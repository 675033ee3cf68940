/**
 * A pino-compatible structured logger: `(object, message)` calls and `child(bindings)`. The
 * library logs nothing unless one is given ({@link silentLogger} is the default).
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * createServer({ hostname: 'mx.example', logger: pino() });
 * ```
 */
export interface Logger {
  debug(object: Record<string, unknown>, message?: string): void;
  info(object: Record<string, unknown>, message?: string): void;
  warn(object: Record<string, unknown>, message?: string): void;
  error(object: Record<string, unknown>, message?: string): void;
  child?(bindings: Record<string, unknown>): Logger;
}

const noop = (): void => {};

/**
 * The default logger: drops everything.
 *
 * @example
 * ```ts
 * silentLogger.info({ a: 1 }, 'never printed');
 * ```
 */
export const silentLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
});
