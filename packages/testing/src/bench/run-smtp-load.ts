import { PeerError } from '../peers/peer-error.js';
import { runSmtpSource } from '../peers/smtp-source.js';

/** Options of {@link runSmtpLoad}. */
export interface SmtpLoadOptions {
  readonly host?: string;
  readonly port: number;
  /** Sessions in parallel (smtp-source `-s`). */
  readonly sessions: number;
  /**
   * Messages per connection. 1: a new connection per message. More: smtp-source `-d` keeps each
   * connection, and the load runs in rounds of `sessions × messagesPerSession` messages, so each
   * connection carries about that many (smtp-source shares messages between its sessions).
   */
  readonly messagesPerSession: number;
  /** Payload bytes per message (smtp-source `-l`; its few header lines come on top). */
  readonly messageSize: number;
  /** Messages in the whole load. */
  readonly totalMessages: number;
  /** Bound on the whole load; smtp-source is killed by PID past what is left of it. */
  readonly timeoutMs: number;
  /** Run the load generator on these CPUs only (a `taskset -c` list); see {@link pinProcess}. */
  readonly cpus?: string;
}

/** What a load achieved. */
export interface SmtpLoadResult {
  /** Messages the server accepted (smtp-source aborts on any other reply). */
  readonly messages: number;
  /**
   * Wall time of the smtp-source runs, each from its start (the 'spawn' event) to its exit, added
   * up: the parent's fork/exec between rounds is not counted, or it would weigh most on the fastest
   * server in the many-messages-per-connection rounds.
   */
  readonly seconds: number;
  /** messages / seconds. */
  readonly rate: number;
  /** How many smtp-source processes ran one after another. */
  readonly rounds: number;
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new PeerError('ERR_PEER_USAGE', `runSmtpLoad ${name} must be a positive integer`);
  }
}

/**
 * Puts a bounded SMTP load on any server listening on a loopback port, with Postfix's
 * smtp-source as the load generator, and measures the wall time around it.
 *
 * @example
 * ```ts
 * const r = await runSmtpLoad({ port, sessions: 20, messagesPerSession: 1, messageSize: 1024,
 *   totalMessages: 2000, timeoutMs: 60_000 });
 * console.log(`${r.rate.toFixed(0)} messages/s`);
 * ```
 */
export async function runSmtpLoad(options: SmtpLoadOptions): Promise<SmtpLoadResult> {
  checkCount('sessions', options.sessions);
  checkCount('messagesPerSession', options.messagesPerSession);
  checkCount('totalMessages', options.totalMessages);
  if (!Number.isInteger(options.messageSize) || options.messageSize < 0) {
    throw new PeerError('ERR_PEER_USAGE', 'runSmtpLoad messageSize must be a non-negative integer');
  }
  const host = options.host ?? '127.0.0.1';
  const keep = options.messagesPerSession > 1;
  const perRound = keep ? options.sessions * options.messagesPerSession : options.totalMessages;
  const deadline = performance.now() + options.timeoutMs;
  let sent = 0;
  let rounds = 0;
  let elapsedMs = 0;
  while (sent < options.totalMessages) {
    const messages = Math.min(perRound, options.totalMessages - sent);
    const left = deadline - performance.now();
    if (left <= 0) {
      throw new PeerError(
        'ERR_PEER_TIMEOUT',
        `load not finished within ${options.timeoutMs} ms (${sent} sent)`,
      );
    }
    const r = await runSmtpSource({
      host,
      port: options.port,
      sessions: Math.min(options.sessions, messages),
      messages,
      size: options.messageSize,
      keepConnection: keep,
      timeoutMs: left,
      ...(options.cpus === undefined ? {} : { cpus: options.cpus }),
    });
    sent += r.messages;
    rounds += 1;
    elapsedMs += r.elapsedMs;
  }
  const seconds = elapsedMs / 1000;
  return { messages: sent, seconds, rate: sent / seconds, rounds };
}
