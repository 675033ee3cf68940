import { Command, CommanderError, Option } from 'commander';
import { pino } from 'pino';
import { runQueueCommand } from './cli/queue-command.js';
import { overridesOf, type RunFlags } from './cli/run-flags.js';
import { runUserCommand } from './cli/user-command.js';
import { formatHostPort } from './config/config-schema.js';
import { loadConfig } from './config/load-config.js';
import { type Mta, startMta } from './mta.js';
import { MtaError } from './mta-error.js';

// Contract lines (`listening on …`) and command output go to stdout; JSON logs to stderr.
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function fail(error: unknown): never {
  const misuse = error instanceof MtaError && error.misuse;
  process.stderr.write(`smtpkit-mta: ${(error as Error).message}\n`);
  process.exit(misuse ? 2 : 1);
}

const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

async function run(flags: RunFlags): Promise<void> {
  const config = await loadConfig({
    ...(flags.config === undefined ? {} : { file: flags.config }),
    overrides: overridesOf(flags),
  });
  const logger = pino({ level: config.log.level, base: { pid: process.pid } }, pino.destination(2));
  let mta: Mta | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    if (mta === undefined) process.exit(0);
    mta.close().then(
      () => {
        logger.info({}, 'stopped');
        logger.flush();
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ error: (e as Error).message }, 'unclean stop');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  mta = await startMta(config, { logger });
  const a = mta.addresses;
  for (const x of a.mx) say(`listening on ${formatHostPort(x)} (mx)`);
  for (const x of a.submission) say(`listening on ${formatHostPort(x)} (submission, STARTTLS)`);
  for (const x of a.submissions)
    say(`listening on ${formatHostPort(x)} (submissions, implicit TLS)`);
  if (a.metrics !== undefined) say(`metrics on http://${formatHostPort(a.metrics)}/metrics`);
  say('ready');
}

/**
 * A tool's flags: its own and the root's. The root command knows `-c`, `--spool` and
 * `--data-dir` too, and commander gives an option to the root wherever it is written
 * (`queue list -c FILE` included), so the tool reads them from there.
 */
function toolFlags(cmd: Command): Record<string, unknown> {
  return cmd.optsWithGlobals();
}

/** The command line: the MTA itself, and its queue and user tools. */
export function program(): Command {
  const root = new Command('smtpkit-mta')
    .description(
      'The smtpkit reference MTA: receives mail (MX, submission, implicit-TLS submission), queues it durably, delivers it to Maildir or LMTP, relays it by MX or to a smarthost with retries, sends RFC 3464 DSNs, answers ETRN.',
    )
    .option('-c, --config <file>', 'configuration file (YAML or JSON)')
    .option(
      '--listen <host:port>',
      'MX listener (repeatable; replaces the configured listeners)',
      collect,
    )
    .option(
      '--submission <host:port>',
      'submission listener, STARTTLS + AUTH (repeatable)',
      collect,
    )
    .option('--submissions <host:port>', 'implicit-TLS submission listener (repeatable)', collect)
    .option('--relay <host:port>', 'relay every non-local message to this smarthost (no DNS)')
    .option('--spool <dir>', 'queue directory, and the Maildirs under it unless --mailboxes (default DATA_DIR/spool)')
    .option('--queue <url|dir>', 'the queue: postgres://… (shared by nodes) or a spool directory')
    .option('--data-dir <dir>', 'state directory (default ./var)')
    .option('--mailboxes <dir>', 'root of the local Maildirs (default DATA_DIR/mail)')
    .option('--local-domain <domain>', 'a domain delivered here (repeatable)', collect)
    .option('--catch-all', 'deliver every address of the local domains to MAILBOXES/catch-all/')
    .option('--relay-network <cidr>', 'clients that may relay without AUTH (repeatable)', collect)
    .option('--mx-port <port>', 'port of MX hosts (default 25)')
    .option('--dns <server>', 'DNS server for MX lookups, HOST or HOST:PORT (repeatable)', collect)
    .option('--lmtp <host:port>', 'deliver local mail by LMTP to this server')
    .option('--metrics <host:port|off>', 'Prometheus endpoint (default 127.0.0.1:2580)')
    .option('--hostname <name>', 'name in the banner, Received: and DSNs')
    .option('--no-fsync', 'do not fsync (NOT durable: for tests of other things only)')
    .addOption(
      new Option('--log-level <level>', 'log level').choices([
        'debug',
        'info',
        'warn',
        'error',
        'silent',
      ]),
    )
    .action(async (flags: RunFlags) => run(flags));
  root
    .command('queue')
    .description('inspect and act on the queue (works while the MTA runs)')
    .argument('<action>', 'list | show ID | flush [DOMAIN] | retry ID | delete ID | bounce ID')
    .argument('[target]', 'queue id or domain')
    .option('-c, --config <file>', 'configuration file')
    .option('--spool <dir>', 'queue directory')
    .option('--queue <url|dir>', 'the queue: postgres://… or a spool directory')
    .option('--data-dir <dir>', 'state directory')
    .option('--json', 'one JSON object per line')
    .action(async (action: string, target: string | undefined, _flags: unknown, cmd: Command) =>
      runQueueCommand(action, target, toolFlags(cmd), say),
    );
  root
    .command('user')
    .description('manage submission users (password read from standard input)')
    .argument('<action>', 'add NAME | remove NAME | list')
    .argument('[name]', 'user name')
    .option('-c, --config <file>', 'configuration file')
    .option('--users <file>', 'users file')
    .option('--data-dir <dir>', 'state directory')
    .action(async (action: string, name: string | undefined, _flags: unknown, cmd: Command) =>
      runUserCommand(action, name, toolFlags(cmd), say),
    );
  root
    .command('check-config')
    .description('validate the configuration and print it with defaults filled in')
    .option('-c, --config <file>', 'configuration file')
    .action(async (_flags: unknown, cmd: Command) => {
      const file = toolFlags(cmd)['config'];
      const config = await loadConfig(typeof file === 'string' ? { file } : {});
      say(JSON.stringify(config, null, 2));
    });
  root.exitOverride();
  return root;
}

try {
  await program().parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exit(e.exitCode === 0 ? 0 : 2);
  }
  fail(e);
}
