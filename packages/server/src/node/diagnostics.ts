import diagnosticsChannel from 'node:diagnostics_channel';

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
export const channels = Object.freeze({
  connection: diagnosticsChannel.channel('smtpkit:server:connection'),
  command: diagnosticsChannel.channel('smtpkit:server:command'),
  reply: diagnosticsChannel.channel('smtpkit:server:reply'),
  message: diagnosticsChannel.channel('smtpkit:server:message'),
  error: diagnosticsChannel.channel('smtpkit:server:error'),
});
