/**
 * RFC 5321 §4.5.2: "Before sending a line of mail text, the SMTP client checks the first character
 * of the line. If it is a period, one additional period is inserted at the beginning of the line."
 * The terminating `.` CRLF is not added.
 *
 * @example
 * ```ts
 * dotStuff(Buffer.from('.hidden\r\nseen\r\n')).toString(); // '..hidden\r\nseen\r\n'
 * ```
 */
export function dotStuff(message: Buffer): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < message.length) {
    const next = message.indexOf('\r\n', start);
    const end = next === -1 ? message.length : next + 2;
    if (message[start] === 0x2e) parts.push(Buffer.from('.'));
    parts.push(message.subarray(start, end));
    start = end;
  }
  return Buffer.concat(parts);
}
