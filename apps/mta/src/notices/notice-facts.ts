import { isIP } from 'node:net';
import type { DiagnosticCode, DsnAction } from '@smtpkit/dsn';
import type { RecipientResult, StoredReply } from '@smtpkit/queue';

/**
 * The diagnostic-type of what this MTA says itself (a refused connection, a timeout, a lifetime
 * run out, an administrator's bounce): no SMTP server sent those, so they are not `smtp`.
 * RFC 3464 §2.3.6: "diagnostic-type ; *text", the type naming who issued it; private types
 * start with `X-` (Postfix writes `X-Postfix`).
 */
export const LOCAL_DIAGNOSTIC_TYPE = 'X-Smtpkit';

/** RFC 3463 §2: `status-code = class "." subject "." detail`, class 2, 4 or 5, up to 3 digits. */
const STATUS_CODE = /^([245])\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;

/**
 * RFC 3464 §2.3.4 "2 = success, 4 = persistent temporary failure, 5 = permanent failure", with
 * §2.3.3's note that lets "failed" carry a 4.X.X code (given up after retries).
 */
const CLASSES: Readonly<Record<DsnAction, readonly number[]>> = {
  failed: [5, 4],
  delayed: [4],
  delivered: [2],
  relayed: [2],
  expanded: [2],
};

/**
 * Whether a failure is a lifetime that ran out: a failed recipient whose reply is temporary.
 * Nothing else fails with a 4xx code: a next hop's 4xx defers, and the queue turns the last
 * deferral past the lifetime into a failure keeping that 4xx code with RFC 3463 X.4.7 "Delivery
 * time expired" (`expiredReply` of @smtpkit/queue).
 *
 * @example
 * ```ts
 * isExpiry({ index: 0, outcome: 'failed', reply: { code: 451, enhanced: '4.4.7', text: 'x' } }); // true
 * ```
 */
export function isExpiry(result: Pick<RecipientResult, 'outcome' | 'reply'>): boolean {
  const code = result.reply?.code;
  return result.outcome === 'failed' && code !== undefined && code >= 400 && code < 500;
}

/**
 * The Status of a recipient (RFC 3464 §2.3.4, required): the reply's enhanced code when it is an
 * RFC 3463 code of the reply's own class (RFC 2034 §4: "the class … MUST match the basic reply
 * code"), else the class with `.0.0` (RFC 3463 §3.1, nothing guessed); always of a class the
 * action allows, so a strange reply cannot make a notice impossible to build.
 *
 * @example
 * ```ts
 * statusOf('failed', { code: 550, enhanced: '5.1.1', text: 'no' }); // '5.1.1'
 * statusOf('delayed', { code: 451, enhanced: '5.1.1', text: 'odd' }); // '4.0.0'
 * ```
 */
export function statusOf(action: DsnAction, reply: StoredReply | undefined): string {
  const allowed = CLASSES[action];
  const fallback = `${allowed[0]}.0.0`;
  if (reply === undefined) return fallback;
  const klass = Math.floor(reply.code / 100);
  const match = reply.enhanced === undefined ? null : STATUS_CODE.exec(reply.enhanced);
  const status =
    match !== null && Number(match[1]) === klass ? (reply.enhanced as string) : `${klass}.0.0`;
  return allowed.includes(Number(status[0])) ? status : fallback;
}

/** The text with each C0 control character and DEL made a space. */
function withoutControls(text: string): string {
  let out = '';
  for (const c of text) {
    const n = c.charCodeAt(0);
    out += n < 0x20 || n === 0x7f ? ' ' : c;
  }
  return out;
}

/**
 * A reply's text on one line: a multi-line reply's lines joined with spaces, and any other
 * control character a server sent made a space (RFC 3464 §2.3.6 `*text`, RFC 5322 §2.2: a field
 * body holds no CR, LF or NUL), so that no reply can make the notice unwritable.
 */
function oneLine(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((l) => withoutControls(l).trim())
    .filter((l) => l !== '')
    .join(' ');
}

/**
 * The Diagnostic-Code of a recipient (RFC 3464 §2.3.6): `smtp; <code> <enhanced> <text>` for a
 * reply an SMTP or LMTP server sent (it has a Remote-MTA); the MTA's own words under
 * {@link LOCAL_DIAGNOSTIC_TYPE} for the rest. For a lifetime that ran out, the last reply is
 * reported as the server sent it, without the X.4.7 the queue put in its place (that is the
 * Status, not what the server said), and a local one says that the time expired.
 *
 * @example
 * ```ts
 * diagnosticOf({ outcome: 'failed', reply: { code: 550, enhanced: '5.1.1', text: 'No such user', remoteMta: 'mx.example' } });
 * // { type: 'smtp', text: '550 5.1.1 No such user' }
 * ```
 */
export function diagnosticOf(
  result: Pick<RecipientResult, 'outcome' | 'reply'>,
): DiagnosticCode | undefined {
  const reply = result.reply;
  if (reply === undefined) return undefined;
  const text = oneLine(reply.text);
  const expired = isExpiry(result);
  if (reply.remoteMta === undefined) {
    const said = text === '' ? `${reply.code}` : text;
    return {
      type: LOCAL_DIAGNOSTIC_TYPE,
      text: expired ? `delivery time expired; last attempt: ${said}` : said,
    };
  }
  const enhanced = expired ? undefined : reply.enhanced;
  const parts = [String(reply.code)];
  if (enhanced !== undefined && !text.startsWith(`${enhanced} `) && text !== enhanced) {
    parts.push(enhanced);
  }
  if (text !== '') parts.push(text);
  return { type: 'smtp', text: parts.join(' ') };
}

/**
 * The Remote-MTA name of a host (RFC 3464 §2.3.5, type `dns`): a host name as it is; an IP
 * address as a domain literal. RFC 3461 §9.3: "MTA names of type "dns" SHOULD be valid Internet
 * domain names. If such domain names are not available, a domain-literal containing the internet
 * protocol address is acceptable" (`domain-literal = "[" 1*3DIGIT 3("." 1*3DIGIT) "]"`; an IPv6
 * one takes RFC 5321 §4.1.3's `IPv6:` tag).
 *
 * @example
 * ```ts
 * mtaNameOf('127.0.0.1'); // '[127.0.0.1]'
 * mtaNameOf('mx.example.org'); // 'mx.example.org'
 * ```
 */
export function mtaNameOf(host: string): string {
  const family = isIP(host);
  if (family === 4) return `[${host}]`;
  if (family === 6) return `[IPv6:${host}]`;
  return host;
}

/**
 * Whether a delivered recipient gets a success notice from this MTA (RFC 3461 §5.2): delivered
 * here (Maildir or LMTP, §5.2.3 "delivered"), or relayed to a next hop without DSN (§5.2.2 (b)
 * "relayed"). A next hop that offers DSN took NOTIFY on (§5.2.1 (c)) and reports the delivery
 * itself: a notice from here would tell of a delivery that has not happened yet.
 *
 * @example
 * ```ts
 * successNoticeFromHere('local', { index: 0, outcome: 'delivered' }); // true
 * successNoticeFromHere('example.net', { index: 0, outcome: 'delivered' }); // false
 * ```
 */
export function successNoticeFromHere(
  destination: string,
  result: Pick<RecipientResult, 'action'>,
): boolean {
  return destination === 'local' || result.action === 'relayed';
}
