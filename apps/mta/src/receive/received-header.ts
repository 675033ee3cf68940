/**
 * The `Received:` trace field an MTA adds on acceptance (RFC 5321 §4.4):
 *
 *   Time-stamp-line = "Received:" FWS Stamp <CRLF>
 *   Stamp = From-domain By-domain Opt-info [CFWS] ";" FWS date-time
 *   From-domain = "FROM" FWS Extended-Domain
 *   Extended-Domain = Domain / ( Domain FWS "(" TCP-info ")" ) / ( address-literal FWS "(" TCP-info ")" )
 *   Opt-info = [Via] [With] [ID] [For] [Additional-Registered-Clauses]
 *
 * with the protocol type of RFC 3848 / RFC 6531 §3.7.3 (ESMTP, plus S for TLS, A for AUTH; UTF8
 * variants under SMTPUTF8), and, as RFC 8314 §7 suggests, the TLS version and cipher in a comment.
 */
export interface ReceivedFacts {
  /** The client's HELO/EHLO argument. */
  readonly helo: string | undefined;
  readonly remoteAddress: string | undefined;
  /** Our host name. */
  readonly by: string;
  readonly esmtp: boolean;
  readonly lmtp?: boolean;
  readonly smtputf8: boolean;
  readonly tls?: { readonly protocol?: string; readonly cipher?: string } | undefined;
  /** The authenticated user (shown as RFC 8314 §7 suggests). */
  readonly user?: string | undefined;
  readonly id: string;
  /** The one recipient, named only when there is one (RFC 5321 §7.2 privacy). */
  readonly for?: string;
  readonly date: Date;
}

/** Anything not printable ASCII (or a paren/backslash in a comment) becomes `?`. */
function safe(text: string, comment = false): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    const bad = c < 0x21 || c > 0x7e || (comment && (ch === '(' || ch === ')' || ch === '\\'));
    out += bad ? '?' : ch;
  }
  return out;
}

/** RFC 3848 protocol types: ESMTP, ESMTPA, ESMTPS, ESMTPSA; RFC 6531 §3.7.3: UTF8SMTP…. */
export function withProtocol(facts: ReceivedFacts): string {
  if (facts.lmtp === true) return 'LMTP';
  if (!facts.esmtp) return 'SMTP';
  const base = facts.smtputf8 ? 'UTF8SMTP' : 'ESMTP';
  return `${base}${facts.tls === undefined ? '' : 'S'}${facts.user === undefined ? '' : 'A'}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 §3.3 date-time, in UTC: `Mon, 7 Dec 2026 19:00:00 +0000`. */
export function formatDateTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}

/**
 * The folded `Received:` field, CRLF-terminated.
 *
 * @example
 * ```ts
 * receivedHeader({ helo: 'client.example', remoteAddress: '192.0.2.1', by: 'mx.example.org', esmtp: true,
 *   smtputf8: false, id: 'a1b2', date: new Date(0) });
 * // 'Received: from client.example ([192.0.2.1])\r\n\tby mx.example.org (smtpkit) with ESMTP id a1b2;\r\n\tThu, 1 Jan 1970 00:00:00 +0000\r\n'
 * ```
 */
export function receivedHeader(facts: ReceivedFacts): string {
  const address =
    facts.remoteAddress === undefined
      ? ''
      : ` (${facts.remoteAddress.includes(':') ? `[IPv6:${safe(facts.remoteAddress, true)}]` : `[${safe(facts.remoteAddress, true)}]`})`;
  const lines = [`Received: from ${safe(facts.helo ?? 'unknown')}${address}`];
  const tls =
    facts.tls === undefined
      ? ''
      : ` (using ${safe(facts.tls.protocol ?? 'TLS', true)} with cipher ${safe(facts.tls.cipher ?? 'unknown', true)})`;
  const auth = facts.user === undefined ? '' : ` (authenticated as ${safe(facts.user, true)})`;
  if (tls !== '' || auth !== '') lines.push(`\t${(tls + auth).trimStart()}`);
  const forClause = facts.for === undefined ? '' : `\r\n\tfor <${safe(facts.for)}>`;
  lines.push(
    `\tby ${safe(facts.by)} (smtpkit) with ${withProtocol(facts)} id ${safe(facts.id)}${forClause};`,
  );
  lines.push(`\t${formatDateTime(facts.date)}`);
  return `${lines.join('\r\n')}\r\n`;
}
