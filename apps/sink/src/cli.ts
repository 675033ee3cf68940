import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { type CliOptions, parseCliOptions, USAGE } from './cli-options.js';
import { formatHostPort } from './host-port.js';
import { type Sink, startSink } from './sink.js';
import { SinkError } from './sink-error.js';

// The contract lines (`listening on …`, `messages=N bytes=B`) are the only things on stdout, so
// other tools can drive the sink; everything else goes to stderr.
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(message: string, status: number, withUsage: boolean): never {
  process.stderr.write(`smtpkit-sink: ${message}\n${withUsage ? `${USAGE}\n` : ''}`);
  process.exit(status);
}

async function readTls(options: CliOptions): Promise<{ key: Buffer; cert: Buffer } | undefined> {
  if (options.tlsCert === undefined || options.tlsKey === undefined) return undefined;
  try {
    const [key, cert] = await Promise.all([readFile(options.tlsKey), readFile(options.tlsCert)]);
    return { key, cert };
  } catch (e) {
    throw new SinkError('ERR_SINK_TLS_FILES', (e as Error).message, { cause: e });
  }
}

/**
 * SIGTERM / SIGINT: graceful close, then the counters line, then exit. The handlers are in place
 * before the listeners are bound, so a signal during start-up also ends with the counters line.
 */
function stopOnSignals(): (sink: Sink) => void {
  let sink: Sink | undefined;
  let requested = false;
  let stopping = false;
  const stop = (): void => {
    requested = true;
    if (stopping || sink === undefined) return;
    stopping = true;
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
  return (started) => {
    sink = started;
    if (requested) stop();
  };
}

async function main(argv: readonly string[]): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliOptions(argv);
  } catch (e) {
    if (e instanceof SinkError) fail(e.message, 2, true);
    throw e;
  }
  if (options.help) {
    say(USAGE);
    return;
  }
  const started = stopOnSignals();
  let sink: Sink;
  try {
    const tls = await readTls(options);
    sink = await startSink({
      ...(options.listen === undefined ? {} : { listen: options.listen }),
      ...(options.tlsListen === undefined ? {} : { tlsListen: options.tlsListen }),
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
      ...(options.verbose
        ? {
            logger: pino(
              { name: 'smtpkit-sink', level: 'debug' },
              pino.destination({ dest: 2, sync: true }),
            ),
          }
        : {}),
    });
  } catch (e) {
    if (e instanceof SinkError)
      fail(e.message, e.code === 'ERR_SINK_TLS_FILES' ? 2 : 1, e.code === 'ERR_SINK_TLS_FILES');
    throw e;
  }
  // Printed only once every listener is bound: a reader may connect as soon as it sees them.
  if (sink.addresses.listen !== undefined)
    say(`listening on ${formatHostPort(sink.addresses.listen)}`);
  if (sink.addresses.tlsListen !== undefined) {
    say(`listening on ${formatHostPort(sink.addresses.tlsListen)}`);
  }
  started(sink);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  fail((e as Error).stack ?? String(e), 1, false);
});
