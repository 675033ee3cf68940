import type { ServerCapabilities } from '@smtpkit/extensions';
import type { Reply } from '@smtpkit/reply';
import { ClientError } from '../client-error.js';
import type { TransactionResult } from '../session/client-events.js';
import type { BodySource, ClientConnection } from './client-connection.js';
import { type MessageEnvelope, toSendEnvelope } from './message-envelope.js';

/**
 * A message for {@link SmtpClient.send}: bytes (a `Buffer` is a `Uint8Array`), text (sent as
 * UTF-8), or a stream of either (a `Readable`, any `AsyncIterable`), read with backpressure.
 *
 * @example
 * ```ts
 * const message: MessageInput = fs.createReadStream('message.eml');
 * ```
 */
export type MessageInput = Uint8Array | string | AsyncIterable<Uint8Array | string>;

/**
 * A connected client: greeted, EHLO said, under TLS and authenticated as its options asked.
 * Operations run one after another in the order they were called; the connection is reused
 * between messages (the session leaves each transaction clean, RFC 5321 §4.1.4).
 *
 * Line endings: by BDAT (the server offers CHUNKING) the message arrives byte for byte, binary
 * included. By DATA, RFC 5321 §2.3.8 lets CR and LF travel only as CRLF: every bare LF and bare
 * CR is sent as CRLF, a CRLF is added at the end when missing, and lines starting with "." are
 * dot-stuffed (§4.5.2), which the server undoes.
 *
 * @example
 * ```ts
 * const client = await connect({ host: 'mx.example', port: 25 });
 * const result = await client.send({ from: 'a@example.org', to: 'b@example.com' }, 'Subject: hi\r\n\r\nHello\r\n');
 * result.recipients.map((r) => [r.recipient, r.accepted]);
 * await client.quit();
 * ```
 */
export interface SmtpClient {
  /** The connection's id in diagnostics messages. */
  readonly id: string;
  /** What the server offered in its last EHLO/LHLO reply. */
  readonly capabilities: ServerCapabilities;
  /** Under TLS (implicit, or after STARTTLS). */
  readonly secure: boolean;
  /** Closed: every operation fails with `ERR_CLIENT_CLOSED`. */
  readonly closed: boolean;
  /**
   * Sends one message. Resolves with each recipient's outcome (partial acceptance is a result,
   * not an error). Rejects with a {@link ClientError}: `ERR_CLIENT_REPLY` when MAIL is refused,
   * `ERR_CLIENT_EXTENSION` when the server lacks what the message needs (nothing is sent then),
   * `ERR_CLIENT_TIMEOUT` or `ERR_CLIENT_CLOSED` when the connection ends, `ERR_CLIENT_MISUSE_*`
   * for an envelope that cannot be sent. A message stream that fails cuts the connection (ending
   * the message would deliver part of it) and `send` rejects with the stream's error.
   */
  send(envelope: MessageEnvelope, message: MessageInput): Promise<TransactionResult>;
  /** RSET (RFC 5321 §4.1.1.5). */
  reset(): Promise<Reply>;
  /** NOOP (RFC 5321 §4.1.1.9): is the connection still alive? */
  noop(): Promise<Reply>;
  /** QUIT, wait for the 221, close the connection. Resolves when it is closed. */
  quit(): Promise<void>;
  /** Closes the connection now; an operation in progress fails with `ERR_CLIENT_CLOSED`. */
  close(): Promise<void>;
}

const utf8 = new TextEncoder();

/** {@link SmtpClient} over one {@link ClientConnection}: the queue of operations. */
export class QueuedClient implements SmtpClient {
  readonly #connection: ClientConnection;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(connection: ClientConnection) {
    this.#connection = connection;
  }

  get id(): string {
    return this.#connection.id;
  }

  get capabilities(): ServerCapabilities {
    return this.#connection.capabilities as ServerCapabilities;
  }

  get secure(): boolean {
    return this.#connection.secure;
  }

  get closed(): boolean {
    return this.#connection.closed;
  }

  /** See {@link ClientConnection.repliesRead} (for the pool). */
  get repliesRead(): number {
    return this.#connection.repliesRead;
  }

  /** See {@link ClientConnection.lastReply} (for the pool). */
  get lastReply(): Reply | undefined {
    return this.#connection.lastReply;
  }

  send(envelope: MessageEnvelope, message: MessageInput): Promise<TransactionResult> {
    return this.#enqueue(() => this.#connection.send(toSendEnvelope(envelope), body(message)));
  }

  reset(): Promise<Reply> {
    return this.#enqueue(() => this.#connection.reset());
  }

  noop(): Promise<Reply> {
    return this.#enqueue(() => this.#connection.noop());
  }

  quit(): Promise<void> {
    return this.#enqueue(() => this.#connection.quit());
  }

  close(): Promise<void> {
    return this.#connection.destroy();
  }

  #enqueue<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(op, op);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

function body(message: MessageInput): Uint8Array | BodySource {
  if (message instanceof Uint8Array) return message;
  if (typeof message === 'string') return utf8.encode(message);
  if (message !== null && typeof message === 'object' && Symbol.asyncIterator in message) {
    return message;
  }
  throw new ClientError(
    'ERR_CLIENT_MISUSE_INVALID_ARGUMENT',
    'the message must be a Uint8Array, a string or an async iterable of them',
  );
}
