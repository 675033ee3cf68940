// The message every interop test sends: bytes a careless client or server would change. Each
// client's own dot-stuffing must be undone exactly, so the stored bytes equal these.

/** Plain 7-bit text with the awkward lines: a leading dot, a lone dot, two dots, trailing spaces. */
export function asciiMessage(tag: string): Buffer {
  return Buffer.from(
    `From: sender@example.com\r\nTo: rcpt@example.com\r\nSubject: interop ${tag}\r\n` +
      'Message-ID: <interop.' +
      `${tag.replaceAll(/[^a-z0-9]/gi, '-')}@example.com>\r\n\r\n` +
      '.starts with a dot\r\n.\r\n..two dots\r\ntrailing spaces   \r\n\r\n' +
      `${'x'.repeat(998)}\r\n` +
      'last line\r\n',
    'latin1',
  );
}

/** The same with an 8-bit UTF-8 body (RFC 6152 BODY=8BITMIME). */
export function eightBitMessage(tag: string): Buffer {
  return Buffer.concat([
    Buffer.from(
      `From: sender@example.com\r\nTo: rcpt@example.com\r\nSubject: interop ${tag}\r\n` +
        'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n' +
        'Content-Transfer-Encoding: 8bit\r\n\r\n',
    ),
    Buffer.from('caf\u00e9 \u00fcber \u65e5\u672c\u8a9e\r\n.dot after 8-bit\r\n', 'utf8'),
    Buffer.from('last line\r\n'),
  ]);
}
