import { Resolver } from 'node:dns/promises';
import {
  type MessageEnvelope as ClientEnvelope,
  type ClientOptions,
  createPool,
  deliverByMx,
  isClientError,
  type MessageInput,
  type SmtpPool,
  type TransactionResult,
} from '@smtpkit/client';
import { defaultExtensions } from '@smtpkit/extensions';
import { downgradeTo7bit, isDowngradeError } from '@smtpkit/mime-downgrade';
import type { Lease, QueueStore, RecipientResult, StoredReply } from '@smtpkit/queue';
import type { MtaConfig } from '../config/config-schema.js';
import { localReply, storedReply } from './stored-reply.js';

/** The refusal code of the client's 8BITMIME extension (RFC 6152 §3: the next hop lacks it). */
const EIGHT_BIT_NOT_OFFERED = 'ERR_EXTENSION_8BITMIME_NOT_OFFERED';

function needs8BitConversion(error: unknown): boolean {
  return (
    isClientError(error) &&
    error.code === 'ERR_CLIENT_EXTENSION' &&
    (error.cause as { code?: string } | undefined)?.code === EIGHT_BIT_NOT_OFFERED
  );
}

/** How the leased recipients fared in one transaction. */
function resultsOf(lease: Lease, tx: TransactionResult, remoteMta: string): RecipientResult[] {
  const relayed = tx.unsent.includes('NOTIFY');
  return lease.recipients.map((state, i) => {
    const r = tx.recipients[i];
    if (r === undefined) {
      return {
        index: state.index,
        outcome: 'deferred',
        reply: localReply(451, '4.3.0', 'no reply'),
      };
    }
    // A refused RCPT decides alone. An accepted one is decided by the reply to the message: LMTP
    // gives each recipient its own, SMTP one for all (RFC 2033 §4.2); a 5xx at the end of DATA
    // fails a recipient whose RCPT got 250 (`accepted` is false then, the RCPT reply is no result).
    const final = r.reply.code >= 400 ? r.reply : (r.final ?? tx.message);
    if (final === undefined) {
      return {
        index: state.index,
        outcome: 'deferred',
        reply: localReply(451, '4.3.0', 'no reply to the message'),
      };
    }
    const reply = storedReply(final, remoteMta);
    if (final.code < 300) {
      return {
        index: state.index,
        outcome: 'delivered',
        reply,
        ...(relayed ? { action: 'relayed' as const } : {}),
      };
    }
    return { index: state.index, outcome: final.code >= 500 ? 'failed' : 'deferred', reply };
  });
}

/** Every leased recipient with the same outcome (a connection failure, a refused MAIL). */
function allOf(
  lease: Lease,
  outcome: 'deferred' | 'failed',
  reply: StoredReply,
): RecipientResult[] {
  return lease.recipients.map((s) => ({ index: s.index, outcome, reply }));
}

/** What a client failure means for the recipients: the reply when there was one, else ours. */
function failureOf(lease: Lease, error: unknown, remoteMta: string | undefined): RecipientResult[] {
  if (isDowngradeError(error)) {
    // RFC 6152 §3: a message that cannot be converted for a 7-bit hop is returned, never sent.
    return allOf(
      lease,
      'failed',
      error.reply === undefined
        ? localReply(554, '5.6.3', `conversion to 7bit failed: ${error.message}`)
        : storedReply(error.reply),
    );
  }
  if (!isClientError(error)) {
    return allOf(
      lease,
      'deferred',
      localReply(451, '4.3.0', String((error as Error | undefined)?.message ?? error)),
    );
  }
  const outcome = error.permanent ? 'failed' : 'deferred';
  if (error.reply !== undefined) {
    // No MX host answered: the client's own 451 4.4.1 / 554 5.4.4 stands for what happened, so
    // keep what did happen (refused, timed out, TLS failed) in the text, and name no remote MTA.
    const cause = error.cause;
    const synthesized =
      error.code === 'ERR_CLIENT_MX_FAILED' && !(isClientError(cause) && cause.reply !== undefined);
    if (synthesized) {
      const r = storedReply(error.reply);
      return allOf(lease, outcome, { ...r, text: `${r.text}: ${error.message}` });
    }
    return allOf(lease, outcome, storedReply(error.reply, remoteMta));
  }
  const enhanced =
    error.code === 'ERR_CLIENT_NO_ROUTE'
      ? error.permanent
        ? '5.4.4'
        : '4.4.4'
      : error.code === 'ERR_CLIENT_DNS'
        ? '4.4.3'
        : error.code === 'ERR_CLIENT_TIMEOUT'
          ? '4.4.2'
          : error.permanent
            ? '5.4.0'
            : '4.4.1';
  return allOf(lease, outcome, localReply(error.permanent ? 554 : 451, enhanced, error.message));
}

