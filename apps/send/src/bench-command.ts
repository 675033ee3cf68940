import { createPool, type TransactionResult } from '@smtpkit/client';
import type { BenchOptions } from './cli-options.js';
import { clientOptions } from './connection-options.js';
import { benchMessage } from './generated-message.js';
import { describeError, type SendIo } from './send-command.js';
import { EXIT } from './send-error.js';

/** What the load loop counted. */
export interface BenchOutcome {
  readonly messages: number;
  readonly accepted: number;
  readonly refused: number;
  readonly elapsedMs: number;
  readonly cpuMs: number;
  readonly firstError: unknown;
}

const acceptedAll = (r: TransactionResult) =>
  r.message !== undefined && r.message.code < 400 && r.recipients.every((x) => x.accepted);

/**
 * The load mode: `count` generated messages of `size` octets, `concurrency` transactions in
 * flight over a pool of as many connections (each reused until `messagesPerConnection`). Prints
 * `messages=N accepted=A refused=R`, then `elapsed_ms=T cpu_ms=C`: the wall time from the first
 * connection to the last QUIT, and this process's CPU time (user + system) over the same span.
 * Resolves with the exit status: 0 only if every message was accepted for every recipient.
 *
 * @example
 * ```ts
 * process.exitCode = await runBench(options, io);
 * ```
 */
export async function runBench(options: BenchOptions, io: SendIo): Promise<number> {
  const server = options.server as NonNullable<BenchOptions['server']>;
  const message = benchMessage(options.size, options.from, options.to);
  const envelope = { from: options.reversePath, to: options.forwardPaths, size: message.length };
  const pool = createPool({
    host: server.host,
    port: server.port ?? (options.tls === 'implicit' ? 465 : 25),
    ...(await clientOptions(options)),
    maxConnections: options.concurrency,
    maxMessagesPerConnection: options.messagesPerConnection ?? Number.POSITIVE_INFINITY,
    maxQueued: options.concurrency,
    idleTimeoutMs: 60_000,
  });
  let started = 0;
  let accepted = 0;
  let refused = 0;
  let firstError: unknown;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (started < options.count) {
      started++;
      try {
        if (acceptedAll(await pool.send(envelope, message))) accepted++;
        else refused++;
      } catch (error) {
        refused++;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, worker));
  await pool.close();
  const elapsedMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  const outcome: BenchOutcome = {
    messages: options.count,
    accepted,
    refused,
    elapsedMs,
    cpuMs: (used.user + used.system) / 1000,
    firstError,
  };
  if (firstError !== undefined) io.err(`smtpkit-send: bench: ${describeError(firstError)}`);
  io.out(`messages=${outcome.messages} accepted=${outcome.accepted} refused=${outcome.refused}`);
  io.out(`elapsed_ms=${Math.round(outcome.elapsedMs)} cpu_ms=${Math.round(outcome.cpuMs)}`);
  return accepted === options.count ? EXIT.accepted : EXIT.refused;
}
