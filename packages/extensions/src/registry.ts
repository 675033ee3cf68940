import { createReply, type Reply } from '@smtpkit/reply';
import type { EsmtpParameter } from '@smtpkit/wire';
import type {
  AnyExtension,
  ClientEnvelope,
  ExtensionLimits,
  ParamSpec,
  TransactionEffects,
  VerbResult,
  VerbSpec,
} from './define-extension.js';
import { type ClientRefusal, ExtensionError, RegistryError } from './extension-error.js';
import { extensionReplies } from './extension-replies.js';
import { accept, type Outcome, reject } from './outcome.js';
import type { HooksOf, MailParamsOf, RcptParamsOf } from './registry-types.js';
import { isEsmtpKeyword, type ServerCapabilities } from './server-capabilities.js';
import type { ClientContext, ExtensionContext, SessionContext } from './session-context.js';

/** RFC 5321 §4.1.1 commands the core implements; no extension may claim them. */
const CORE_VERBS = new Set([
  'HELO',
  'EHLO',
  'LHLO',
  'MAIL',
  'RCPT',
  'DATA',
  'RSET',
  'QUIT',
  'NOOP',
  'HELP',
  'VRFY',
  'EXPN',
]);

interface ParamEntry {
  readonly extension: AnyExtension;
  readonly spec: ParamSpec<unknown>;
}

interface VerbEntry {
  readonly extension: AnyExtension;
  readonly spec: VerbSpec<unknown>;
}

/** What is in effect in one session: computed from the session facts, cached per context. */
interface ActiveSet {
  readonly names: ReadonlySet<string>;
  readonly keywords: ReadonlySet<string>;
  readonly lines: readonly string[];
}

const NOTHING_ACTIVE: ActiveSet = { names: new Set(), keywords: new Set(), lines: [] };

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
  /** Phantom: the hook map type, for `typeof registry.hooksType`. Always `undefined`. */
  readonly hooksType?: HooksOf<E>;
}

function claim<T>(table: Map<string, T>, key: string, value: T, code: string, what: string): void {
  if (table.has(key)) throw new RegistryError(code, `${what} ${key} is claimed twice`);
  table.set(key, value);
}

function indexParams(
  table: Map<string, ParamEntry>,
  extension: AnyExtension,
  specs: Readonly<Record<string, ParamSpec<unknown>>> | undefined,
  command: string,
): void {
  if (specs === undefined) return;
  for (const [keyword, spec] of Object.entries(specs)) {
    if (!isEsmtpKeyword(keyword)) {
      throw new RegistryError(
        'ERR_EXTENSION_PARAMETER_SYNTAX',
        `${extension.name}: ${command} parameter "${keyword}" is not an RFC 5321 esmtp-keyword`,
      );
    }
    claim(
      table,
      keyword.toUpperCase(),
      { extension, spec },
      'ERR_EXTENSION_PARAMETER_CONFLICT',
      `${command} parameter`,
    );
  }
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

// RFC 5321 §4.1.2: esmtp-value = 1*(%d33-60 / %d62-126); RFC 6531 §3.3 adds UTF-8 (here: code
// points above 127). Anything else would corrupt the command line, so the client refuses it.
function isSafeEsmtpValue(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 33 || c === 61 || c === 127) return false;
  }
  return true;
}

