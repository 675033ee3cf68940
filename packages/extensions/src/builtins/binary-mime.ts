import { defineExtension } from '../define-extension.js';
import { ClientRefusal } from '../extension-error.js';
import { extensionReplies } from '../extension-replies.js';

/**
 * BINARYMIME, RFC 3030 §3: enables `BODY=BINARYMIME` (parsed by {@link eightBitMime}'s BODY
 * parameter) and, because such a body can only travel in BDAT chunks, refuses DATA in a
 * transaction that declared it: "the DATA command MUST NOT be used" → 503 5.5.1. Requires
 * CHUNKING and 8BITMIME. Client side: refuses binary content when the server does not offer
 * BINARYMIME and CHUNKING.
 *
 * @example
 * ```ts
 * import { binaryMime, chunking, createRegistry, eightBitMime } from '@smtpkit/extensions';
 * createRegistry([eightBitMime(), chunking(), binaryMime()]);
 * ```
 */
export function binaryMime() {
  return defineExtension({
    name: 'BINARYMIME',
    keyword: 'BINARYMIME',
    requires: ['CHUNKING', '8BITMIME'],
    replies: {
      R503_5_5_1_BinaryMimeRequiresBdat: extensionReplies.R503_5_5_1_BinaryMimeRequiresBdat,
    },
    guard(verb, ctx) {
      if (verb === 'DATA' && ctx.mailParams?.['BODY'] === 'BINARYMIME') {
        return extensionReplies.R503_5_5_1_BinaryMimeRequiresBdat;
      }
      return undefined;
    },
    client: {
      check(envelope, caps) {
        if (envelope.body !== 'BINARYMIME') return undefined;
        if (caps.has('BINARYMIME') && caps.has('CHUNKING')) return undefined;
        return new ClientRefusal(
          'ERR_EXTENSION_BINARYMIME_NOT_OFFERED',
          'BINARYMIME',
          'the message is binary and the server does not offer BINARYMIME with CHUNKING',
          true,
        );
      },
    },
  });
}
