/** What `QueueStore.enqueue` accepts as the message. */
export type MessageSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * The chunks of a message source in order, whatever its shape (one array, an iterable such as an
 * array of chunks, or a stream). A `Uint8Array` is one chunk, not an iterable of numbers.
 *
 * @example
 * ```ts
 * for await (const chunk of messageChunks(readable)) size += chunk.length;
 * ```
 */
export async function* messageChunks(source: MessageSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  if (Symbol.asyncIterator in source) {
    for await (const chunk of source) yield chunk;
    return;
  }
  for (const chunk of source) yield chunk;
}

/**
 * The whole message as one array.
 *
 * @example
 * ```ts
 * const bytes = await collectMessage([header, body]); // one Uint8Array
 * ```
 */
export async function collectMessage(source: MessageSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of messageChunks(source)) {
    chunks.push(chunk);
    size += chunk.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
