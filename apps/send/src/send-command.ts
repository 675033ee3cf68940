import { Resolver } from 'node:dns/promises';
import os from 'node:os';
import { type ForwardPath, formatPath } from '@smtpkit/address';
import {
  connect,
  deliverByMx,
  isClientError,
  type MessageEnvelope,
  type SmtpClient,
  type TransactionResult,
} from '@smtpkit/client';
import type { SendOptions } from './cli-options.js';
import { clientOptions, readOptionFile } from './connection-options.js';
import { defaultMessage } from './generated-message.js';
import { EXIT, SendError } from './send-error.js';
import { formatReplyLine, printable, printTranscript } from './transcript.js';

/** Where the sender writes: stdout for results, stderr for errors and the transcript. */
export interface SendIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly stdin: AsyncIterable<Buffer | string>;
}

/**
 * One line for an error of the client: its message and, when a reply failed, the reply.
 *
 * @example
 * ```ts
 * describeError(error); // 'MAIL FROM was answered 550: 550 5.7.1 Delivery not authorized'
 * ```
 */
export function describeError(error: unknown): string {
  if (!isClientError(error))
    return printable(error instanceof Error ? error.message : String(error));
  const reply = error.reply === undefined ? '' : `: ${formatReplyLine(error.reply)}`;
  return printable(`${error.message}${reply}`);
}

/** A client error as the sender reports it: misuse is a bad command line, the rest a failure. */
function asSendError(error: unknown): unknown {
  if (!isClientError(error)) return error;
  const hint = error.code === 'ERR_CLIENT_TLS' ? ' (--ca FILE trusts another CA)' : '';
  return new SendError(
    error.misuse ? 'ERR_SEND_USAGE' : 'ERR_SEND_REFUSED',
    `${describeError(error)}${hint}`,
    { cause: error },
  );
}

