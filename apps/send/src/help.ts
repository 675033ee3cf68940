import { type Mode, OPTIONS, type OptionSpec } from './option-table.js';

const HELP_WIDTH = 100;
const HELP_INDENT = 6;

/** Words of `text` laid out from column `indent`, lines at most {@link HELP_WIDTH} wide. */
function wrap(text: string, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent + line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(' '.repeat(indent) + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(' '.repeat(indent) + line);
  return lines;
}

function entry(option: OptionSpec): string[] {
  const flag = `${option.short === undefined ? '' : `-${option.short}, `}--${option.name}`;
  const head = `  ${flag}${option.value === undefined ? '' : ` ${option.value}`}`;
  const text = `${option.description}${option.default === undefined ? '' : `. Default: ${option.default}`}.`;
  return [head, ...wrap(text, HELP_INDENT)];
}

const listed = (mode: Mode) => OPTIONS.filter((o) => o.modes.includes(mode)).flatMap(entry);

/**
 * What `--help` prints (on stdout) for the sender.
 *
 * @example
 * ```ts
 * process.stdout.write(`${SEND_HELP}\n`);
 * ```
 */
export const SEND_HELP = [
  'smtpkit-send: sends one message over SMTP, to a server or by MX, in the spirit of swaks.',
  '',
  'usage: smtpkit-send --server HOST[:PORT] --from ADDRESS --to ADDRESS [--to ADDRESS]... [options]',
  '       smtpkit-send --mx --from ADDRESS --to ADDRESS [options]',
  '       smtpkit-send bench --server HOST[:PORT] [--count N] [--size BYTES] [--concurrency C]',
  '       (smtpkit-send bench --help for the load mode)',
  '',
  'Options (--name=value works too):',
  ...listed('send'),
  '',
  'Output: one line per recipient on stdout, "accepted" or "refused" with the reply, then one for',
  'the message; with --mx, the host that took it. Errors are one line on stderr.',
  '',
  'Exit status: 0 only if the message and every recipient were accepted; 1 if anything was',
  'refused or could not be delivered (no connection, TLS or AUTH failed, DNS says no); 2 for a',
  'bad command line (a value with CR, LF or NUL included: it would end a command on the wire)',
  'or a file that cannot be read.',
  '',
  'Examples:',
  '  smtpkit-send --server 127.0.0.1:2525 --from a@example.org --to b@example.com',
  '  smtpkit-send --server smtp.example:587 --starttls --auth tim:secret \\',
  '    --from tim@example.org --to ann@example.com --data message.eml',
  '  smtpkit-send --mx --from a@example.org --to b@example.com --dsn-notify FAILURE,DELAY -v',
].join('\n');

/**
 * What `bench --help` prints (on stdout): the load mode, in the spirit of Postfix's smtp-source.
 *
 * @example
 * ```ts
 * process.stdout.write(`${BENCH_HELP}\n`);
 * ```
 */
export const BENCH_HELP = [
  'smtpkit-send bench: sends N generated messages, C transactions in flight, over a pool of C',
  'connections reused from message to message, in the spirit of Postfix smtp-source.',
  '',
  'usage: smtpkit-send bench --server HOST[:PORT] [--count N] [--size BYTES] [--concurrency C]',
  '',
  'Options (--name=value works too):',
  ...listed('bench'),
  '',
  'Output: "messages=N accepted=A refused=R" then "elapsed_ms=T cpu_ms=C" on stdout: the wall',
  'time from the first connection to the last QUIT, and the CPU time (user + system, from',
  'process.cpuUsage) this process spent in that loop. The first error, if any, on stderr.',
  '',
  'Exit status: 0 only if every message was accepted for every recipient; 1 otherwise; 2 for a',
  'bad command line.',
  '',
  'Example:',
  '  smtpkit-send bench --server 127.0.0.1:2525 --count 10000 --size 1024 --concurrency 20',
].join('\n');
