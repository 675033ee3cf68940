import { defineExtension, param } from '../define-extension.js';
import { extensionReplies } from '../extension-replies.js';
import { accept, reject } from '../outcome.js';
import { decodeUtf8AddrText, decodeXtext, encodeUtf8AddrText, encodeXtext } from '../xtext.js';

/** RFC 3461 §4.1 notify-list-element. */
export type DsnNotifyCondition = 'SUCCESS' | 'FAILURE' | 'DELAY';

/** RFC 3461 §4.1: `NEVER` alone, or one or more conditions (deduplicated, in the order sent). */
export type DsnNotify = readonly ['NEVER'] | readonly DsnNotifyCondition[];

/** RFC 3461 §4.3 RET value. */
export type DsnRet = 'FULL' | 'HDRS';

/**
 * The ORCPT parameter decoded (RFC 3461 §4.2): `addrType` lower-cased (`rfc822`, `utf-8`, ...),
 * `address` the decoded original recipient.
 */
export interface OriginalRecipient {
  readonly addrType: string;
  readonly address: string;
}

const bad = () => reject(extensionReplies.R501_5_5_4_InvalidParameterValue);

// RFC 3461 §4.4 (ENVID) and §4.2 (ORCPT): the decoded value "MUST consist entirely of printable
// (graphic and white space) characters from the US-ASCII repertoire".
function isPrintableAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// RFC 5322 §3.2.3 atom (addr-type = atom, RFC 3461 §4.2): 1*atext
function isAtom(text: string): boolean {
  return text.length > 0 && /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+$/.test(text);
}

/**
 * `NOTIFY` value (RFC 3461 §4.1):
 *   notify-esmtp-value  = "NEVER" / 1#notify-list-element
 *   notify-list-element = "SUCCESS" / "FAILURE" / "DELAY"
 * "If the NEVER keyword is present, it MUST NOT be combined with any other keyword."
 *
 * @example
 * ```ts
 * import { parseNotify } from '@smtpkit/extensions';
 * parseNotify('failure,delay'); // ['FAILURE', 'DELAY']
 * parseNotify('NEVER,FAILURE'); // undefined
 * ```
 */
export function parseNotify(value: string): DsnNotify | undefined {
  const items = value.toUpperCase().split(',');
  if (items.length === 1 && items[0] === 'NEVER') return ['NEVER'];
  const out: DsnNotifyCondition[] = [];
  for (const item of items) {
    if (item !== 'SUCCESS' && item !== 'FAILURE' && item !== 'DELAY') return undefined;
    if (!out.includes(item)) out.push(item);
  }
  return out;
}

/**
 * `ORCPT` value (RFC 3461 §4.2): `orcpt-parameter = "ORCPT=" original-recipient-address`,
 * `original-recipient-address = addr-type ";" xtext`. With addr-type `utf-8` the address is
 * RFC 6533 §3 `utf-8-addr-xtext`, or `utf-8-addr-unitext` when SMTPUTF8 is in effect (`unitext`).
 *
 * @example
 * ```ts
 * import { parseOrcpt } from '@smtpkit/extensions';
 * parseOrcpt('rfc822;e+3Dmc2@example.com', false); // { addrType: 'rfc822', address: 'e=mc2@example.com' }
 * ```
 */
export function parseOrcpt(value: string, unitext: boolean): OriginalRecipient | undefined {
  // RFC 3461 §4.2: "the ORCPT parameter ... MUST NOT exceed 500 characters" is enforced on the
  // encoded form, which is what travels.
  if (value.length > 500) return undefined;
  const semi = value.indexOf(';');
  if (semi <= 0) return undefined;
  const addrType = value.slice(0, semi);
  if (!isAtom(addrType)) return undefined;
  const encoded = value.slice(semi + 1);
  if (encoded.length === 0) return undefined;
  const type = addrType.toLowerCase();
  if (type === 'utf-8') {
    const address = decodeUtf8AddrText(encoded, unitext);
    return address === undefined ? undefined : { addrType: type, address };
  }
  const address = decodeXtext(encoded);
  if (address === undefined || address.length === 0 || !isPrintableAscii(address)) return undefined;
  return { addrType: type, address };
}

/**
 * Formats an ORCPT value for sending: `rfc822` and other types as xtext, `utf-8` as RFC 6533
 * utf-8-addr-xtext (or unitext when `unitext`).
 *
 * @example
 * ```ts
 * import { formatOrcpt } from '@smtpkit/extensions';
 * formatOrcpt({ addrType: 'rfc822', address: 'e=mc2@example.com' }); // 'rfc822;e+3Dmc2@example.com'
 * ```
 */
export function formatOrcpt(orcpt: OriginalRecipient, unitext = false): string {
  const type = orcpt.addrType.toLowerCase();
  if (type === 'utf-8') return `${orcpt.addrType};${encodeUtf8AddrText(orcpt.address, unitext)}`;
  return `${orcpt.addrType};${encodeXtext(orcpt.address)}`;
}

/**
 * DSN, RFC 3461: MAIL parameters RET (§4.3) and ENVID (§4.4, xtext, at most 100 characters),
 * RCPT parameters NOTIFY (§4.1, NEVER exclusive) and ORCPT (§4.2, xtext, with the RFC 6533 UTF-8
 * forms). Keyword values are case-insensitive and come back upper-cased; ENVID and ORCPT come back
 * decoded. Client side: formats the typed values the application gives.
 *
 * @example
 * ```ts
 * import { createRegistry, dsn } from '@smtpkit/extensions';
 * const registry = createRegistry([dsn()]);
 * // registry.parseRcptParams([{ keyword: 'NOTIFY', value: 'SUCCESS,FAILURE' }], ctx)
 * //   → { ok: true, value: { NOTIFY: ['SUCCESS', 'FAILURE'] } }
 * ```
 */
export function dsn() {
  return defineExtension({
    name: 'DSN',
    keyword: 'DSN',
    mailParams: {
      // RFC 3461 §4.3: ret-value = "FULL" / "HDRS"
      RET: param({
        value: 'required',
        lineExtra: 9,
        parse(value) {
          const upper = (value ?? '').toUpperCase();
          if (upper === 'FULL' || upper === 'HDRS') return accept(upper as DsnRet);
          return bad();
        },
        format: (ret: DsnRet) => ret,
      }),
      // RFC 3461 §4.4: envid-parameter = "ENVID=" xtext; "MUST NOT contain more than 100
      // characters".
      ENVID: param({
        value: 'required',
        lineExtra: 107,
        parse(value) {
          if (value === undefined || value.length === 0 || value.length > 100) return bad();
          const decoded = decodeXtext(value);
          if (decoded === undefined || !isPrintableAscii(decoded)) return bad();
          return accept(decoded);
        },
        format: (envid: string) => encodeXtext(envid),
      }),
    },
    rcptParams: {
      NOTIFY: param({
        value: 'required',
        // " NOTIFY=SUCCESS,FAILURE,DELAY"
        lineExtra: 29,
        parse(value) {
          const notify = parseNotify(value ?? '');
          return notify === undefined ? bad() : accept(notify);
        },
        format: (notify: DsnNotify) => notify.join(','),
      }),
      ORCPT: param({
        value: 'required',
        // " ORCPT=" plus at most 500 characters
        lineExtra: 507,
        parse(value, ctx) {
          const orcpt = parseOrcpt(value ?? '', ctx.mailParams?.['SMTPUTF8'] === true);
          return orcpt === undefined ? bad() : accept(orcpt);
        },
        format: (orcpt: OriginalRecipient) => formatOrcpt(orcpt),
      }),
    },
  });
}
