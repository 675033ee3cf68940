import { createReply, type Reply } from '@smtpkit/reply';
import type { EsmtpParameter } from '@smtpkit/wire';
import { type ActiveSet, ActiveSets } from './active-set.js';
import { formatClientParams, offeredBy } from './client-params.js';
import type {
  AnyExtension,
  ClientEnvelope,
  ExtensionLimits,
  TransactionEffects,
  VerbResult,
} from './define-extension.js';
import { extensionContextOf, isPlainSessionContext } from './extension-context.js';
import type { ClientRefusal } from './extension-error.js';
import { extensionReplies } from './extension-replies.js';
import { accept, type Outcome, reject } from './outcome.js';
import { buildRegistryIndex, type ParamEntry } from './registry-index.js';
import type { MailParamsOf, RcptParamsOf } from './registry-types.js';
import type { ServerCapabilities } from './server-capabilities.js';
import type { ClientContext, ExtensionContext, SessionContext } from './session-context.js';

/**
 * A composed list of extensions for a server or client session: the dispatch tables the core
 * reads instead of knowing any extension by name. Build one with {@link createRegistry}.
 */
export interface Registry<E extends readonly AnyExtension[]> {
  /** The extensions, in the order given (EHLO lines follow this order). */
  readonly extensions: E;
  /** The limits the extensions impose, combined (smallest wins). */
  readonly limits: ExtensionLimits;
  /** Upper-case names of the verbs the extensions add. */
  readonly verbs: readonly string[];
  /** The extension called `name`, if registered. */
  extension(name: string): AnyExtension | undefined;

  // ---- server side ----
  /** The EHLO keywords (upper case) in effect in this session. */
  keywords(ctx: SessionContext): ReadonlySet<string>;
  /** The ehlo-lines to send after the greeting line, in registration order. */
  advertise(ctx: SessionContext): readonly string[];
  /** Typed MAIL parameters, or the reply to send (555 5.5.4 unknown, 501 5.5.4 duplicate, ...). */
  parseMailParams(params: readonly EsmtpParameter[], ctx: SessionContext): Outcome<MailParamsOf<E>>;
  /** Typed RCPT parameters, or the reply to send. */
  parseRcptParams(params: readonly EsmtpParameter[], ctx: SessionContext): Outcome<RcptParamsOf<E>>;
  /** What the accepted MAIL parameters mean for the transaction. */
  transactionEffects(mailParams: MailParamsOf<E>): TransactionEffects;
  /** Whether an extension owns `verb`. */
  hasVerb(verb: string): boolean;
  /** `'last'` when `verb` must end a pipelined group (RFC 2920 §3.1). */
  pipelining(verb: string): 'last' | 'any' | undefined;
  /**
   * Runs an extension verb: activity, argument syntax, state, guards, then the handler.
   * `undefined` when no extension owns `verb`.
   */
  dispatch(verb: string, argument: string | undefined, ctx: SessionContext): VerbResult | undefined;
  /** The reply refusing a core command in this session, if an extension refuses it. */
  guard(verb: string, ctx: SessionContext): Reply | undefined;
  /** Whether replies may carry enhanced status codes in this session (RFC 2034 §3). */
  enhancedStatusCodes(ctx: SessionContext): boolean;
  /** `reply` as it may be sent in this session: enhanced code removed unless RFC 2034 is in effect. */
  present(reply: Reply, ctx: SessionContext): Reply;
  /** Longest MAIL or RCPT command line accepted, including CRLF (RFC 5321 §4.5.3.1.4). */
  commandLineLimit(verb: 'MAIL' | 'RCPT', ctx: SessionContext): number;
  /** Longest command line of any verb in this session, for the line reader. */
  maxCommandLine(ctx: SessionContext): number;

  // ---- client side ----
  /** MAIL parameters to send: the envelope's own plus those extensions derive, when offered. */
  clientMailParams(
    envelope: ClientEnvelope<MailParamsOf<E>, RcptParamsOf<E>>,
    caps: ServerCapabilities,
    ctx: ClientContext,
  ): readonly EsmtpParameter[];
  /** RCPT parameters to send for recipient `index`. */
  clientRcptParams(
    envelope: ClientEnvelope<MailParamsOf<E>, RcptParamsOf<E>>,
    index: number,
    caps: ServerCapabilities,
    ctx: ClientContext,
  ): readonly EsmtpParameter[];
  /** The first reason not to send this envelope to this server, if any. */
  clientCheck(
    envelope: ClientEnvelope<MailParamsOf<E>, RcptParamsOf<E>>,
    caps: ServerCapabilities,
    ctx: ClientContext,
  ): ClientRefusal | undefined;
  /**
   * Keywords of the parameters the application asked for (in `mailParams` or a recipient's
   * `params`) that will not be sent because the server did not offer their extension: an MTA
   * relaying DSN requests to a server without DSN reports them as "relayed" (RFC 3461 §4.1).
   */
  clientUnsent(
    envelope: ClientEnvelope<MailParamsOf<E>, RcptParamsOf<E>>,
    caps: ServerCapabilities,
  ): readonly string[];
}

