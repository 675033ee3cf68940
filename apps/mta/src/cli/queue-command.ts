import type { QueuedMessage, QueueSelector } from '@smtpkit/queue';
import { MtaError } from '../mta-error.js';
import { openQueue } from '../queue/open-queue.js';
import { toolConfig } from './state-config.js';

function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172_800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86_400)}d`;
}

/** One line per message, then one indented line per recipient not yet delivered. */
function describe(message: QueuedMessage, now: number, json: boolean): string[] {
  if (json) return [JSON.stringify(message)];
  const env = message.envelope;
  const out = [
    `${message.id}  ${message.size} bytes  ${age(now - env.receivedAt)} old  from <${env.sender}>${message.bounceRequested === true ? '  (bounce requested)' : ''}`,
  ];
  for (const state of message.recipients) {
    const rcpt = env.recipients[state.index];
    const when =
      state.status === 'pending'
        ? state.nextAttemptAt <= now
          ? 'due now'
          : `next attempt in ${age(state.nextAttemptAt - now)}`
        : state.status;
    const last =
      state.lastReply === undefined
        ? ''
        : `  (${state.lastReply.code} ${state.lastReply.enhanced ?? ''} ${state.lastReply.text})`;
    out.push(
      `    <${rcpt?.address ?? '?'}> via ${rcpt?.destination ?? '?'}: ${when}, ${state.attempts} attempts${last}`,
    );
  }
  return out;
}

/**
 * `smtpkit-mta queue list | show ID | flush [DOMAIN] | retry ID | delete ID | bounce ID`: acts on
 * the queue through the store, which hands the request to the running MTA when one holds the
 * spool, or goes to the shared database of a PostgreSQL queue, so it works while the MTA runs.
 */
export async function runQueueCommand(
  action: string,
  target: string | undefined,
  flags: Record<string, unknown>,
  say: (line: string) => void,
): Promise<void> {
  const config = await toolConfig(flags);
  const json = flags['json'] === true;
  const needId = (): QueueSelector => {
    if (target === undefined) {
      throw new MtaError('ERR_MTA_USAGE', `queue ${action}: expected a queue id`);
    }
    return { id: target };
  };
  const queue = await openQueue(config, { role: 'admin' });
  try {
    const now = Date.now();
    switch (action) {
      case 'list': {
        let count = 0;
        for await (const message of queue.list()) {
          for (const line of describe(message, now, json)) say(line);
          count += 1;
        }
        if (!json) say(`${count} message${count === 1 ? '' : 's'} in the queue`);
        return;
      }
      case 'show': {
        const message = await queue.get(needId().id as string);
        if (message === undefined)
          throw new MtaError('ERR_MTA_USAGE', `queue show: no message ${target}`);
        say(json ? JSON.stringify(message) : JSON.stringify(message, null, 2));
        return;
      }
      case 'flush': {
        const n = await queue.reschedule(
          target === undefined ? {} : { destination: target.toLowerCase() },
          now,
        );
        say(`${n} message${n === 1 ? '' : 's'} due now`);
        return;
      }
      case 'retry': {
        const n = await queue.reschedule(needId(), now);
        if (n === 0) throw new MtaError('ERR_MTA_USAGE', `queue retry: no message ${target}`);
        say(`${target} due now`);
        return;
      }
      case 'delete': {
        const n = await queue.remove(needId());
        if (n === 0) throw new MtaError('ERR_MTA_USAGE', `queue delete: no message ${target}`);
        say(`${target} deleted`);
        return;
      }
      case 'bounce': {
        const n = await queue.requestBounce(needId(), now);
        if (n === 0) throw new MtaError('ERR_MTA_USAGE', `queue bounce: no message ${target}`);
        say(`${target} will be bounced`);
        return;
      }
      default:
        throw new MtaError(
          'ERR_MTA_USAGE',
          `queue: unknown action ${JSON.stringify(action)} (list, show, flush, retry, delete, bounce)`,
        );
    }
  } finally {
    await queue.close();
  }
}
