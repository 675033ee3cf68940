// Message bodies that a careless client changes or that could end DATA early, and the reference
// of what RFC 5321 lets DATA carry.

const b = (text: string) => Buffer.from(text, 'latin1');

/**
 * Bodies with bare LF, bare CR, lines of only ".", "\r\n\r\n.", dot-started lines, a CR at the very
 * end, no final line end, and binary octets (NUL, 0x80-0xFF, every byte value).
 */
export const TRICKY_BODIES: Readonly<Record<string, Buffer>> = {
  'bare LF': b('Subject: lf\n\nline one\nline two\n'),
  'bare CR': b('Subject: cr\r\rline one\rline two\r'),
  'lines of only "."': b('Subject: dots\r\n\r\n.\r\n.\r\nafter\r\n.\r\n'),
  '"\\r\\n\\r\\n." inside and at the end': b('Subject: x\r\n\r\nbody\r\n\r\n.\r\nmore\r\n\r\n.'),
  'dot-started lines, LF and CR dots': b('Subject: y\r\n\r\n..two\r\n.one\n.lf\r.cr\r\n'),
  'smuggling-like \\n.\\r\\n and \\r.\\r': b(
    'Subject: s\r\n\r\nA\n.\r\nMAIL FROM:<x@y>\r\nB\r.\rC\r\n',
  ),
  'no final line end': b('Subject: z\r\n\r\nno newline at the end'),
  'binary octets': Buffer.concat([
    b('Subject: bin\r\n\r\n'),
    Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256)),
  ]),
};

/**
 * What arrives by DATA (RFC 5321 §2.3.8, §4.1.1.4): every bare LF and bare CR as CRLF, a CRLF
 * added when the message does not end with one; dot-stuffing (§4.5.2) is undone by the server.
 */
export function crlfNormalised(body: Uint8Array): Buffer {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as number;
    if (c === 13) {
      out.push(13, 10);
      if (body[i + 1] === 10) i++;
    } else if (c === 10) {
      out.push(13, 10);
    } else {
      out.push(c);
    }
  }
  const n = out.length;
  if (n < 2 || out[n - 2] !== 13 || out[n - 1] !== 10) out.push(13, 10);
  return Buffer.from(out);
}

/** A large body of `size` octets in `chunk`-sized pieces, with lines and dot-started lines. */
export async function* generatedBody(
  size: number,
  chunk = 64 * 1024,
  produced?: (n: number) => void,
): AsyncGenerator<Uint8Array> {
  const line = b('.a line of text that starts with a dot, 60 octets long....\r\n');
  const block = Buffer.alloc(chunk);
  for (let at = 0; at < chunk; at += line.length) line.copy(block, at);
  let sent = 0;
  while (sent < size) {
    const piece = block.subarray(0, Math.min(chunk, size - sent));
    sent += piece.length;
    produced?.(sent);
    yield Buffer.from(piece);
  }
}

/** The whole of {@link generatedBody}, to compare with what arrived. */
export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts);
}
