import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, createSecureContext, TLSSocket } from 'node:tls';
import { createMessageLog } from './message-log.js';
import { PeerError } from './peer-error.js';

/** One message as the capture server stored it. */
export interface CapturedMessage {
  /** The greeting verb and argument as sent, e.g. `EHLO client.example`. */
  readonly greeting: string;
  /** The MAIL command line as sent, without CRLF. */
  readonly mailCommand: string;
  /** The RCPT command lines as sent, without CRLF. */
  readonly rcptCommands: readonly string[];
  /** The message content after dot-unstuffing, without the terminating `.CRLF` (RFC 5321 §4.5.2). */
  readonly data: Buffer;
  /** The DATA bytes exactly as they arrived on the wire, up to and including `CRLF.CRLF`. */
  readonly wire: Buffer;
  /** Whether the session was under TLS (STARTTLS or implicit) when the message arrived. */
  readonly tls: boolean;
  /** Credentials from AUTH PLAIN / LOGIN, when the client authenticated. */
  readonly auth?: { readonly mechanism: string; readonly user: string; readonly password: string };
}

/** Options of {@link startCaptureSmtpServer}. */
export interface CaptureSmtpServerOptions {
  /** PEM key and certificate: enables STARTTLS (and `implicitTls`). */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Speak TLS from the first byte (port-465 style). Needs `tls`. */
  readonly implicitTls?: boolean;
  /** Answer LHLO and give one reply per recipient after DATA (RFC 2033). */
  readonly lmtp?: boolean;
}

