import {
  decodeXtext,
  encodeXtext,
  formatOrcpt,
  isWireError,
  type OriginalRecipient,
  parseOrcpt,
} from '@smtpkit/wire';
import { defineExtension, param } from '../define-extension.js';
import { extensionReplies } from '../extension-replies.js';
import { accept, reject } from '../outcome.js';

/** RFC 3461 §4.1 notify-list-element. */
export type DsnNotifyCondition = 'SUCCESS' | 'FAILURE' | 'DELAY';

/** RFC 3461 §4.1: `NEVER` alone, or one or more conditions (deduplicated, in the order sent). */
export type DsnNotify = readonly ['NEVER'] | readonly DsnNotifyCondition[];

/** RFC 3461 §4.3 RET value. */
export type DsnRet = 'FULL' | 'HDRS';

export type { OriginalRecipient };

const bad = () => reject(extensionReplies.R501_5_5_4_InvalidParameterValue);

// RFC 3461 §4.4 (ENVID) and §4.2 (ORCPT): the decoded value "MUST consist entirely of printable
// (graphic and white space) characters from the US-ASCII repertoire".
function isPrintableAscii(text: string): boolean {
  return isPrintable(text, false);
}

/** Printable US-ASCII, and with `utf8` also non-ASCII text past the C1 controls. */
function isPrintable(text: string, utf8: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || (c > 0x7e && (!utf8 || c < 0xa0))) return false;
  }
  return true;
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

// RFC 3461 §4.2 (via @smtpkit/wire's codec): original-recipient-address = addr-type ";" xtext,
// with the RFC 6533 utf-8 forms (unitext only while SMTPUTF8 is in effect). On top of the codec:
// "the ORCPT parameter MUST NOT exceed 500 characters" (checked on the encoded form, which is
// what travels), and a non-utf-8 address decodes to printable ASCII.
function orcptValue(value: string, smtputf8: boolean): OriginalRecipient | undefined {
  if (value.length > 500) return undefined;
  let orcpt: OriginalRecipient;
  try {
    orcpt = parseOrcpt(value, { smtputf8 });
  } catch (e) {
    if (isWireError(e)) return undefined;
    throw e;
  }
  // RFC 3461 §4.2: printable US-ASCII; under SMTPUTF8, RFC 6531 §3.3 adds UTF8-non-ascii.
  if (orcpt.addrType !== 'utf-8' && !isPrintable(orcpt.address, smtputf8)) return undefined;
  return orcpt;
}

function envidValue(value: string): string | undefined {
  try {
    return decodeXtext(value);
  } catch (e) {
    if (isWireError(e)) return undefined;
    throw e;
  }
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
          const decoded = envidValue(value);
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
          const orcpt = orcptValue(value ?? '', ctx.mailParams?.['SMTPUTF8'] === true);
          return orcpt === undefined ? bad() : accept(orcpt);
        },
        format: (orcpt: OriginalRecipient) => formatOrcpt(orcpt),
      }),
    },
  });
}
