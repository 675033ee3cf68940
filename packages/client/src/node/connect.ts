import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import { createRegistry, defaultExtensions, type ServerCapabilities } from '@smtpkit/extensions';
import { parseCommand } from '@smtpkit/wire';
import { ClientError, isClientError } from '../client-error.js';
import { ClientSession, DEFAULT_CLIENT_TIMEOUTS } from '../session/client-session.js';
import { checkAuthOptions, chooseMechanism } from './auth-mechanism.js';
import { ClientConnection } from './client-connection.js';
import {
  type ClientAuthOptions,
  type ClientOptions,
  type ClientTimeoutOptions,
  DEFAULT_CONNECT_TIMEOUTS,
} from './client-options.js';
import { clientTlsSettings } from './client-tls.js';
import { ConnectionTimer } from './connection-timer.js';
import { openSocket } from './open-socket.js';
import { QueuedClient, type SmtpClient } from './smtp-client.js';

const idPrefix = randomBytes(4).toString('hex');
let nextId = 0;

/**
 * Connects to an SMTP (or LMTP) server and readies the session: the greeting, EHLO (HELO when
 * refused), STARTTLS as `tls` asks and EHLO again, then AUTH when `auth` is given. Resolves with
 * a client ready to send; on any failure the connection is closed (QUIT when the session can
 * still say it) and the promise rejects with a {@link ClientError}: `ERR_CLIENT_CONNECT`,
 * `ERR_CLIENT_TIMEOUT` (the phase in the message), `ERR_CLIENT_TLS`, `ERR_CLIENT_TLS_REQUIRED`,
 * `ERR_CLIENT_REPLY` (a refused greeting, EHLO or AUTH), `ERR_CLIENT_EXTENSION` (no AUTH
 * mechanism in common), `ERR_CLIENT_MISUSE_*` (bad options).
 *
 * @example
 * ```ts
 * import { connect } from '@smtpkit/client';
 * const client = await connect({ host: 'smtp.example', port: 587, tls: 'required', auth: { username: 'tim', password: 'secret' } });
 * await client.send({ from: 'tim@example.org', to: 'ann@example.com' }, 'Subject: hi\r\n\r\nHello\r\n');
 * await client.quit();
 * ```
 */
export async function connect(options: ClientOptions): Promise<SmtpClient> {
  checkOptions(options);
  const timeouts: ClientTimeoutOptions = {
    ...DEFAULT_CLIENT_TIMEOUTS,
    ...DEFAULT_CONNECT_TIMEOUTS,
    ...options.timeouts,
  };
  const registry = createRegistry(options.extensions ?? defaultExtensions());
  const tls = clientTlsSettings(options);
  const timer = new ConnectionTimer();
  const opened = await openSocket(options, tls, timeouts, timer);
  let session: ClientSession;
  try {
    session = new ClientSession({
      hostname: options.hostname ?? defaultHostname(opened.socket),
      registry,
      lmtp: options.lmtp === true,
      chunking: options.chunking !== false,
      tls: opened.secure,
      timeouts,
      observe: true,
      ...(options.replies === undefined ? {} : { replies: options.replies }),
    });
  } catch (error) {
    opened.socket.destroy();
    throw error;
  }
  const id = `${idPrefix}${(nextId++).toString(36)}`;
  const connection = new ClientConnection(opened.socket, session, { id, timer, timeouts, tls });
  try {
    await connection.greeting();
    const caps = await startTlsAsAsked(connection, await connection.hello(), options);
    if (options.auth !== undefined) await authenticate(connection, caps, options.auth);
    return new QueuedClient(connection);
  } catch (error) {
    await abandon(connection);
    throw error;
  }
}