/**
 * Composes extensions for a session. Throws {@link ExtensionError} (an `ERR_EXTENSION_MISUSE_*`
 * code) when two extensions claim the same name, EHLO keyword, MAIL/RCPT parameter or verb, when a
 * verb shadows a core command, or when an extension `requires` one that is not in the list. The
 * parameter and hook types are inferred from the list: no global augmentation.
 *
 * @example
 * ```ts
 * import { createRegistry, dsn, eightBitMime, size } from '@smtpkit/extensions';
 * const registry = createRegistry([size({ max: 10485760 }), eightBitMime(), dsn()]);
 * const ctx = { phase: 'greeted', greeting: 'ehlo', lmtp: false, tls: false, authenticated: false,
 *   limits: { commandLine: 512 }, mailParams: undefined, recipients: 0 } as const;
 * registry.advertise(ctx); // ['SIZE 10485760', '8BITMIME', 'DSN']
 * const r = registry.parseMailParams([{ keyword: 'SIZE', value: '500000' }], ctx);
 * if (r.ok) r.value.SIZE; // 500000, typed number | undefined
 * ```
 */
export function createRegistry<const E extends readonly AnyExtension[]>(
  extensions: E,
): Registry<E> {
  const { byName, mailIndex, rcptIndex, verbIndex, limits } = buildRegistryIndex(extensions);
  // Per context object: what is in effect, and whether the context can be copied field by field.
  const cache = new WeakMap<SessionContext, { set: ActiveSet; plain: boolean }>();
  const activeSets = new ActiveSets(extensions);

  function contextEntry(ctx: SessionContext): { set: ActiveSet; plain: boolean } {
    const hit = cache.get(ctx);
    if (hit !== undefined) return hit;
    const made = { set: activeSets.of(ctx), plain: isPlainSessionContext(ctx) };
    cache.set(ctx, made);
    return made;
  }

  function active(ctx: SessionContext): ActiveSet {
    return contextEntry(ctx).set;
  }

  function extensionContext(
    ctx: SessionContext,
    e: { set: ActiveSet; plain: boolean },
  ): ExtensionContext {
    return extensionContextOf(ctx, e.set.keywords, e.plain);
  }

  function parseParams(
    index: ReadonlyMap<string, ParamEntry>,
    params: readonly EsmtpParameter[],
    ctx: SessionContext,
  ): Outcome<Record<string, unknown>> {
    const e = contextEntry(ctx);
    const set = e.set;
    const ectx = extensionContext(ctx, e);
    const out: Record<string, unknown> = {};
    const seen = new Set<string>();
    for (const { keyword, value } of params) {
      const upper = keyword.toUpperCase();
      const entry = index.get(upper);
      // RFC 5321 §4.1.1.11: an unrecognized parameter, or one whose extension was not
      // advertised in this session, gets 555.
      if (entry === undefined || !set.names.has(entry.extension.name)) {
        return reject(extensionReplies.R555_5_5_4_ParameterNotRecognized);
      }
      if (seen.has(upper)) return reject(extensionReplies.R501_5_5_4_DuplicateParameter);
      seen.add(upper);
      if (entry.spec.value === 'none' && value !== undefined) {
        return reject(extensionReplies.R501_5_5_4_ParameterTakesNoValue);
      }
      if (entry.spec.value === 'required' && value === undefined) {
        return reject(extensionReplies.R501_5_5_4_ParameterNeedsValue);
      }
      const parsed = entry.spec.parse(value, ectx);
      if (!parsed.ok) return parsed;
      out[upper] = parsed.value;
    }
    return accept(out);
  }

  function guard(verb: string, ctx: SessionContext): Reply | undefined {
    const e = contextEntry(ctx);
    const set = e.set;
    if (set.names.size === 0) return undefined;
    const ectx = extensionContext(ctx, e);
    const upper = verb.toUpperCase();
    for (const extension of extensions) {
      if (extension.guard === undefined || !set.names.has(extension.name)) continue;
      const refused = extension.guard(upper, ectx);
      if (refused !== undefined) return refused;
    }
    return undefined;
  }

  function lineExtra(index: ReadonlyMap<string, ParamEntry>, set: ActiveSet): number {
    let extra = 0;
    for (const { extension, spec } of index.values()) {
      if (set.names.has(extension.name)) extra += spec.lineExtra ?? 0;
    }
    return extra;
  }

  const registry: Registry<E> = {
    extensions,
    limits,
    verbs: Object.freeze([...verbIndex.keys()]),
    extension: (name) => byName.get(name),
    keywords: (ctx) => active(ctx).keywords,
    advertise: (ctx) => active(ctx).lines,
    parseMailParams: (params, ctx) =>
      parseParams(mailIndex, params, ctx) as Outcome<MailParamsOf<E>>,
    parseRcptParams: (params, ctx) =>
      parseParams(rcptIndex, params, ctx) as Outcome<RcptParamsOf<E>>,
    transactionEffects(mailParams) {
      let effects: TransactionEffects = {
        smtputf8: false,
        requireTls: false,
        body: undefined,
        declaredSize: undefined,
      };
      for (const extension of extensions) {
        if (extension.effects) effects = { ...effects, ...extension.effects(mailParams) };
      }
      return effects;
    },
    hasVerb: (verb) => verbIndex.has(verb.toUpperCase()),
    pipelining: (verb) => verbIndex.get(verb.toUpperCase())?.spec.pipelining,
    dispatch(verb, argument, ctx) {
      const entry = verbIndex.get(verb.toUpperCase());
      if (entry === undefined) return undefined;
      const { extension, spec } = entry;
      const e = contextEntry(ctx);
      const set = e.set;
      const ectx = extensionContext(ctx, e);
      const parsed = spec.parse(argument, ectx);
      const refuse = (reply: Reply): VerbResult => {
        const discard = parsed.ok && spec.discardOnReject ? spec.discardOnReject(parsed.value) : 0;
        return discard > 0 ? { kind: 'reply', reply, discard } : { kind: 'reply', reply };
      };
      if (!set.names.has(extension.name)) {
        const inactive = typeof spec.inactive === 'function' ? spec.inactive(ectx) : spec.inactive;
        return refuse(inactive ?? extensionReplies.R502_5_5_1_CommandNotImplemented);
      }
      if (!parsed.ok) {
        const { reply, discard, close } = parsed;
        return {
          kind: 'reply',
          reply,
          ...(discard === undefined ? {} : { discard }),
          ...(close === undefined ? {} : { close }),
        };
      }
      if (!spec.states.includes(ctx.phase)) {
        const out =
          typeof spec.outOfSequence === 'function' ? spec.outOfSequence(ectx) : spec.outOfSequence;
        return refuse(out ?? extensionReplies.R503_5_5_1_BadSequence);
      }
      const refused = guard(verb, ctx);
      if (refused !== undefined) return refuse(refused);
      return spec.handle(ectx, parsed.value);
    },
    guard,
    enhancedStatusCodes(ctx) {
      const set = active(ctx);
      return extensions.some((e) => e.enhancedStatusCodes === true && set.names.has(e.name));
    },
    present(reply, ctx) {
      if (reply.enhanced === undefined || registry.enhancedStatusCodes(ctx)) return reply;
      return createReply(reply.code, undefined, ...reply.lines);
    },
    commandLineLimit(verb, ctx) {
      const set = active(ctx);
      return ctx.limits.commandLine + lineExtra(verb === 'MAIL' ? mailIndex : rcptIndex, set);
    },
    maxCommandLine: (ctx) =>
      Math.max(registry.commandLineLimit('MAIL', ctx), registry.commandLineLimit('RCPT', ctx)),
    clientMailParams(envelope, caps, ctx) {
      const out = new Map<string, EsmtpParameter>();
      for (const extension of extensions) {
        if (!offeredBy(extension, caps, byName)) continue;
        const derived = extension.client?.mailParams?.(envelope, caps, ctx);
        if (derived !== undefined) formatClientParams(mailIndex, derived, caps, byName, out);
      }
      formatClientParams(mailIndex, envelope.mailParams, caps, byName, out);
      return [...out.values()];
    },
    clientRcptParams(envelope, index, caps, ctx) {
      const out = new Map<string, EsmtpParameter>();
      for (const extension of extensions) {
        if (!offeredBy(extension, caps, byName)) continue;
        const derived = extension.client?.rcptParams?.(envelope, index, caps, ctx);
        if (derived !== undefined) formatClientParams(rcptIndex, derived, caps, byName, out);
      }
      const own = envelope.recipients[index]?.params;
      if (own !== undefined) formatClientParams(rcptIndex, own, caps, byName, out);
      return [...out.values()];
    },
    clientUnsent(envelope, caps) {
      const unsent = new Set<string>();
      const collect = (index: ReadonlyMap<string, ParamEntry>, values: object) => {
        for (const [keyword, v] of Object.entries(values)) {
          if (v === undefined || v === false) continue;
          const entry = index.get(keyword.toUpperCase());
          if (entry !== undefined && !offeredBy(entry.extension, caps, byName)) {
            unsent.add(keyword.toUpperCase());
          }
        }
      };
      collect(mailIndex, envelope.mailParams);
      for (const r of envelope.recipients) collect(rcptIndex, r.params);
      return [...unsent];
    },
    clientCheck(envelope, caps, ctx) {
      for (const extension of extensions) {
        const refusal = extension.client?.check?.(envelope, caps, ctx);
        if (refusal !== undefined) return refusal;
      }
      return undefined;
    },
  };
  return Object.freeze(registry);
}
