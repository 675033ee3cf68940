import { defineExtension } from '../define-extension.js';

/**
 * ENHANCEDSTATUSCODES, RFC 2034: while it is in effect (after EHLO), replies carry their RFC 3463
 * enhanced status code; otherwise the registry's `present` removes it (§3: codes are only sent
 * once the extension was advertised). Included by {@link defaultExtensions}.
 *
 * @example
 * ```ts
 * import { createRegistry, enhancedStatusCodes } from '@smtpkit/extensions';
 * createRegistry([enhancedStatusCodes()]);
 * ```
 */
export function enhancedStatusCodes() {
  return defineExtension({
    name: 'ENHANCEDSTATUSCODES',
    keyword: 'ENHANCEDSTATUSCODES',
    enhancedStatusCodes: true,
  });
}
