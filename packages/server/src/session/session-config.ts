import type {
  AnyExtension,
  Registry,
  SessionLimits,
  TransactionEffects,
} from '@smtpkit/extensions';
import { type Reply, replies, withText } from '@smtpkit/reply';
import type { SaslServerMechanism } from '@smtpkit/sasl';
import type { CommandParseOptions } from '@smtpkit/wire';
import {
  DEFAULT_POLICY,
  DEFAULT_SESSION_LIMITS,
  DEFAULT_TIMEOUTS,
  type ServerSessionOptions,
  type SessionLimitOptions,
  type SessionPolicy,
} from './session-options.js';

/**
 * Everything about a session that is the same for every connection of a server, resolved once
 * (defaults filled in, banner built, hook names in a set) so that a new connection allocates
 * little: idle connections stay small.
 *
 * @example
 * ```ts
 * const config = resolveSessionConfig({ hostname: 'mx.example', registry });
 * config.limits.recipients; // 100
 * ```
 */
export interface SessionConfig {
  readonly hostname: string;
  readonly registry: Registry<readonly AnyExtension[]>;
  readonly lmtp: boolean;
  readonly limits: SessionLimitOptions;
  readonly policy: SessionPolicy;
  readonly hooks: ReadonlySet<string>;
  /** Whether the core hooks asked per connection or per command are set (read per command). */
  readonly asks: {
    readonly connect: boolean;
    readonly helo: boolean;
    readonly mail: boolean;
    readonly rcpt: boolean;
    readonly data: boolean;
  };
  readonly sasl: ((mechanism: string) => SaslServerMechanism | undefined) | undefined;
  /** The largest message: `limits.messageSize`, else the extensions' (SIZE max), else none. */
  readonly maxMessageSize: number | undefined;
  /** The limits extensions see in their context. */
  readonly sessionLimits: SessionLimits;
  /** RFC 5321 §4.2: "220 <domain> Service ready". */
  readonly banner: Reply;
  /** The HELO reply (RFC 5321 §4.1.1.1: the first line names the server). */
  readonly heloReply: Reply;
  /** EHLO replies by their keyword lines (a handful of distinct sets per server). */
  readonly ehloReplies: Map<string, Reply>;
  /** What the extensions make of a MAIL without parameters (the same for every transaction). */
  readonly effectsWithoutParameters: TransactionEffects;
  /** How every command line is parsed (one object for all: no options object per command). */
  readonly parseOptions: CommandParseOptions;
}

const resolved = new WeakMap<object, SessionConfig>();

/**
 * Resolves (once per options object) the shared part of a session's configuration.
 *
 * @example
 * ```ts
 * resolveSessionConfig(options) === resolveSessionConfig(options); // true: cached
 * ```
 */
export function resolveSessionConfig(options: ServerSessionOptions): SessionConfig {
  const hit = resolved.get(options);
  if (hit !== undefined) return hit;
  const limits: SessionLimitOptions = {
    ...DEFAULT_SESSION_LIMITS,
    ...stripUndefined(options.limits ?? {}),
    timeouts: { ...DEFAULT_TIMEOUTS, ...stripUndefined(options.limits?.timeouts ?? {}) },
  };
  const policy: SessionPolicy = { ...DEFAULT_POLICY, ...stripUndefined(options.policy ?? {}) };
  const registry = options.registry as Registry<readonly AnyExtension[]>;
  const hooks: ReadonlySet<string> = new Set(options.hooks ?? []);
  const maxMessageSize = limits.messageSize ?? registry.limits.messageSize;
  const recipients = Math.min(limits.recipients, registry.limits.recipients ?? Infinity);
  const sessionLimits: SessionLimits = {
    commandLine: limits.commandLine,
    messageSize: maxMessageSize,
    recipients,
    transactions: registry.limits.transactions,
    recipientDomains: registry.limits.recipientDomains,
  };
  const config: SessionConfig = {
    hostname: options.hostname,
    registry,
    lmtp: options.lmtp === true,
    limits: { ...limits, recipients },
    policy,
    parseOptions: {
      // Extension verbs are the registry's to parse. UTF-8 is read everywhere: a non-ASCII path
      // without the SMTPUTF8 parameter is refused per transaction (commands.ts, RFC 6531 §3.5).
      smtputf8: true,
      spaceAfterColon: policy.spaceAfterColon,
      extensionVerbs: 'raw',
    },
    hooks,
    asks: {
      connect: hooks.has('connect'),
      helo: hooks.has('helo'),
      mail: hooks.has('mail'),
      rcpt: hooks.has('rcpt'),
      data: hooks.has('data'),
    },
    sasl: options.sasl,
    maxMessageSize,
    sessionLimits,
    banner: withText(
      replies.R220_ServiceReady,
      `${options.hostname} ${options.lmtp === true ? 'LMTP' : 'ESMTP'} Service ready`,
    ),
    heloReply: withText(replies.R250_Hello, options.hostname),
    ehloReplies: new Map(),
    effectsWithoutParameters: Object.freeze(registry.transactionEffects(Object.freeze({}))),
  };
  resolved.set(options, config);
  return config;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}

/**
 * The EHLO/LHLO reply for a set of keyword lines (RFC 5321 §4.1.1.1: `ehlo-ok-rsp`, the first
 * line names the server, then one ehlo-line per extension), built once per distinct set.
 *
 * @example
 * ```ts
 * ehloReply(config, ['PIPELINING', 'SIZE 1000']).lines; // ['mx.example', 'PIPELINING', 'SIZE 1000']
 * ```
 */
export function ehloReply(config: SessionConfig, lines: readonly string[]): Reply {
  const key = lines.join('\n');
  let reply = config.ehloReplies.get(key);
  if (reply === undefined) {
    reply = withText(replies.R250_Hello, config.hostname, ...lines);
    if (config.ehloReplies.size < 64) config.ehloReplies.set(key, reply);
  }
  return reply;
}