/** The client waits the configuration sets (`delivery.timeouts`); the others stay the client's. */
function timeoutsOf(config: MtaConfig): Pick<ClientOptions, 'timeouts'> {
  const set = Object.entries(config.delivery.timeouts ?? {}).filter(([, ms]) => ms !== undefined);
  return set.length === 0 ? {} : { timeouts: Object.fromEntries(set) };
}

/**
 * Delivery to other hosts: to the smarthost through a connection pool when one is configured,
 * else by MX (RFC 5321 §5.1) on the configured port. DSN parameters travel on (RFC 3461 §4);
 * a next hop without DSN makes SUCCESS notices "relayed". A next hop without 8BITMIME gets the
 * message converted to 7-bit MIME (RFC 6152 §3), or a 5.6.3 failure when it cannot be.
 */
export function createRemoteDelivery(options: {
  readonly config: MtaConfig;
  readonly hostname: string;
  readonly queue: QueueStore;
  /** Send everything to this host through a pool (the smarthost, or the LMTP server); else MX. */
  readonly via?: { readonly host: string; readonly port: number; readonly lmtp?: boolean };
}) {
  const { config, queue } = options;
  const extensions = defaultExtensions();
  const clientOptions: Omit<ClientOptions, 'host' | 'port' | 'socket'> = {
    hostname: options.hostname,
    tls: options.via?.lmtp === true ? 'none' : config.delivery.tls,
    extensions,
    ...(options.via?.lmtp === true ? { lmtp: true } : {}),
    ...timeoutsOf(config),
  };
  const relay = options.via;
  let pool: SmtpPool | undefined;
  if (relay !== undefined) {
    pool = createPool({
      ...clientOptions,
      host: relay.host,
      port: relay.port,
      maxConnections: config.delivery.relayConnections,
      // A smarthost on loopback named by address: no certificate can match it.
      rejectUnauthorized: false,
    });
  }
  let resolver: Resolver | undefined;
  if (config.delivery.dnsServers !== undefined) {
    resolver = new Resolver({ timeout: 5000, tries: 2 });
    resolver.setServers(config.delivery.dnsServers);
  }

  const envelopeOf = (lease: Lease, body: ClientEnvelope['body'] | undefined): ClientEnvelope => {
    const env = lease.envelope;
    const recipients = lease.recipients.map((s) => env.recipients[s.index]);
    return {
      from: env.sender,
      to: recipients.map((r) => r?.address ?? ''),
      ...(body === undefined ? {} : { body }),
      ...(env.smtputf8 === true ? { smtputf8: true } : {}),
      mailParams: {
        ...(env.ret === undefined ? {} : { RET: env.ret }),
        ...(env.envid === undefined ? {} : { ENVID: env.envid }),
      },
      rcptParams: recipients.map((r) => ({
        ...(r?.notify === undefined ? {} : { NOTIFY: r.notify === 'NEVER' ? ['NEVER'] : r.notify }),
        ...(r?.orcpt === undefined ? {} : { ORCPT: r.orcpt }),
      })),
    };
  };

  const sendOnce = async (
    lease: Lease,
    body: ClientEnvelope['body'] | undefined,
    message: MessageInput,
  ): Promise<{ tx: TransactionResult; remoteMta: string }> => {
    const envelope = envelopeOf(lease, body);
    if (pool !== undefined && relay !== undefined) {
      return { tx: await pool.send(envelope, message), remoteMta: relay.host };
    }
    const domain = lease.destination;
    const delivery = await deliverByMx(domain, envelope, message, {
      ...clientOptions,
      port: config.delivery.mxPort,
      // RFC 7435 §1 / RFC 7672 §1.3: opportunistic TLS between MTAs encrypts without
      // authenticating (with no DANE or MTA-STS there is no trusted name to check), as Postfix's
      // smtp_tls_security_level = may. Checking made every MX with a self-signed certificate
      // fail the attempt, so such mail was deferred until it bounced.
      ...(config.delivery.tls === 'opportunistic' ? { rejectUnauthorized: false } : {}),
      ...(resolver === undefined ? {} : { resolver }),
    });
    return { tx: delivery.result, remoteMta: delivery.target.host };
  };

  return {
    async deliver(lease: Lease): Promise<RecipientResult[]> {
      const body = lease.envelope.body;
      let remoteMta: string | undefined = relay?.host;
      try {
        try {
          const sent = await sendOnce(lease, body, queue.read(lease.id));
          remoteMta = sent.remoteMta;
          return resultsOf(lease, sent.tx, sent.remoteMta);
        } catch (error) {
          if (!needs8BitConversion(error)) throw error;
        }
        // RFC 6152 §3: convert to 7-bit MIME, never send 8-bit data to a 7-bit hop.
        const sent = await sendOnce(lease, '7BIT', downgradeTo7bit(queue.read(lease.id)));
        remoteMta = sent.remoteMta;
        return resultsOf(lease, sent.tx, sent.remoteMta);
      } catch (error) {
        return failureOf(lease, error, remoteMta);
      }
    },
    async close(): Promise<void> {
      await pool?.close();
    },
  };
}
