import type { Reply } from '@smtpkit/reply';
import type { ClientRefusal } from './extension-error.js';
import type { Outcome } from './outcome.js';
import type { ServerCapabilities } from './server-capabilities.js';
import type { ClientContext, ExtensionContext, SessionContext } from './session-context.js';
import type { SessionPhase } from './session-phase.js';

/**
 * One MAIL or RCPT parameter an extension owns (RFC 5321 §4.1.2 `esmtp-param`).
 *
 * `value` says whether `=value` must be present (`required`), must be absent (`none`: SMTPUTF8,
 * REQUIRETLS) or may be either; the registry enforces it before `parse` runs. `parse` turns the
 * raw value into `T` or the reply to send. `format` is the client side: `T` back to the raw value.
 * `lineExtra` is how many octets the parameter may add to the command line (RFC 5321 §4.5.3.1.4).
 *
 * @example
 * ```ts
 * import { accept, param, reject } from '@smtpkit/extensions';
 * import { replies } from '@smtpkit/reply';
 * const priority = param({
 *   value: 'required',
 *   lineExtra: 15,
 *   parse: (v) => (/^-?[0-9]$/.test(v ?? '') ? accept(Number(v)) : reject(replies.R501_5_5_4_SyntaxErrorInParameters)),
 *   format: (n: number) => String(n),
 * });
 * ```
 */
export interface ParamSpec<T> {
  readonly value: 'required' | 'none' | 'optional';
  readonly lineExtra?: number;
  parse(value: string | undefined, ctx: ExtensionContext): Outcome<T>;
  format?(value: T): string | undefined;
}

/** Parameters keyed by their upper-case esmtp-keyword. */
// biome-ignore lint/suspicious/noExplicitAny: the value type of each parameter is inferred per key
export type ParamSpecs = { readonly [keyword: string]: ParamSpec<any> };

/**
 * What a verb handler asks the server session to do, as a value.
 *
 * - `reply`: send `reply`; `discard` octets following the command are read and dropped (a refused
 *   BDAT chunk), `close` ends the session after the reply.
 * - `ask`: hand `payload` to the application hook named `hook` (an `ask` event); its answer is the
 *   reply. Hook names and payload types are declared by the extension's `hooks`.
 * - `bdat`: read exactly `size` octets of message data, then continue (`last`: the message ends);
 *   `reply` is what a chunk that is not the last gets once its octets are read.
 * - `restart`: send `reply` (the session's own 220 banner when absent) and start the session over
 *   as on a new connection, with `client`, what an authorized proxy told about the real client
 *   (XCLIENT).
 * - `starttls`: send `reply`, then start the TLS handshake and discard any pipelined bytes
 *   (RFC 3207 §4.2).
 * - `auth`: run the SASL exchange for `mechanism` (RFC 4954 §4); the mechanisms live in the server.
 *
 * @example
 * ```ts
 * import type { VerbResult } from '@smtpkit/extensions';
 * import { replies } from '@smtpkit/reply';
 * const next: VerbResult = { kind: 'bdat', size: 324, last: true, reply: replies.R250_2_0_0_ChunkAccepted };
 * ```
 */
export type VerbResult =
  | {
      readonly kind: 'reply';
      readonly reply: Reply;
      readonly discard?: number;
      readonly close?: boolean;
    }
  | { readonly kind: 'ask'; readonly hook: string; readonly payload: unknown }
  | {
      readonly kind: 'bdat';
      readonly size: number;
      readonly last: boolean;
      readonly reply: Reply;
    }
  | { readonly kind: 'restart'; readonly reply?: Reply; readonly client: ForwardedClient }
  | { readonly kind: 'starttls'; readonly reply: Reply }
  | {
      readonly kind: 'auth';
      readonly mechanism: string;
      readonly initialResponse: string | undefined;
    };

/**
 * What an authorized proxy tells the server about the real client (Postfix's XCLIENT): the
 * session starts over with it. `heloName` and `user` replace the session's own (`user` counts as
 * authenticated); `attributes` is the extension's own record of what was sent.
 *
 * @example
 * ```ts
 * import type { ForwardedClient } from '@smtpkit/extensions';
 * const c: ForwardedClient = { source: 'XCLIENT', heloName: 'client.example', user: undefined, attributes: {} };
 * ```
 */
export interface ForwardedClient {
  /** The verb that forwarded it. */
  readonly source: string;
  readonly heloName: string | undefined;
  readonly user: string | undefined;
  readonly attributes: unknown;
}

/**
 * A verb an extension adds (RFC 5321 §2.2.1: extensions may add commands).
 *
 * `states` lists the phases where the verb is allowed; elsewhere the registry answers
 * `outOfSequence` (503 5.5.1 by default, or a function of the session giving the reply) and, when `discardOnReject` says so, tells the session
 * how many octets follow the command and must be dropped. `parse` receives the text after the
 * verb and one space (`undefined` when there is none). `handle` decides, synchronously and
 * without I/O; asynchronous work goes through an `ask` result. `pipelining: 'last'` marks a verb
 * that must end a pipelined group (RFC 2920 §3.1). `inactive` is the reply (or a function of the
 * session giving it) when the verb's extension is not in effect in this session (default 502
 * 5.5.1).
 *
 * @example
 * ```ts
 * import { accept, verb } from '@smtpkit/extensions';
 * import { replies } from '@smtpkit/reply';
 * const ping = verb({
 *   states: ['greeted'],
 *   parse: () => accept(undefined),
 *   handle: () => ({ kind: 'reply', reply: replies.R250_2_0_0_Ok }),
 * });
 * ```
 */