async function readAll(input: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** The EHLO name when it is a domain, else a name that cannot be anyone's (RFC 2606). */
function idDomain(helo: string | undefined): string {
  const name = helo ?? os.hostname();
  return /^[A-Za-z0-9.-]+$/.test(name) && name.includes('.') ? name : 'smtpkit-send.invalid';
}

async function messageOf(options: SendOptions, io: SendIo): Promise<Buffer> {
  if (options.data === '-') return readAll(io.stdin);
  if (options.data !== undefined) return readOptionFile('data', options.data);
  return defaultMessage({
    from: options.from,
    to: options.to,
    idDomain: idDomain(options.helo),
    date: new Date(),
  });
}

function envelopeOf(
  options: SendOptions,
  to: readonly ForwardPath[],
  message: Buffer,
): MessageEnvelope {
  return {
    from: options.reversePath,
    to,
    size: message.length,
    // RFC 6152: 8-bit text is declared (and refused by a server without 8BITMIME, never
    // downgraded in silence).
    ...(message.some((b) => b >= 0x80) ? { body: '8BITMIME' as const } : {}),
    ...(options.dsnNotify === undefined
      ? {}
      : { rcptParams: to.map(() => ({ NOTIFY: options.dsnNotify })) }),
  };
}

/** Prints each recipient's outcome and the message's; true when all were accepted. */
function report(result: TransactionResult, io: SendIo): boolean {
  let all = true;
  for (const r of result.recipients) {
    all &&= r.accepted;
    const reply = r.final ?? r.reply;
    io.out(
      `rcpt ${printable(formatPath(r.recipient, 'unicode'))}: ` +
        `${r.accepted ? 'accepted' : 'refused'} ${formatReplyLine(reply)}`,
    );
  }
  const message = result.message;
  if (message === undefined) {
    io.out('message: not sent, no recipient was accepted');
    all = false;
  } else {
    const ok = message.code < 400;
    all &&= ok;
    io.out(`message: ${ok ? 'accepted' : 'refused'} ${formatReplyLine(message)}`);
  }
  if (result.unsent.length > 0) {
    io.err(
      `smtpkit-send: not offered by the server, so not sent: ${result.unsent.join(', ')} ` +
        '(the message went without them)',
    );
  }
  return all;
}

async function leave(client: SmtpClient): Promise<void> {
  try {
    await client.quit();
  } catch {
    await client.close();
  }
}

async function toServer(options: SendOptions, message: Buffer, io: SendIo): Promise<number> {
  const server = options.server as NonNullable<SendOptions['server']>;
  const port = server.port ?? (options.tls === 'implicit' ? 465 : 25);
  let client: SmtpClient;
  try {
    client = await connect({ host: server.host, port, ...(await clientOptions(options)) });
  } catch (error) {
    throw asSendError(error);
  }
  let result: TransactionResult;
  try {
    if (options.bdat && !client.capabilities.has('CHUNKING')) {
      throw new SendError(
        'ERR_SEND_REFUSED',
        'the server does not offer CHUNKING (RFC 3030), which --bdat requires; nothing was sent',
      );
    }
    result = await client.send(envelopeOf(options, options.forwardPaths, message), message);
  } catch (error) {
    await leave(client);
    throw asSendError(error);
  }
  await leave(client);
  return report(result, io) ? EXIT.accepted : EXIT.refused;
}

/** By MX: the recipients grouped by domain, one delivery per domain. */
async function byMx(options: SendOptions, message: Buffer, io: SendIo): Promise<number> {
  const domains = new Map<string, ForwardPath[]>();
  for (const path of options.forwardPaths) {
    if (path.kind !== 'mailbox' || path.mailbox.domain.kind !== 'domain') continue;
    const domain = path.mailbox.domain.ascii.toLowerCase();
    domains.set(domain, [...(domains.get(domain) ?? []), path]);
  }
  let resolver: Resolver | undefined;
  if (options.dnsServer !== undefined) {
    resolver = new Resolver({ timeout: 3000, tries: 2 });
    resolver.setServers([options.dnsServer]);
  }
  const connection = await clientOptions(options);
  let status: number = EXIT.accepted;
  try {
    for (const [domain, to] of domains) {
      try {
        const delivery = await deliverByMx(domain, envelopeOf(options, to, message), message, {
          ...connection,
          ...(options.mxPort === undefined ? {} : { port: options.mxPort }),
          ...(resolver === undefined ? {} : { resolver }),
        });
        const t = delivery.target;
        const at = t.family === 6 ? `[${t.address}]` : t.address;
        io.out(`mx ${domain}: ${t.host} ${at}:${options.mxPort ?? 25}`);
        if (!report(delivery.result, io)) status = EXIT.refused;
      } catch (error) {
        if (isClientError(error) && error.misuse) throw asSendError(error);
        if (!isClientError(error)) throw error;
        io.err(`smtpkit-send: ${domain}: ${describeError(error)}`);
        for (const path of to) {
          io.out(`rcpt ${printable(formatPath(path, 'unicode'))}: not delivered`);
        }
        status = EXIT.refused;
      }
    }
  } finally {
    resolver?.cancel();
  }
  return status;
}

/**
 * Sends the message the options describe and prints the outcome. Resolves with the exit status:
 * 0 when the message and every recipient were accepted, 1 otherwise. Throws a
 * {@link SendError} for what fails before anything could be accepted (`ERR_SEND_REFUSED`: no
 * connection, TLS or AUTH failed, MAIL refused; `ERR_SEND_FILE`, `ERR_SEND_USAGE`).
 *
 * @example
 * ```ts
 * process.exitCode = await runSend(options, { out: console.log, err: console.error, stdin: process.stdin });
 * ```
 */
export async function runSend(options: SendOptions, io: SendIo): Promise<number> {
  const message = await messageOf(options, io);
  const stop = options.verbose ? printTranscript(io.err) : undefined;
  try {
    return options.mx ? await byMx(options, message, io) : await toServer(options, message, io);
  } finally {
    stop?.();
  }
}
