import { readFile } from 'node:fs/promises';
import { type CliOptions, HELP, parseCliOptions } from './cli-options.js';
import { formatHostPort } from './host-port.js';
import { type Sink, startSink } from './sink.js';
import { SinkError } from './sink-error.js';
import { logServerEvents } from './verbose.js';

// The contract lines (`listening on …`, `messages=N bytes=B`) are the only things on stdout, so
// other tools can drive the sink; everything else goes to stderr.
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** One line on stderr, then exit: 2 for a bad command line, 1 when the sink cannot start. */
function fail(message: string, status: number): never {
  process.stderr.write(`smtpkit-sink: ${message}\n`);
  process.exit(status);
}

/**
 * How long start-up (reading the TLS files, creating the Maildir, binding the listeners) may take
 * before the sink gives up.
 */
const START_UP_TIMEOUT_MS = 10_000;

/**
 * Ends the process at once with `signal`'s default action. `process.exit` is not enough while
 * start-up work is pending: it waits for the thread pool, and a call stuck there (opening a FIFO,
 * a hung network file system) would keep it waiting for ever.
 */
function endBySignal(signal: NodeJS.Signals): void {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}

/** Reads the file of `--option`; a failure names the option, the path and the reason. */
async function readOptionFile(option: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    // "ENOENT: no such file or directory, open '/x'": the path is named already.
    const reason = (e as Error).message.split(', ')[0];
    throw new SinkError(
      'ERR_SINK_TLS_FILES',
      `--${option} ${JSON.stringify(path)}: cannot read it (${reason})`,
      { cause: e },
    );
  }
}

// One file at a time: when a read fails, no other is left pending to hold up the exit.
async function readTls(options: CliOptions): Promise<{ key: Buffer; cert: Buffer } | undefined> {
  if (options.tlsCert === undefined || options.tlsKey === undefined) return undefined;
  const key = await readOptionFile('tls-key', options.tlsKey);
  const cert = await readOptionFile('tls-cert', options.tlsCert);
  return { key, cert };
}

/**
 * SIGTERM / SIGINT: graceful close, then the counters line, then exit. The handlers are in place
 * before start-up begins, so a signal during start-up also ends with the counters line
 * (`messages=0 bytes=0`: nothing was accepted before the `listening on` lines); the process then
 * ends by that signal at once, since start-up work cannot be cancelled and may never settle.
 */
function stopOnSignals(): (sink: Sink) => boolean {
  let sink: Sink | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    if (sink === undefined) {
      process.stderr.write(`smtpkit-sink: stopped by ${signal} during start-up\n`);
      process.stdout.write('messages=0 bytes=0\n', () => endBySignal(signal));
      return;
    }
    const running = sink;
    let status = 0;
    running
      .close()
      .catch((e: unknown) => {
        process.stderr.write(`smtpkit-sink: close: ${(e as Error).message}\n`);
        status = 1;
      })
      .finally(() => {
        const { messages, bytes } = running.stats();
        process.stdout.write(`messages=${messages} bytes=${bytes}\n`, () => process.exit(status));
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // False when a signal came during start-up: the process is ending, the sink must stay silent.
  return (started) => {
    if (stopping) return false;
    sink = started;
    return true;
  };
}

/**
 * The start-up guard: when start-up has not finished within {@link START_UP_TIMEOUT_MS}, one line
 * on stderr names the step it was on, and the process is killed (SIGKILL: a normal exit would wait
 * for the stuck call). Returns the function that disarms it.
 */
function guardStartUp(step: () => string): () => void {
  const timer = setTimeout(() => {
    process.stderr.write(
      `smtpkit-sink: start-up did not finish within ${START_UP_TIMEOUT_MS / 1000} s (stuck ${step()})\n`,
      () => process.kill(process.pid, 'SIGKILL'),
    );
  }, START_UP_TIMEOUT_MS);
  return () => clearTimeout(timer);
}

async function main(argv: readonly string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliOptions(argv);
  } catch (e) {
    if (e instanceof SinkError) fail(e.message, 2);
    throw e;
  }
  if (options.help) {
    say(HELP);
    return;
  }
  const started = stopOnSignals();
  // Errors the server logs (a hook that failed: 451) keep their message, type and stack. pino is
  // loaded only for --verbose: a silent sink does not carry it (half a megabyte of heap).
  const pino = options.verbose ? (await import('pino')).pino : undefined;
  const logger = pino
    ? pino(
        {
          name: 'smtpkit-sink',
          level: 'debug',
          serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
        },
        pino.destination({ dest: 2, sync: true }),
      )
    : undefined;
  // Before the first listener: a session asks at its start whether commands are observed.
  if (logger !== undefined) logServerEvents(logger);
  let step = '';
  const enter = (next: string): void => {
    step = next;
    logger?.debug({ step }, 'start-up');
  };
  const disarm = guardStartUp(() => step);
  let sink: Sink;
  try {
    enter('reading the TLS files');
    const tls = await readTls(options);
    enter(
      options.maildir === undefined
        ? 'binding the listeners'
        : `creating the Maildir ${options.maildir} or binding the listeners`,
    );
    sink = await startSink({
      listen: options.listen,
      tlsListen: options.tlsListen,
      ...(options.maildir === undefined ? {} : { maildir: options.maildir }),
      ...(options.size === undefined ? {} : { size: options.size }),
      ...(tls === undefined ? {} : { tls }),
      accounts: options.accounts,
      authWithoutTls: options.authWithoutTls,
      lmtp: options.lmtp,
      ...(options.hostname === undefined ? {} : { hostname: options.hostname }),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.maxConnectionsPerIp === undefined
        ? {}
        : { maxConnectionsPerIp: options.maxConnectionsPerIp }),
      ...(logger === undefined ? {} : { logger }),
    });
  } catch (e) {
    if (e instanceof SinkError) fail(e.message, e.code === 'ERR_SINK_TLS_FILES' ? 2 : 1);
    throw e;
  }
  disarm();
  if (!started(sink)) return;
  // Printed only once every listener is bound: a reader may connect as soon as it sees them.
  for (const [address, tls] of [
    ...sink.addresses.listen.map((a) => [a, false] as const),
    ...sink.addresses.tlsListen.map((a) => [a, true] as const),
  ]) {
    const text = formatHostPort(address);
    const security = tls ? 'implicit TLS' : options.tlsCert === undefined ? 'plain' : 'STARTTLS';
    logger?.info({ address: text, tls: security }, 'listening');
    say(`listening on ${text}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  fail((e as Error).stack ?? String(e), 1);
});
