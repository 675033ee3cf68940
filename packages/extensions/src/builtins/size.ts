import { defineExtension, param } from '../define-extension.js';
import { ClientRefusal, ExtensionError } from '../extension-error.js';
import { extensionReplies } from '../extension-replies.js';
import { accept, reject } from '../outcome.js';

/** Options of {@link size}. */
export interface SizeOptions {
  /** Largest message accepted, in octets; absent or 0 for no fixed limit (RFC 1870 §4). */
  readonly max?: number;
}

// RFC 1870 §6: size-value ::= 1*20DIGIT
function isSizeValue(text: string): boolean {
  if (text.length === 0 || text.length > 20) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/**
 * SIZE, RFC 1870: advertises the fixed maximum message size (`SIZE 10485760`, or bare `SIZE`
 * when there is none, §4), parses `MAIL ... SIZE=n` and refuses a declared size over the limit
 * with 552 5.3.4 (§6.1). Client side: declares the message size and refuses to send a message
 * larger than the server's limit. Sizes beyond 2^53 lose precision but still compare as larger
 * than any limit.
 *
 * @example
 * ```ts
 * import { createRegistry, size } from '@smtpkit/extensions';
 * const registry = createRegistry([size({ max: 10485760 })]);
 * ```
 */
export function size(options: SizeOptions = {}) {
  const max = options.max === 0 ? undefined : options.max;
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 0)) {
    throw new ExtensionError(
      'ERR_EXTENSION_MISUSE_OPTION',
      'SIZE max must be a non-negative integer',
    );
  }
  return defineExtension({
    name: 'SIZE',
    keyword: 'SIZE',
    // RFC 1870 §4: size-param ::= [1*DIGIT]; no parameter means no fixed maximum.
    advertise: () => (max === undefined ? [] : [String(max)]),
    ...(max === undefined ? {} : { limits: { messageSize: max } }),
    mailParams: {
      SIZE: param({
        value: 'required',
        // " SIZE=" plus 20 digits
        lineExtra: 26,
        parse(value) {
          if (value === undefined || !isSizeValue(value)) {
            return reject(extensionReplies.R501_5_5_4_InvalidParameterValue);
          }
          const declared = Number(value);
          // RFC 1870 §6.1: a declared size over the fixed maximum gets 552.
          if (max !== undefined && declared > max) {
            return reject(extensionReplies.R552_5_3_4_MessageTooBig);
          }
          return accept(declared);
        },
        format: (n: number) => String(n),
      }),
    },
    replies: {
      R552_5_3_4_MessageTooBig: extensionReplies.R552_5_3_4_MessageTooBig,
    },
    effects: (p) => {
      const declared = p['SIZE'];
      return typeof declared === 'number' ? { declaredSize: declared } : {};
    },
    client: {
      // RFC 1870 §5: the client SHOULD declare the size when the server offers SIZE.
      mailParams: (envelope) => (envelope.size === undefined ? undefined : { SIZE: envelope.size }),
      check(envelope, caps) {
        const limit = Number(caps.params('SIZE')?.[0] ?? '0');
        if (envelope.size === undefined || !Number.isFinite(limit) || limit <= 0) return undefined;
        if (envelope.size <= limit) return undefined;
        return new ClientRefusal(
          'ERR_EXTENSION_SIZE_EXCEEDS_LIMIT',
          'SIZE',
          `message of ${envelope.size} octets exceeds the server's SIZE ${limit}`,
          true,
        );
      },
    },
  });
}
