import { Libmime } from 'libmime';
import { rewriteAddressList } from '../address-list.js';
import { DowngradeError } from '../downgrade-error.js';
import { MAX_LINE_OCTETS } from '../seven-bit.js';

const libmime = new Libmime();

/** RFC 5322 §3.4, §3.6.2, §3.6.3, §3.6.6 and common extensions: fields whose body is an address-list. */
const ADDRESS_FIELDS = new Set([
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'bcc',
  'resent-from',
  'resent-sender',
  'resent-to',
  'resent-cc',
  'resent-bcc',
  'disposition-notification-to',
  'mail-followup-to',
  'mail-reply-to',
]);

/**
 * Structured fields with no phrase, comment or parameter that could carry an encoded-word
 * (RFC 2047 §5: "An 'encoded-word' MUST NOT appear in any portion of an 'addr-spec'", nor in a
 * msg-id, a date, a token): raw 8-bit in them cannot be made 7-bit.
 */
const STRUCTURED_FIELDS = new Set([
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'received',
  'resent-date',
  'resent-message-id',
  'mime-version',
  'content-transfer-encoding',
  'content-id',
  'content-language',
  'content-location',
  'content-md5',
  'dkim-signature',
  'arc-seal',
  'arc-message-signature',
  'arc-authentication-results',
  'authentication-results',
  'received-spf',
  'list-id',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'list-post',
  'list-help',
  'list-subscribe',
  'list-owner',
  'list-archive',
]);

/** Fields with MIME parameters (RFC 2045 §5.1, RFC 2183): 8-bit values move to RFC 2231 form. */
const PARAMETER_FIELDS = new Set(['content-type', 'content-disposition']);

/** Line length to fold rewritten fields at (RFC 5322 §2.1.1: "SHOULD be no more than 78"). */
const FOLD_AT = 76;

const EIGHT_BIT = /[\x80-\xff]/;

/** The text of raw header octets: UTF-8 when they are valid UTF-8 (RFC 6532), else Latin-1. */
function decodeOctets(octets: string): string {
  const bytes = Buffer.from(octets, 'latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return octets;
  }
}

/** RFC 5322 §2.2.3 unfolding: a CRLF followed by white space is removed. */
const unfold = (value: string): string => value.replace(/\r?\n(?=[ \t])/g, '');

/** RFC 2047 encoded-words (UTF-8, Q) for the octets of a phrase or a comment, as a whole. */
const encodePhrase = (octets: string): string => libmime.encodeWord(decodeOctets(octets), 'Q', 52);

/**
 * Folds a header field (RFC 5322 §2.2.3: a CRLF may go before any white space) so that its lines
 * are at most `limit` octets where white space allows; a line that still exceeds 998 octets is a
 * {@link DowngradeError}.
 */
export function foldField(field: string, limit = FOLD_AT): string {
  const lines = field.split(/\r?\n/);
  const out: string[] = [];
  for (let line of lines) {
    while (line.length > limit) {
      // The last white space at or before the limit that leaves some text on the line before it.
      let at = -1;
      for (let i = Math.min(limit, line.length - 1); i > 0; i--) {
        const c = line[i];
        if ((c === ' ' || c === '\t') && /[^ \t]/.test(line.slice(0, i))) {
          at = i;
          break;
        }
      }
      if (at === -1) {
        // None before the limit: the first one after it, if any.
        const after = line.slice(limit).search(/[ \t]/);
        if (after === -1) break;
        at = limit + after;
      }
      out.push(line.slice(0, at));
      line = line.slice(at);
    }
    if (line.length > MAX_LINE_OCTETS) {
      throw new DowngradeError(
        'ERR_MIME_DOWNGRADE_UNCONVERTIBLE',
        `a header line of ${line.length} octets has no white space to fold at (RFC 5322 §2.1.1: at most 998)`,
      );
    }
    out.push(line);
  }
  return out.join('\r\n');
}

/**
 * A header field (name, colon and body, folds included; one char per octet) rewritten to hold
 * 7-bit octets only and lines of at most 998 octets, or undefined when it needs no change:
 *
 * - unstructured fields (Subject, Comments, Content-Description, X-…, and any field not known to be
 *   structured): the words with 8-bit octets become RFC 2047 encoded-words (§5 (1));
 * - address fields: the display names and comments (see {@link rewriteAddressList});
 * - Content-Type and Content-Disposition: 8-bit parameter values in RFC 2231 form;
 * - other structured fields with 8-bit octets: a {@link DowngradeError}
 *   (`ERR_MIME_DOWNGRADE_UTF8_HEADER`, or `…_UTF8_ADDRESS` for Return-Path).
 *
 * Raw 8-bit header text is read as UTF-8 (RFC 6532) when it is valid UTF-8, as Latin-1 otherwise.
 *
 * @example
 * ```ts
 * rewriteHeaderField('Subject: caf\xc3\xa9'); // → 'Subject: =?UTF-8?Q?caf=C3=A9?='
 * rewriteHeaderField('Subject: plain'); // → undefined
 * ```
 */
export function rewriteHeaderField(field: string): string | undefined {
  if (!EIGHT_BIT.test(field)) {
    return field.split(/\r?\n/).some((line) => line.length > MAX_LINE_OCTETS)
      ? foldField(field)
      : undefined;
  }
  const colon = field.indexOf(':');
  const name = colon === -1 ? field : field.slice(0, colon);
  const key = name.trim().toLowerCase();
  if (colon === -1 || EIGHT_BIT.test(name)) {
    throw new DowngradeError(
      'ERR_MIME_DOWNGRADE_UTF8_HEADER',
      'a header line with 8-bit octets has no field name that could be kept',
    );
  }
  const body = field.slice(colon + 1);
  let value: string;
  if (ADDRESS_FIELDS.has(key)) value = rewriteAddressList(unfold(body), encodePhrase);
  else if (key === 'return-path' || key === 'original-recipient' || key === 'final-recipient') {
    throw new DowngradeError(
      'ERR_MIME_DOWNGRADE_UTF8_ADDRESS',
      `${name} holds an address with 8-bit octets (RFC 6532), which no encoded-word may carry`,
    );
  } else if (PARAMETER_FIELDS.has(key)) {
    const parsed = libmime.parseHeaderValue(decodeOctets(unfold(body)));
    value = ` ${libmime.buildHeaderValue(parsed)}`;
  } else if (STRUCTURED_FIELDS.has(key)) {
    throw new DowngradeError(
      'ERR_MIME_DOWNGRADE_UTF8_HEADER',
      `${name} holds 8-bit octets and may carry no encoded-word (RFC 2047 §5)`,
    );
  } else {
    const text = unfold(body);
    const lead = /^[ \t]*/.exec(text)?.[0] ?? '';
    value = lead + libmime.encodeWords(decodeOctets(text.slice(lead.length)), 'Q', 52);
  }
  return foldField(`${name}:${value}`);
}