/** A running capture server. */
export interface CaptureSmtpServer {
  readonly port: number;
  readonly messages: readonly CapturedMessage[];
  /** Every command line received, in order, across sessions (AUTH payloads included). */
  readonly commands: readonly string[];
  /** Resolves once `count` messages are stored; rejects with ERR_PEER_TIMEOUT after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs: number): Promise<readonly CapturedMessage[]>;
  close(): Promise<void>;
}

const CRLF = Buffer.from('\r\n');
const END_OF_DATA = Buffer.from('\r\n.\r\n');
const MAX_BUFFER = 64 * 1024 * 1024;

// RFC 5321 §4.5.2: the receiver deletes the first "." of every line that starts with one.
function dotUnstuff(content: Buffer): Buffer {
  const parts: Buffer[] = [];
  let lineStart = 0;
  while (lineStart < content.length) {
    const next = content.indexOf(CRLF, lineStart);
    const lineEnd = next === -1 ? content.length : next + 2;
    const skip = content[lineStart] === 0x2e ? 1 : 0;
    parts.push(content.subarray(lineStart + skip, lineEnd));
    lineStart = lineEnd;
  }
  return Buffer.concat(parts);
}

function decodeBase64(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}

/**
 * A deliberately small SMTP/LMTP server for testing clients: it accepts everything, stores each
 * message's raw bytes, and supports PIPELINING, 8BITMIME, SMTPUTF8, STARTTLS, implicit TLS and
 * AUTH PLAIN/LOGIN. It is a test double, not a model of a correct server: replies are fixed texts.
 *
 * @example
 * ```ts
 * const server = await startCaptureSmtpServer();
 * await runSwaks({ port: server.port, from: 'a@example.com', to: 'b@example.com' });
 * const [message] = await server.waitForMessages(1, 5000);
 * await server.close();
 * ```
 */
export async function startCaptureSmtpServer(
  options: CaptureSmtpServerOptions = {},
): Promise<CaptureSmtpServer> {
  if (options.implicitTls === true && options.tls === undefined) {
    throw new PeerError('ERR_PEER_USAGE', 'implicitTls needs tls: { key, cert }');
  }
  const secureContext = options.tls ? createSecureContext(options.tls) : undefined;
  const log = createMessageLog<CapturedMessage>();
  const commands: string[] = [];
  const sockets = new Set<Socket>();

  const onMessage = (m: CapturedMessage): void => log.add(m);

  const handle = (initial: Socket, startsSecure: boolean): void => {
    let socket: Socket = initial;
    let secure = startsSecure;
    let buffer: Buffer = Buffer.alloc(0);
    let mode: 'command' | 'data' | 'auth-plain' | 'auth-login-user' | 'auth-login-pass' = 'command';
    let greeting = '';
    let mailCommand = '';
    let rcpts: string[] = [];
    let auth: CapturedMessage['auth'];
    let loginUser = '';
    sockets.add(initial);
    initial.on('close', () => sockets.delete(initial));

    const send = (text: string): void => {
      socket.write(`${text}\r\n`);
    };

    const onLine = (line: string): void => {
      commands.push(line);
      if (mode === 'auth-plain') {
        const [, user = '', password = ''] = decodeBase64(line).split('\0');
        auth = { mechanism: 'PLAIN', user, password };
        mode = 'command';
        send('235 2.7.0 Authentication successful');
        return;
      }
      if (mode === 'auth-login-user') {
        loginUser = decodeBase64(line);
        mode = 'auth-login-pass';
        send(`334 ${Buffer.from('Password:').toString('base64')}`);
        return;
      }
      if (mode === 'auth-login-pass') {
        auth = { mechanism: 'LOGIN', user: loginUser, password: decodeBase64(line) };
        mode = 'command';
        send('235 2.7.0 Authentication successful');
        return;
      }
      const space = line.indexOf(' ');
      const verb = (space === -1 ? line : line.slice(0, space)).toUpperCase();
      const arg = space === -1 ? '' : line.slice(space + 1);
      switch (verb) {
        case 'EHLO':
        case 'LHLO': {
          greeting = line;
          const keywords = [
            'PIPELINING',
            '8BITMIME',
            'SMTPUTF8',
            'SIZE 104857600',
            'AUTH PLAIN LOGIN',
          ];
          if (secureContext !== undefined && !secure) keywords.push('STARTTLS');
          send(
            [
              '250-capture',
              ...keywords.slice(0, -1).map((k) => `250-${k}`),
              `250 ${keywords.at(-1)}`,
            ].join('\r\n'),
          );
          return;
        }
        case 'HELO':
          greeting = line;
          send('250 capture');
          return;
        case 'STARTTLS': {
          if (secureContext === undefined || secure) {
            send('502 5.5.1 STARTTLS not available');
            return;
          }
          send('220 2.0.0 Ready to start TLS');
          // RFC 3207 §4.2: discard anything the client sent before the handshake.
          buffer = Buffer.alloc(0);
          socket.removeListener('data', onData);
          const tlsSocket = new TLSSocket(socket, { isServer: true, secureContext });
          tlsSocket.on('data', onData);
          tlsSocket.on('error', () => tlsSocket.destroy());
          socket = tlsSocket;
          secure = true;
          greeting = '';
          return;
        }
        case 'AUTH': {
          const [mechanism = '', initial] = arg.split(' ');
          if (mechanism.toUpperCase() === 'PLAIN') {
            if (initial !== undefined) {
              const [, user = '', password = ''] = decodeBase64(initial).split('\0');
              auth = { mechanism: 'PLAIN', user, password };
              send('235 2.7.0 Authentication successful');
            } else {
              mode = 'auth-plain';
              send('334 ');
            }
          } else if (mechanism.toUpperCase() === 'LOGIN') {
            if (initial !== undefined) {
              loginUser = decodeBase64(initial);
              mode = 'auth-login-pass';
              send(`334 ${Buffer.from('Password:').toString('base64')}`);
            } else {
              mode = 'auth-login-user';
              send(`334 ${Buffer.from('Username:').toString('base64')}`);
            }
          } else {
            send('504 5.5.4 Unrecognized authentication type');
          }
          return;
        }
        case 'MAIL':
          mailCommand = line;
          rcpts = [];
          send('250 2.1.0 Ok');
          return;
        case 'RCPT':
          rcpts.push(line);
          send('250 2.1.5 Ok');
          return;
        case 'DATA':
          mode = 'data';
          send('354 End data with <CR><LF>.<CR><LF>');
          return;
        case 'RSET':
          mailCommand = '';
          rcpts = [];
          send('250 2.0.0 Ok');
          return;
        case 'NOOP':
          send('250 2.0.0 Ok');
          return;
        case 'QUIT':
          send('221 2.0.0 Bye');
          socket.end();
          return;
        default:
          send('502 5.5.2 Command not recognized');
      }
    };

    const onData = (chunk: Buffer): void => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      if (buffer.length > MAX_BUFFER) {
        socket.destroy();
        return;
      }
      for (;;) {
        if (mode === 'data') {
          // The content may be empty: ".\r\n" right after the 354.
          const emptyMessage =
            buffer.length >= 3 && buffer.subarray(0, 3).equals(END_OF_DATA.subarray(2));
          const end = emptyMessage ? -2 : buffer.indexOf(END_OF_DATA);
          if (end === -1) return;
          const wireEnd = end + END_OF_DATA.length;
          const wire = Buffer.from(buffer.subarray(0, wireEnd));
          const content = emptyMessage ? Buffer.alloc(0) : wire.subarray(0, end + 2);
          buffer = buffer.subarray(wireEnd);
          mode = 'command';
          onMessage({
            greeting,
            mailCommand,
            rcptCommands: rcpts,
            data: dotUnstuff(content),
            wire,
            tls: secure,
            ...(auth === undefined ? {} : { auth }),
          });
          if (options.lmtp === true) {
            // RFC 2033 §4.2: one reply per successful RCPT, in order.
            for (const _ of rcpts) send('250 2.0.0 Ok: delivered');
          } else {
            send('250 2.0.0 Ok: queued');
          }
          mailCommand = '';
          rcpts = [];
          continue;
        }
        const eol = buffer.indexOf(CRLF);
        if (eol === -1) return;
        const line = buffer.subarray(0, eol).toString('utf8');
        buffer = buffer.subarray(eol + 2);
        const before = socket;
        onLine(line);
        if (socket !== before) return; // switched to TLS: the rest of the buffer was discarded
      }
    };

    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
    send('220 capture ESMTP test server');
  };

  const server: Server =
    options.implicitTls === true && options.tls !== undefined
      ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, (s) => handle(s, true))
      : createServer((s) => handle(s, false));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    port,
    messages: log.messages,
    commands,
    waitForMessages: log.waitForMessages,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
