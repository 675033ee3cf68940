import {
  accept,
  defineExtension,
  type ExtensionContext,
  ExtensionError,
  extensionReplies,
  param,
  reject,
} from '@smtpkit/extensions';

/** A message transfer priority, -9 (lowest) to 9 (highest); 0 is normal (RFC 6710 §2). */
export type MtPriority =
  | -9
  | -8
  | -7
  | -6
  | -5
  | -4
  | -3
  | -2
  | -1
  | 0
  | 1
  | 2
  | 3
  | 4
  | 5
  | 6
  | 7
  | 8
  | 9;

/**
 * Priority assignment policies registered with IANA by RFC 6710 §10; any other
 * `1*(ALPHA / DIGIT / "-")` name may be used too.
 */
export type MtPriorityPolicy = 'MIXER' | 'STANAG4406' | 'NSEP' | (string & {});

/** Options of {@link mtPriority}. */
export interface MtPriorityOptions {
  /**
   * The policy name advertised after the keyword (`MT-PRIORITY STANAG4406`); absent for none.
   */
  readonly policy?: MtPriorityPolicy;
  /**
   * The server's decision on a requested priority: RFC 6710 lets a server lower (or refuse) the
   * priority an unauthorised sender asks for. Defaults to keeping the request.
   */
  readonly accept?: (requested: MtPriority, ctx: ExtensionContext) => MtPriority;
}

/**
 * RFC 6710 §3:
 *   priority-value = [ "+" / "-" ] DIGIT   ; -9 .. 9
 *
 * @example
 * ```ts
 * import { parsePriorityValue } from '@smtpkit/ext-mt-priority';
 * parsePriorityValue('-3'); // -3
 * parsePriorityValue('10'); // undefined
 * ```
 */
export function parsePriorityValue(text: string): MtPriority | undefined {
  let digit = text;
  if (text.length === 2 && (text[0] === '+' || text[0] === '-')) digit = text.slice(1);
  if (digit.length !== 1) return undefined;
  const c = digit.charCodeAt(0);
  if (c < 0x30 || c > 0x39) return undefined;
  const value = c - 0x30;
  return (text[0] === '-' ? -value || 0 : value) as MtPriority;
}

// An IANA policy name: letters, digits and hyphens, like an ehlo-param that can be read back.
function isPolicyName(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/.test(text);
}

/**
 * MT-PRIORITY, RFC 6710, as an extension package: the EHLO keyword with the optional policy
 * name, the `MT-PRIORITY=` MAIL parameter parsed to a number from -9 to 9 (501 5.5.4 otherwise),
 * and the client side that formats it. Built only with the public API of `@smtpkit/extensions`.
 *
 * @example
 * ```ts
 * import { createRegistry, defaultExtensions } from '@smtpkit/extensions';
 * import { mtPriority } from '@smtpkit/ext-mt-priority';
 * const registry = createRegistry([...defaultExtensions(), mtPriority({ policy: 'MIXER' })]);
 * ```
 */
export function mtPriority(options: MtPriorityOptions = {}) {
  const { policy } = options;
  if (policy !== undefined && !isPolicyName(policy)) {
    throw new ExtensionError(
      'ERR_EXTENSION_MISUSE_OPTION',
      `MT-PRIORITY policy name "${policy}" is not 1*(ALPHA / DIGIT / "-")`,
    );
  }
  const decide = options.accept;
  return defineExtension({
    name: 'MT-PRIORITY',
    keyword: 'MT-PRIORITY',
    advertise: () => (policy === undefined ? [] : [policy]),
    mailParams: {
      'MT-PRIORITY': param({
        value: 'required',
        // " MT-PRIORITY=-9"
        lineExtra: 15,
        parse(value, ctx) {
          const requested = value === undefined ? undefined : parsePriorityValue(value);
          if (requested === undefined) {
            return reject(extensionReplies.R501_5_5_4_InvalidParameterValue);
          }
          return accept<MtPriority>(decide ? decide(requested, ctx) : requested);
        },
        format: (priority: MtPriority) => String(priority),
      }),
    },
  });
}
