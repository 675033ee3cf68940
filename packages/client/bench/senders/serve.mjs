// What every Node sender of the client benchmark shares: the message, the in-flight loop, and the
// IPC loop through which bench/index.ts drives it. A sender is its own process (its CPU time is
// read from /proc/PID/stat by the benchmark), plain JavaScript importing built code only, so no
// loader (tsx) runs in the measured process. It stays up for the whole benchmark, so its JIT is
// warm: the benchmark sends { type: 'run', host, port, count, size, inflight } and reads back
// { type: 'done', accepted, elapsedMs }, the wall time from before the first connection to after
// the last one was closed (as smtp-source's run from start to exit).

/** The EHLO name, the envelope and the headers of every sender (smtp-source is given the same). */
export const HELO = 'client.bench.example';
export const FROM = 'source@example.com';
export const TO = 'sink@example.com';

/** Imports the client under test: this checkout's build, or SMTPKIT_BENCH_CLIENT (an A/B). */
export function importClient() {
  return import(process.env.SMTPKIT_BENCH_CLIENT ?? '@smtpkit/client');
}

const messages = new Map();

/**
 * A message shaped like smtp-source's: From, To, Date and Message-Id headers, then `size` octets
 * of body in lines of 78 characters and CRLF. One Buffer per size, made before any timing.
 */
export function benchMessage(size) {
  let message = messages.get(size);
  if (message !== undefined) return message;
  const head = [
    `From: <${FROM}>`,
    `To: <${TO}>`,
    `Date: ${new Date(0).toUTCString()}`,
    `Message-Id: <bench.${size}@${HELO}>`,
    '',
    '',
  ].join('\r\n');
  let body = '';
  for (let line = 1; body.length < size; line++) {
    const text = `${line}`.padEnd(78, 'X');
    body += `${text.slice(0, Math.max(0, size - body.length - 2))}\r\n`;
  }
  message = Buffer.from(head + body, 'latin1');
  messages.set(size, message);
  return message;
}

/**
 * Sends `count` messages with `inflight` sends outstanding: `inflight` loops, each awaiting its
 * send before starting the next. `send(slot)` resolves true when the message was accepted.
 * Resolves with how many were accepted; the first failure is thrown after all loops ended.
 */
export async function inFlight(count, inflight, send) {
  let started = 0;
  let accepted = 0;
  let failure;
  const loop = async (slot) => {
    while (started < count) {
      started++;
      try {
        if (await send(slot)) accepted++;
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inflight, count) }, (_, slot) => loop(slot)));
  if (failure !== undefined) throw failure;
  return accepted;
}

/**
 * Serves the benchmark's requests over the IPC channel with `run(request)`, which opens what it
 * needs, sends request.count messages and closes, resolving with how many were accepted.
 */
export function serve(run) {
  if (process.send === undefined) {
    process.stderr.write('a benchmark sender: started by bench/index.ts over an IPC channel\n');
    process.exit(2);
  }
  process.on('message', async (request) => {
    if (request?.type === 'exit') {
      process.disconnect();
      return;
    }
    if (request?.type !== 'run') return;
    const message = benchMessage(request.size);
    try {
      const t0 = performance.now();
      const accepted = await run({ ...request, message });
      const elapsedMs = performance.now() - t0;
      process.send({ type: 'done', accepted, elapsedMs });
    } catch (error) {
      process.send({ type: 'failed', error: String(error?.stack ?? error).slice(0, 2000) });
    }
  });
  process.send({ type: 'ready' });
}