function checkOptions(options: ClientOptions): void {
  const misuse = (message: string) =>
    new ClientError('ERR_CLIENT_MISUSE_INVALID_ARGUMENT', message);
  if (options.socket === undefined && (typeof options.host !== 'string' || options.host === '')) {
    throw misuse('connect() needs a host (or a socket)');
  }
  const port = options.port;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw misuse('port must be an integer from 1 to 65535');
  }
  const modes = ['none', 'opportunistic', 'required', 'implicit'];
  if (options.tls !== undefined && !modes.includes(options.tls)) {
    throw misuse(`tls must be one of ${modes.join(', ')}`);
  }
  if (options.hostname !== undefined && !isEhloName(options.hostname)) {
    throw misuse('hostname must be a domain or an address literal (RFC 5321 §4.1.1.1)');
  }
  for (const [name, ms] of Object.entries(options.timeouts ?? {})) {
    if (!(typeof ms === 'number' && ms > 0 && Number.isFinite(ms))) {
      throw misuse(`timeouts.${name} must be a positive number of milliseconds`);
    }
  }
  if (options.auth !== undefined) checkAuthOptions(options.auth);
}

/** RFC 5321 §4.1.1.1: `ehlo = "EHLO" SP ( Domain / address-literal ) CRLF`. */
function isEhloName(name: string): boolean {
  try {
    return parseCommand(`EHLO ${name}`).verb === 'EHLO';
  } catch {
    return false;
  }
}

/**
 * RFC 5321 §4.1.4: the client's FQDN, or, when it has no valid one, an address literal of the
 * local end of the connection (§4.1.3).
 */
function defaultHostname(socket: net.Socket): string {
  const name = os.hostname();
  if (isEhloName(name)) return name;
  let address = (socket.localAddress ?? '127.0.0.1').replace(/%.*$/, '');
  if (address.startsWith('::ffff:') && net.isIPv4(address.slice(7))) address = address.slice(7);
  return net.isIPv6(address) ? `[IPv6:${address}]` : `[${address}]`;
}

/** STARTTLS as `options.tls` asks (RFC 3207); the capabilities in force afterwards. */
async function startTlsAsAsked(
  connection: ClientConnection,
  caps: ServerCapabilities,
  options: ClientOptions,
): Promise<ServerCapabilities> {
  const mode = options.tls ?? 'opportunistic';
  if (mode === 'none' || mode === 'implicit' || connection.secure) return caps;
  if (!caps.has('STARTTLS')) {
    if (mode === 'opportunistic') return caps;
    throw new ClientError(
      'ERR_CLIENT_TLS_REQUIRED',
      'TLS is required and the server does not offer STARTTLS',
      { command: 'EHLO' },
    );
  }
  try {
    await connection.startTls();
  } catch (error) {
    // Refused with a reply, the session is still usable: opportunistic TLS goes on in clear.
    const refused = isClientError(error) && error.code === 'ERR_CLIENT_TLS_REQUIRED';
    if (mode === 'opportunistic' && refused && connection.ready) return caps;
    throw error;
  }
  return connection.hello();
}

async function authenticate(
  connection: ClientConnection,
  caps: ServerCapabilities,
  auth: ClientAuthOptions,
): Promise<void> {
  if (!connection.secure && auth.allowInsecure !== true) {
    throw new ClientError(
      'ERR_CLIENT_TLS_REQUIRED',
      'AUTH needs TLS: the credentials would travel in clear (auth.allowInsecure allows it)',
      { command: 'AUTH' },
    );
  }
  const offered = caps.params('AUTH');
  if (offered === undefined) {
    throw new ClientError('ERR_CLIENT_EXTENSION', 'the server does not offer AUTH (RFC 4954)', {
      command: 'AUTH',
      permanent: true,
    });
  }
  await connection.authenticate(chooseMechanism(auth, offered));
}

/** After a failed start: QUIT when the session can still say it, else cut. */
async function abandon(connection: ClientConnection): Promise<void> {
  try {
    if (connection.ready) await connection.quit();
    else await connection.destroy();
  } catch {
    await connection.destroy();
  }
}