export interface VerbSpec<A> {
  readonly states: readonly SessionPhase[];
  readonly pipelining?: 'last' | 'any';
  readonly outOfSequence?: Reply | ((ctx: ExtensionContext) => Reply);
  readonly inactive?: Reply | ((ctx: ExtensionContext) => Reply);
  parse(argument: string | undefined, ctx: ExtensionContext): Outcome<A>;
  handle(ctx: ExtensionContext, argument: A): VerbResult;
  discardOnReject?(argument: A): number;
}

/** Verbs keyed by their upper-case name. */
// biome-ignore lint/suspicious/noExplicitAny: the argument type of each verb is inferred per key
export type VerbSpecs = { readonly [verb: string]: VerbSpec<any> };

/**
 * A type-only declaration of an application hook an extension adds: the payload the session
 * hands over and the value the application resolves with. Create one with {@link hook}.
 */
export interface HookSpec<P, R> {
  readonly __hook?: { readonly payload: P; readonly result: R };
}

/** Hooks keyed by name. */
// biome-ignore lint/suspicious/noExplicitAny: payload and result types are inferred per key
export type HookSpecs = { readonly [name: string]: HookSpec<any, any> };

/**
 * The limits an extension imposes or raises. The registry combines them: the smallest
 * `messageSize`, `recipients`, `transactions`, `recipientDomains` wins.
 *
 * @example
 * ```ts
 * import type { ExtensionLimits } from '@smtpkit/extensions';
 * const l: ExtensionLimits = { recipients: 50 };
 * ```
 */
export interface ExtensionLimits {
  readonly messageSize?: number;
  readonly recipients?: number;
  readonly transactions?: number;
  readonly recipientDomains?: number;
}

/** Message body types (RFC 6152 BODY=8BITMIME, RFC 3030 BODY=BINARYMIME). */
export type BodyType = '7BIT' | '8BITMIME' | 'BINARYMIME';

/**
 * What a MAIL transaction's parameters mean for the rest of the session. The server learns them
 * from the registry (`transactionEffects`), never by looking at parameter names itself.
 *
 * @example
 * ```ts
 * import type { TransactionEffects } from '@smtpkit/extensions';
 * const e: TransactionEffects = { smtputf8: true, requireTls: false, body: '8BITMIME', declaredSize: 500000 };
 * ```
 */
export interface TransactionEffects {
  /** RFC 6531 §3.4: UTF-8 addresses and headers are allowed in this transaction. */
  readonly smtputf8: boolean;
  /** RFC 8689 §4.1: the message must only be relayed over TLS. */
  readonly requireTls: boolean;
  readonly body: BodyType | undefined;
  /** RFC 1870 §6: the size the client declared. */
  readonly declaredSize: number | undefined;
}

/**
 * What a client session knows about the message it is about to send. `mailParams` and each
 * recipient's `params` are the typed values the application asked for; extensions add derived
 * ones (SIZE from `size`, SMTPUTF8 from `smtputf8`).
 *
 * @example
 * ```ts
 * import type { ClientEnvelope } from '@smtpkit/extensions';
 * const env: ClientEnvelope = { size: 1200, body: '8BITMIME', smtputf8: false, mailParams: {}, recipients: [{ params: {} }] };
 * ```
 */
export interface ClientEnvelope<
  MP extends object = Readonly<Record<string, unknown>>,
  RP extends object = Readonly<Record<string, unknown>>,
> {
  /** Message size in octets, when known (RFC 1870 §4: the client SHOULD declare it). */
  readonly size?: number | undefined;
  readonly body?: BodyType | undefined;
  /** An address or header needs SMTPUTF8 (RFC 6531 §3.4). */
  readonly smtputf8?: boolean | undefined;
  /** The application requires TLS for the whole path (RFC 8689). */
  readonly requireTls?: boolean | undefined;
  readonly mailParams: Partial<MP>;
  readonly recipients: readonly { readonly params: Partial<RP> }[];
}

/**
 * The client side of an extension: which parameters to add for an envelope and server
 * capabilities, and what to refuse before anything is sent.
 */
export interface ClientBehaviour {
  /** Typed MAIL parameters this extension adds (e.g. SIZE from `envelope.size`). */
  mailParams?(
    envelope: ClientEnvelope,
    caps: ServerCapabilities,
    ctx: ClientContext,
  ): Readonly<Record<string, unknown>> | undefined;
  /** Typed RCPT parameters this extension adds for recipient `index`. */
  rcptParams?(
    envelope: ClientEnvelope,
    index: number,
    caps: ServerCapabilities,
    ctx: ClientContext,
  ): Readonly<Record<string, unknown>> | undefined;
  /** A reason not to send at all, or `undefined`. */
  check?(
    envelope: ClientEnvelope,
    caps: ServerCapabilities,
    ctx: ClientContext,
  ): ClientRefusal | undefined;
}

