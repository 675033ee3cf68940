import diagnosticsChannel, { type Channel } from 'node:diagnostics_channel';
import { formatEnhancedStatus, isEnhancedStatus } from '@smtpkit/reply';
import { channels } from '@smtpkit/server';
import type { SinkLogger } from './sink.js';

/** What `smtpkit:server:connection` publishes (see `channels` in @smtpkit/server). */
interface ConnectionEvent {
  readonly id?: string;
  readonly event: 'open' | 'close' | 'refused';
  readonly remoteAddress?: string;
  readonly remotePort?: number;
}

/**
 * `--verbose`: logs what the server publishes on its `node:diagnostics_channel` channels, one
 * structured line each. Connections open and close with the peer address (`connection open`,
 * `connection closed`, `connection refused` past the connection limits), every command by its
 * verb (the server never publishes arguments, so AUTH data stays out of the log) and every reply
 * by its code and enhanced status. Messages are logged by the sink's data hook, which knows where
 * they went. Returns the function that unsubscribes.
 *
 * @example
 * ```ts
 * const stop = logServerEvents(pino({ level: 'debug' }, pino.destination(2)));
 * ```
 */
export function logServerEvents(logger: SinkLogger): () => void {
  // The peer of each open connection, to name it again when it closes.
  const peers = new Map<
    string,
    { remoteAddress: string | undefined; remotePort: number | undefined }
  >();
  const subscriptions: [Channel, (message: unknown) => void][] = [
    [
      channels.connection,
      (message) => {
        const m = message as ConnectionEvent;
        if (m.event === 'refused') {
          logger.info(
            { remoteAddress: m.remoteAddress, remotePort: m.remotePort },
            'connection refused',
          );
          return;
        }
        if (m.id === undefined) return;
        if (m.event === 'open') {
          const peer = { remoteAddress: m.remoteAddress, remotePort: m.remotePort };
          peers.set(m.id, peer);
          logger.info({ session: m.id, ...peer }, 'connection open');
        } else {
          const peer = peers.get(m.id);
          peers.delete(m.id);
          logger.info({ session: m.id, ...peer }, 'connection closed');
        }
      },
    ],
    [
      channels.command,
      (message) => {
        const m = message as { id: string; verb: string; phase: string };
        logger.debug({ session: m.id, verb: m.verb, phase: m.phase }, 'command');
      },
    ],
    [
      channels.reply,
      (message) => {
        const m = message as { id: string; code: number; enhanced?: unknown };
        logger.debug(
          {
            session: m.id,
            code: m.code,
            ...(isEnhancedStatus(m.enhanced) ? { enhanced: formatEnhancedStatus(m.enhanced) } : {}),
          },
          'reply',
        );
      },
    ],
  ];
  for (const [channel, onMessage] of subscriptions) {
    diagnosticsChannel.subscribe(channel.name, onMessage);
  }
  return () => {
    for (const [channel, onMessage] of subscriptions) {
      diagnosticsChannel.unsubscribe(channel.name, onMessage);
    }
  };
}
