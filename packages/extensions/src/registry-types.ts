import type { AnyExtension, HookSpec, ParamSpec } from './define-extension.js';
import type { SessionContext } from './session-context.js';

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (
  x: infer I,
) => void
  ? I
  : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ParamValue<S> = S extends ParamSpec<infer T> ? T : never;

type MailSpecsOf<E extends readonly AnyExtension[]> = UnionToIntersection<
  E[number] extends infer X
    ? X extends { readonly mailParams?: infer MP }
      ? NonNullable<MP>
      : never
    : never
>;
type RcptSpecsOf<E extends readonly AnyExtension[]> = UnionToIntersection<
  E[number] extends infer X
    ? X extends { readonly rcptParams?: infer RP }
      ? NonNullable<RP>
      : never
    : never
>;
type HookSpecsOf<E extends readonly AnyExtension[]> = UnionToIntersection<
  E[number] extends infer X
    ? X extends { readonly hooks?: infer H }
      ? NonNullable<H>
      : never
    : never
>;

/**
 * The typed MAIL parameters a registry built from the extension list `E` parses, keyed by
 * upper-case keyword, each optional.
 *
 * @example
 * ```ts
 * import { createRegistry, size, dsn, type MailParamsOf } from '@smtpkit/extensions';
 * const registry = createRegistry([size(), dsn()]);
 * type P = MailParamsOf<typeof registry.extensions>; // { SIZE?: number; RET?: 'FULL' | 'HDRS'; ENVID?: string }
 * ```
 */
export type MailParamsOf<E extends readonly AnyExtension[]> = Simplify<{
  readonly [K in keyof MailSpecsOf<E>]?: ParamValue<MailSpecsOf<E>[K]>;
}>;

/**
 * The typed RCPT parameters of a registry built from `E`.
 *
 * @example
 * ```ts
 * import { createRegistry, dsn, type RcptParamsOf } from '@smtpkit/extensions';
 * const registry = createRegistry([dsn()]);
 * type R = RcptParamsOf<typeof registry.extensions>; // { NOTIFY?: DsnNotify; ORCPT?: OriginalRecipient }
 * ```
 */
export type RcptParamsOf<E extends readonly AnyExtension[]> = Simplify<{
  readonly [K in keyof RcptSpecsOf<E>]?: ParamValue<RcptSpecsOf<E>[K]>;
}>;

/**
 * The application hooks a registry built from `E` may ask for: each a function from the session
 * facts and the payload to a promise of the declared result.
 *
 * @example
 * ```ts
 * import { createRegistry, etrn, type HooksOf } from '@smtpkit/extensions';
 * const registry = createRegistry([etrn()]);
 * const hooks: HooksOf<typeof registry.extensions> = {
 *   etrn: async (_ctx, request) => registry.extensions[0].replies.R250_2_0_0_QueuingStarted,
 * };
 * ```
 */
export type HooksOf<E extends readonly AnyExtension[]> = Simplify<{
  readonly [K in keyof HookSpecsOf<E>]: HookSpecsOf<E>[K] extends HookSpec<infer P, infer R>
    ? (ctx: SessionContext, payload: P) => Promise<R>
    : never;
}>;
