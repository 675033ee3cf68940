import { type MimeNode, Splitter } from '@zone-eu/mailsplit';

/** The Splitter's own fields this module reaches (mailsplit 5.4.31, pinned). */
interface SplitterInternals {
  node: MimeNode;
  newNode(parent?: MimeNode | false): void;
}

/**
 * Makes `node` report a `message/rfc822` attachment as inline, so the Splitter parses the message
 * inside it too. mailsplit parses an embedded message only when it is inline (or, with
 * `defaultInlineEmbedded`, has no `attachment` disposition); a downgrade must reach every one:
 * RFC 2046 §5.2.1 allows no encoding but 7bit, 8bit and binary on message/rfc822, so an 8-bit
 * message inside is converted part by part, not base64-encoded as a whole. `disposition` is only
 * read by the Splitter; the header bytes stay as they are.
 */
function parseEveryEmbeddedMessage(node: MimeNode): void {
  const parseHeaders = node.parseHeaders.bind(node);
  node.parseHeaders = () => {
    parseHeaders();
    if (node.contentType === 'message/rfc822' && node.disposition === 'attachment')
      node.disposition = 'inline';
  };
}

/**
 * A mailsplit Splitter that parses every embedded `message/rfc822` whose transfer encoding allows
 * it (none, 7bit, 8bit, binary), attachment or not.
 *
 * @example
 * ```ts
 * const splitter = createEmbeddedSplitter({ maxHeadSize: 1 << 20 });
 * ```
 */
export function createEmbeddedSplitter(options: { readonly maxHeadSize: number }): Splitter {
  const splitter = new Splitter({ maxHeadSize: options.maxHeadSize, defaultInlineEmbedded: true });
  const internals = splitter as unknown as SplitterInternals;
  parseEveryEmbeddedMessage(internals.node);
  const newNode = internals.newNode.bind(splitter);
  internals.newNode = (parent) => {
    newNode(parent);
    parseEveryEmbeddedMessage(internals.node);
  };
  return splitter;
}
