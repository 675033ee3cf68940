import { randomUUID } from 'node:crypto';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number) => String(n).padStart(2, '0');

/**
 * RFC 5322 §3.3 `date-time` in UTC: `Thu, 13 Feb 1989 23:32:00 +0000`.
 *
 * @example
 * ```ts
 * rfc5322Date(new Date(Date.UTC(1989, 1, 13, 23, 32))); // 'Mon, 13 Feb 1989 23:32:00 +0000'
 * ```
 */
export function rfc5322Date(date: Date): string {
  return (
    `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ` +
    `${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:` +
    `${two(date.getUTCSeconds())} +0000`
  );
}

/** What the generated message names. */
export interface GeneratedMessageFields {
  /** The envelope sender as given (`''` for the null sender). */
  readonly from: string;
  readonly to: readonly string[];
  /** The right-hand side of the Message-ID. */
  readonly idDomain: string;
  readonly date: Date;
}

const bracketless = (address: string) => address.replace(/^<(.*)>$/, '$1');

/**
 * The message sent without `--data`: the headers RFC 5322 §3.6 asks for (Date, From) and those
 * a reader expects (To, Subject, Message-ID), then one line of text. UTF-8 addresses travel
 * as they are (SMTPUTF8, RFC 6532).
 *
 * @example
 * ```ts
 * defaultMessage({ from: 'a@example.org', to: ['b@example.com'], idDomain: 'host.example', date: new Date() });
 * ```
 */
export function defaultMessage(fields: GeneratedMessageFields): Buffer {
  const from = bracketless(fields.from);
  const lines = [
    `Date: ${rfc5322Date(fields.date)}`,
    `From: ${from === '' || from === '<>' ? 'MAILER-DAEMON' : `<${from}>`}`,
    `To: ${fields.to.map((t) => `<${bracketless(t)}>`).join(', ')}`,
    'Subject: test message from smtpkit-send',
    `Message-ID: <${randomUUID()}@${fields.idDomain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `This is a test message sent by smtpkit-send on ${fields.date.toISOString()}.`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/**
 * A message of exactly `size` octets for the load mode (or its headers alone when `size` leaves
 * no room for a body line): a few headers, then lines of 76 letters and CRLF, the last one cut
 * or stretched (to 77) to fit.
 *
 * @example
 * ```ts
 * benchMessage(1024, 'a@example.org', ['b@example.com']).length; // 1024
 * ```
 */
export function benchMessage(size: number, from: string, to: readonly string[]): Buffer {
  const head = Buffer.from(
    [
      `From: <${bracketless(from)}>`,
      `To: ${to.map((t) => `<${bracketless(t)}>`).join(', ')}`,
      'Subject: smtpkit-send bench',
      '',
      '',
    ].join('\r\n'),
    'utf8',
  );
  if (size < head.length + 2) return head;
  const message = Buffer.alloc(size, 'x');
  head.copy(message);
  // Line ends every 78 octets, and one at the very end.
  for (let end = head.length + 76; end <= size - 4; end += 78) message.write('\r\n', end, 'latin1');
  message.write('\r\n', size - 2, 'latin1');
  return message;
}
