import net from 'node:net';
import { isClientError } from '../client-error.js';
import type { TransactionResult } from '../session/client-events.js';
import type { ClientOptions } from './client-options.js';
import { connect } from './connect.js';
import type { MessageEnvelope } from './message-envelope.js';
import {
  type MxRoute,
  type MxTarget,
  type ResolveMxOptions,
  resolveMxTargets,
} from './mx-resolve.js';
import {
  type MxAttempt,
  type MxAttemptOutcome,
  type TryMxOptions,
  tryMxTargets,
} from './mx-try.js';
import type { MessageInput, SmtpClient } from './smtp-client.js';

/**
 * Options of {@link deliverByMx}: how the MX hosts are found (those of `resolveMxTargets`), how
 * they are tried (those of `tryMxTargets`: the port, a bound on each attempt), and how each
 * connection is made (those of `connect`, except where to: the address and the port come from
 * the route).
 *
 * @example
 * ```ts
 * const options: DeliverByMxOptions = { port: 2525, hostname: 'mta.example.org', tls: 'opportunistic' };
 * ```
 */
export interface DeliverByMxOptions
  extends ResolveMxOptions,
    TryMxOptions,
    Omit<ClientOptions, 'host' | 'port' | 'socket' | 'servername'> {}

/** What {@link deliverByMx} did: the transaction's result, where it went and every attempt. */
export interface MxDelivery {
  /** Each recipient's outcome (partial acceptance is a result, not an error). */
  readonly result: TransactionResult;
  /** The address that took the message, and its MX host. */
  readonly target: MxTarget;
  /** Every connection attempt, in order, the accepted one last. */
  readonly attempts: readonly MxAttempt[];
  /** What DNS said about the domain. */
  readonly route: MxRoute;
}

/**
 * How a failed connection attempt counts (RFC 5321 §5.1): a connection that could not be made or
 * was lost, a timeout, a 4xx greeting, TLS that failed or was missing on this host: the next
 * address may do better. A permanent refusal (a 5xx greeting, EHLO and HELO refused) stops:
 * RFC 5321 §3.1 says a server that greets 554 will not take mail. API misuse is thrown.
 */
function outcomeOf(error: unknown): MxAttemptOutcome<SmtpClient> {
  if (!isClientError(error) || error.misuse) throw error;
  if (error.code === 'ERR_CLIENT_REPLY' || error.code === 'ERR_CLIENT_EXTENSION') {
    return error.permanent ? { type: 'stop', error } : { type: 'next', error };
  }
  return { type: 'next', error };
}

/**
 * Delivers a message to the mail exchangers of `domain` (RFC 5321 §5.1): resolves them with
 * {@link resolveMxTargets} (a null MX, NXDOMAIN or no usable host fails with the permanent
 * `ERR_CLIENT_NO_ROUTE`, a DNS failure with the temporary `ERR_CLIENT_DNS`), connects to each
 * address in turn with {@link tryMxTargets}, on to the next after a connection failure or a 4xx
 * greeting, stopping at a 5xx greeting (`ERR_CLIENT_MX_FAILED`, permanent; temporary when every
 * address failed), then sends the message on the first connection that is ready and says QUIT.
 *
 * The certificate of an MX is checked against its MX host name (RFC 7672 §3.2.2's reference
 * identifier), not the domain; with the default `tls: 'opportunistic'` a certificate that does
 * not verify fails the attempt, and the next address is tried.
 *
 * Once a connection is ready the message goes there: a failure after that (a refused MAIL, a
 * connection lost mid-transaction) rejects with that error and no other host is tried, since the
 * server may already hold the message; the caller's queue tries again later.
 *
 * @example
 * ```ts
 * import { deliverByMx } from '@smtpkit/client';
 * const { result, target } = await deliverByMx('example.com', { from: 'a@example.org', to: 'b@example.com' }, 'Subject: hi\r\n\r\nHello\r\n', { hostname: 'mta.example.org' });
 * console.log(target.host, result.recipients.map((r) => r.accepted));
 * ```
 */
export async function deliverByMx(
  domain: string,
  envelope: MessageEnvelope,
  message: MessageInput,
  options: DeliverByMxOptions = {},
): Promise<MxDelivery> {
  const {
    resolver,
    random,
    addressOrder,
    maxHosts,
    maxAddresses,
    queryTimeoutMs,
    port,
    attemptTimeoutMs,
    onAttempt,
    ...clientOptions
  } = options;
  const route = await resolveMxTargets(domain, {
    ...(resolver === undefined ? {} : { resolver }),
    ...(random === undefined ? {} : { random }),
    ...(addressOrder === undefined ? {} : { addressOrder }),
    ...(maxHosts === undefined ? {} : { maxHosts }),
    ...(maxAddresses === undefined ? {} : { maxAddresses }),
    ...(queryTimeoutMs === undefined ? {} : { queryTimeoutMs }),
  });
  const tryTarget = async (
    address: string,
    targetPort: number,
    { target, signal }: { target: MxTarget; signal: AbortSignal },
  ): Promise<MxAttemptOutcome<SmtpClient>> => {
    // Our own socket, so that an attempt past its bound is cut at once.
    const socket = net.connect({
      host: address,
      port: targetPort,
      noDelay: true,
      ...(clientOptions.localAddress === undefined
        ? {}
        : { localAddress: clientOptions.localAddress }),
    });
    const abort = (): void => {
      socket.destroy();
    };
    signal.addEventListener('abort', abort, { once: true });
    try {
      const client = await connect({ ...clientOptions, socket, servername: target.host });
      if (signal.aborted) {
        await client.close();
        return { type: 'next', error: signal.reason };
      }
      return { type: 'accepted', value: client };
    } catch (error) {
      return outcomeOf(error);
    } finally {
      signal.removeEventListener('abort', abort);
    }
  };
  const {
    value: client,
    target,
    attempts,
  } = await tryMxTargets(route.targets, tryTarget, {
    ...(port === undefined ? {} : { port }),
    ...(attemptTimeoutMs === undefined ? {} : { attemptTimeoutMs }),
    ...(onAttempt === undefined ? {} : { onAttempt }),
  });
  let result: TransactionResult;
  try {
    result = await client.send(envelope, message);
  } catch (error) {
    await leave(client);
    throw error;
  }
  await leave(client);
  return { result, target, attempts, route };
}

/** QUIT, or cut the connection when the session can no longer say it. */
async function leave(client: SmtpClient): Promise<void> {
  if (client.closed) return;
  try {
    await client.quit();
  } catch {
    await client.close();
  }
}
