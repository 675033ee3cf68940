import { runBench } from './bench-command.js';
import { parseBenchOptions, parseSendOptions } from './cli-options.js';
import { BENCH_HELP, SEND_HELP } from './help.js';
import { runSend, type SendIo } from './send-command.js';
import { EXIT, SendError } from './send-error.js';

// Results on stdout; errors, notes and the transcript on stderr: a script reads one and shows the
// other. Standard input is touched only for --data -.
const io: SendIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  get stdin() {
    return process.stdin;
  },
};

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'bench') {
    const options = parseBenchOptions(argv.slice(1));
    if (options.help) {
      io.out(BENCH_HELP);
      return EXIT.accepted;
    }
    return runBench(options, io);
  }
  const options = parseSendOptions(argv);
  if (options.help) {
    io.out(SEND_HELP);
    return EXIT.accepted;
  }
  return runSend(options, io);
}

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    if (error instanceof SendError) {
      io.err(`smtpkit-send: ${error.message}`);
      process.exitCode = error.code === 'ERR_SEND_REFUSED' ? EXIT.refused : EXIT.usage;
      return;
    }
    io.err(`smtpkit-send: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = EXIT.refused;
  },
);
