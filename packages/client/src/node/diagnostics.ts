import diagnosticsChannel from 'node:diagnostics_channel';

/**
 * The `node:diagnostics_channel` channels of the client, the mirror of the server's. Messages are
 * published only when a channel has subscribers, so they cost nothing otherwise. `id` names the
 * connection.
 *
 * - `smtpkit:client:connection`: `{ id, event: 'open', remoteAddress, remotePort, localAddress, localPort }`,
 *   `{ id, event: 'secure', protocol, cipher }` after a TLS handshake, `{ id, event: 'close' }`
 * - `smtpkit:client:command`: `{ id, verb }` (never arguments: AUTH data stays private)
 * - `smtpkit:client:reply`: `{ id, code, enhanced }`
 * - `smtpkit:client:message`: `{ id, size, recipients, accepted, via, code }` after a transaction
 * - `smtpkit:client:error`: `{ id, error }` when the connection fails (timeout, socket error)
 *
 * @example
 * ```ts
 * import diagnosticsChannel from 'node:diagnostics_channel';
 * diagnosticsChannel.subscribe('smtpkit:client:reply', (m) => console.log(m));
 * ```
 */
export const channels = Object.freeze({
  connection: diagnosticsChannel.channel('smtpkit:client:connection'),
  command: diagnosticsChannel.channel('smtpkit:client:command'),
  reply: diagnosticsChannel.channel('smtpkit:client:reply'),
  message: diagnosticsChannel.channel('smtpkit:client:message'),
  error: diagnosticsChannel.channel('smtpkit:client:error'),
});