/**
 * An ESMTP extension as data. Build one with {@link defineExtension}; the built-ins are ordinary
 * extensions made the same way.
 */
export interface Extension<
  N extends string = string,
  MP extends ParamSpecs = ParamSpecs,
  RP extends ParamSpecs = ParamSpecs,
  V extends VerbSpecs = VerbSpecs,
  H extends HookSpecs = HookSpecs,
> {
  /** Unique name, used by `requires` (by convention the EHLO keyword). */
  readonly name: N;
  /** EHLO keyword (RFC 5321 §4.1.1.1 ehlo-keyword); absent for an extension with no keyword. */
  readonly keyword?: string;
  /**
   * The EHLO parameters to advertise in this session, or `false` to stay silent (STARTTLS under
   * TLS). Absent means: always advertise the bare keyword.
   */
  advertise?(ctx: SessionContext): readonly string[] | false;
  readonly mailParams?: MP;
  readonly rcptParams?: RP;
  readonly verbs?: V;
  /** Type-only declaration of the application hooks this extension asks through `ask` results. */
  readonly hooks?: H;
  readonly client?: ClientBehaviour;
  /** Named replies this extension sends, for documentation and reuse. */
  readonly replies?: { readonly [name: string]: Reply };
  readonly limits?: ExtensionLimits;
  /** Names of extensions that must be registered, and in effect, for this one to be. */
  readonly requires?: readonly string[];
  /** Sending enhanced status codes is allowed while this extension is in effect (RFC 2034 §3). */
  readonly enhancedStatusCodes?: boolean;
  /**
   * Refuses a command (any verb, core ones included) in this session: BINARYMIME refuses DATA
   * (RFC 3030 §3), CHUNKING refuses DATA after BDAT. Only asked while the extension is in effect.
   */
  guard?(verb: string, ctx: ExtensionContext): Reply | undefined;
  /** What this extension's MAIL parameters mean for the transaction. */
  effects?(mailParams: Readonly<Record<string, unknown>>): Partial<TransactionEffects>;
}

/**
 * Any extension, whatever its parameter, verb and hook types.
 */
// biome-ignore lint/suspicious/noExplicitAny: erases the per-extension type parameters
export type AnyExtension = Extension<string, any, any, any, any>;

/**
 * Makes an extension. The `const` type parameters keep literal keywords and value types, so a
 * registry built from a list of extensions knows each parameter's type.
 *
 * @example
 * ```ts
 * import { accept, defineExtension, param } from '@smtpkit/extensions';
 * import { replies } from '@smtpkit/reply';
 * export const hello = defineExtension({
 *   name: 'X-HELLO',
 *   keyword: 'X-HELLO',
 *   mailParams: {
 *     'X-HELLO': param({ value: 'none', parse: () => accept(true as const) }),
 *   },
 * });
 * ```
 */
export function defineExtension<
  const N extends string,
  // biome-ignore lint/complexity/noBannedTypes: `{}` is the "declares nothing" default
  const MP extends ParamSpecs = {},
  // biome-ignore lint/complexity/noBannedTypes: as above
  const RP extends ParamSpecs = {},
  // biome-ignore lint/complexity/noBannedTypes: as above
  const V extends VerbSpecs = {},
  // biome-ignore lint/complexity/noBannedTypes: as above
  const H extends HookSpecs = {},
>(extension: Extension<N, MP, RP, V, H>): Extension<N, MP, RP, V, H> {
  return Object.freeze({ ...extension });
}

/**
 * Declares a MAIL or RCPT parameter; `T` is inferred from what `parse` accepts.
 *
 * @example
 * ```ts
 * import { accept, param } from '@smtpkit/extensions';
 * const flag = param({ value: 'none', parse: () => accept(true as const) });
 * ```
 */
export function param<T>(spec: ParamSpec<T>): ParamSpec<T> {
  return spec;
}

/**
 * Declares a verb; the argument type `A` is inferred from `parse`.
 *
 * @example
 * ```ts
 * import { accept, verb } from '@smtpkit/extensions';
 * import { replies } from '@smtpkit/reply';
 * const hello = verb({ states: ['greeted'], parse: () => accept(0), handle: () => ({ kind: 'reply', reply: replies.R250_2_0_0_Ok }) });
 * ```
 */
export function verb<A>(spec: VerbSpec<A>): VerbSpec<A> {
  return spec;
}

/**
 * Declares, for the type system only, an application hook: payload `P`, resolved value `R`.
 *
 * @example
 * ```ts
 * import { hook } from '@smtpkit/extensions';
 * import type { Reply } from '@smtpkit/reply';
 * const hooks = { etrn: hook<{ node: string }, Reply>() };
 * ```
 */
export function hook<P, R>(): HookSpec<P, R> {
  return {};
}