/**
 * Composes extensions for a session. Throws {@link RegistryError} when two extensions claim the
 * same name, EHLO keyword, MAIL/RCPT parameter or verb, when a verb shadows a core command, or
 * when an extension `requires` one that is not in the list. The parameter and hook types are
 * inferred from the list: no global augmentation.
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
  const byName = new Map<string, AnyExtension>();
  const keywordOwners = new Map<string, AnyExtension>();
  const mailIndex = new Map<string, ParamEntry>();
  const rcptIndex = new Map<string, ParamEntry>();
  const verbIndex = new Map<string, VerbEntry>();
  let limits: ExtensionLimits = {};

  for (const extension of extensions) {
    claim(byName, extension.name, extension, 'ERR_EXTENSION_NAME_CONFLICT', 'extension name');
    if (extension.keyword !== undefined) {
      if (!isEsmtpKeyword(extension.keyword)) {
        throw new RegistryError(
          'ERR_EXTENSION_KEYWORD_SYNTAX',
          `${extension.name}: "${extension.keyword}" is not an RFC 5321 ehlo-keyword`,
        );
      }
      claim(
        keywordOwners,
        extension.keyword.toUpperCase(),
        extension,
        'ERR_EXTENSION_KEYWORD_CONFLICT',
        'EHLO keyword',
      );
    }
    indexParams(mailIndex, extension, extension.mailParams, 'MAIL');
    indexParams(rcptIndex, extension, extension.rcptParams, 'RCPT');
    for (const [name, spec] of Object.entries(extension.verbs ?? {})) {
      const upper = name.toUpperCase();
      if (!/^[A-Z][A-Z0-9-]*$/.test(upper)) {
        throw new RegistryError('ERR_EXTENSION_VERB_SYNTAX', `${extension.name}: verb "${name}"`);
      }
      if (CORE_VERBS.has(upper)) {
        throw new RegistryError(
          'ERR_EXTENSION_VERB_RESERVED',
          `${extension.name}: ${upper} is a core command`,
        );
      }
      claim(
        verbIndex,
        upper,
        { extension, spec: spec as VerbSpec<unknown> },
        'ERR_EXTENSION_VERB_CONFLICT',
        'verb',
      );
    }
    const l = extension.limits;
    if (l !== undefined) {
      const merged = {
        messageSize: minDefined(limits.messageSize, l.messageSize),
        recipients: minDefined(limits.recipients, l.recipients),
        transactions: minDefined(limits.transactions, l.transactions),
        recipientDomains: minDefined(limits.recipientDomains, l.recipientDomains),
      };
      limits = Object.fromEntries(
        Object.entries(merged).filter(([, v]) => v !== undefined),
      ) as ExtensionLimits;
    }
  }
  for (const extension of extensions) {
    for (const required of extension.requires ?? []) {
      if (!byName.has(required)) {
        throw new RegistryError(
          'ERR_EXTENSION_REQUIREMENT_MISSING',
          `${extension.name} requires ${required}, which is not registered`,
        );
      }
    }
  }
  Object.freeze(limits);

  const cache = new WeakMap<SessionContext, ActiveSet>();

  // RFC 5321 §4.1.1.1: service extensions exist only in sessions opened with EHLO (and LHLO,
  // RFC 2033 §4.1); a HELO session has none, so all its parameters are unrecognized.
  function active(ctx: SessionContext): ActiveSet {
    if (ctx.greeting !== 'ehlo' && ctx.greeting !== 'lhlo') return NOTHING_ACTIVE;
    const hit = cache.get(ctx);
    if (hit !== undefined) return hit;
    const params = new Map<string, readonly string[]>();
    for (const extension of extensions) {
      const advertised = extension.advertise ? extension.advertise(ctx) : [];
      if (advertised !== false) params.set(extension.name, advertised);
    }
    // An extension whose requirement is not in effect is not in effect either (SMTPUTF8 without
    // 8BITMIME, RFC 6531 §3.1); repeat until nothing changes, as requirements chain.
    let changed = true;
    while (changed) {
      changed = false;
      for (const extension of extensions) {
        if (!params.has(extension.name)) continue;
        if ((extension.requires ?? []).some((r) => !params.has(r))) {
          params.delete(extension.name);
          changed = true;
        }
      }
    }
    const keywords = new Set<string>();
    const lines: string[] = [];
    for (const extension of extensions) {
      const p = params.get(extension.name);
      if (p === undefined || extension.keyword === undefined) continue;
      const keyword = extension.keyword.toUpperCase();
      keywords.add(keyword);
      lines.push(p.length === 0 ? keyword : `${keyword} ${p.join(' ')}`);
    }
    const result: ActiveSet = { names: new Set(params.keys()), keywords, lines };
    cache.set(ctx, result);
    return result;
  }

  function extensionContext(ctx: SessionContext, set: ActiveSet): ExtensionContext {
    return { ...ctx, keywords: set.keywords };
  }

  function parseParams(
    index: ReadonlyMap<string, ParamEntry>,
    params: readonly EsmtpParameter[],
    ctx: SessionContext,
  ): Outcome<Record<string, unknown>> {
    const set = active(ctx);
    const ectx = extensionContext(ctx, set);
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
    const set = active(ctx);
    if (set.names.size === 0) return undefined;
    const ectx = extensionContext(ctx, set);
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

  function offered(extension: AnyExtension, caps: ServerCapabilities): boolean {
    if (extension.keyword !== undefined && !caps.has(extension.keyword)) return false;
    return (extension.requires ?? []).every((r) => {
      const dep = byName.get(r);
      return dep === undefined || offered(dep, caps);
    });
  }

  function formatParams(
    index: ReadonlyMap<string, ParamEntry>,
    values: Readonly<Record<string, unknown>>,
    caps: ServerCapabilities,
    out: Map<string, EsmtpParameter>,
  ): void {
    for (const [keyword, v] of Object.entries(values)) {
      if (v === undefined || v === false) continue;
      const upper = keyword.toUpperCase();
      const entry = index.get(upper);
      if (entry === undefined) {
        throw new ExtensionError(
          'ERR_EXTENSION_UNKNOWN_PARAMETER',
          `no registered extension owns the parameter ${upper}`,
        );
      }
      // A parameter the server did not offer is not sent (RFC 5321 §4.1.1.11: the server would
      // answer 555); the extension's client check decides whether that is fatal.
      if (!offered(entry.extension, caps)) continue;
      if (entry.spec.value === 'none') {
        out.set(upper, { keyword: upper, value: undefined });
        continue;
      }
      const text = entry.spec.format ? entry.spec.format(v) : String(v);
      if (text !== undefined && !isSafeEsmtpValue(text)) {
        throw new ExtensionError(
          'ERR_EXTENSION_UNSAFE_VALUE',
          `the value of ${upper} is not an RFC 5321 esmtp-value`,
        );
      }
      out.set(upper, { keyword: upper, value: text });
    }
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
      const set = active(ctx);
      const ectx = extensionContext(ctx, set);
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
        return refuse(spec.outOfSequence ?? extensionReplies.R503_5_5_1_BadSequence);
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
        if (!offered(extension, caps)) continue;
        const derived = extension.client?.mailParams?.(envelope, caps, ctx);
        if (derived !== undefined) formatParams(mailIndex, derived, caps, out);
      }
      formatParams(mailIndex, envelope.mailParams, caps, out);
      return [...out.values()];
    },
    clientRcptParams(envelope, index, caps, ctx) {
      const out = new Map<string, EsmtpParameter>();
      for (const extension of extensions) {
        if (!offered(extension, caps)) continue;
        const derived = extension.client?.rcptParams?.(envelope, index, caps, ctx);
        if (derived !== undefined) formatParams(rcptIndex, derived, caps, out);
      }
      const own = envelope.recipients[index]?.params;
      if (own !== undefined) formatParams(rcptIndex, own, caps, out);
      return [...out.values()];
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
