// A namespace import: the .d.ts repeats it, and a default import fails consumers compiled without
// esModuleInterop.
import * as diagnosticsChannel from 'node:diagnostics_channel';

/**
 * The names of the server's channels, `smtpkit:server:<name>`. Each is typed `Channel` without type
 * arguments, as @types/node before 20.11 has no generic `Channel`.
 */
type ChannelName = 'connection' | 'command' | 'reply' | 'message' | 'error';

/**
 * The `node:diagnostics_channel` channels of the server. Messages are published only when a
 * channel has subscribers, so they cost nothing otherwise.
 *
 * - `smtpkit:server:connection`: `{ id, event: 'open' | 'close' | 'refused', remoteAddress, remotePort }`
 * - `smtpkit:server:command`: `{ id, verb, phase }` (never arguments: AUTH data stays private)
 * - `smtpkit:server:reply`: `{ id, code, enhanced }`
 * - `smtpkit:server:message`: `{ id, size, outcome: 'accepted' | 'refused', recipients }` after a message
 * - `smtpkit:server:error`: `{ id, error, hook? }`
 *
 * @example
 * ```ts
 * import diagnosticsChannel from 'node:diagnostics_channel';
 * diagnosticsChannel.subscribe('smtpkit:server:reply', (m) => console.log(m));
 * ```
 */
export const channels: { readonly [name in ChannelName]: diagnosticsChannel.Channel } =
  Object.freeze({
    connection: diagnosticsChannel.channel('smtpkit:server:connection'),
    command: diagnosticsChannel.channel('smtpkit:server:command'),
    reply: diagnosticsChannel.channel('smtpkit:server:reply'),
    message: diagnosticsChannel.channel('smtpkit:server:message'),
    error: diagnosticsChannel.channel('smtpkit:server:error'),
  });
