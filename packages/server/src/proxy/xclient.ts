import {
  C501ParamSyntaxError,
  C503BadSequence,
  C550MailboxUnavailable,
  createReply,
  type Reply,
} from '@smtpkit/reply';
import { ServerError } from '../server-error.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip-address.js';

/*
 * Postfix XCLIENT_README, "XCLIENT Command syntax":
 *   xclient-command = XCLIENT 1*( SP attribute-name"="attribute-value )
 *   attribute-name  = ( NAME | ADDR | PORT | PROTO | HELO | LOGIN | DESTADDR | DESTPORT )
 *   attribute-value = xtext
 * The README's rules, summarised (not quoted): values are xtext (RFC 1891, now RFC 3461 §4);
 * NAME is a client host name, [UNAVAILABLE], or [TEMPUNAVAIL] after a temporary lookup failure;
 * ADDR is a numerical IPv4 address, an IPv6 address prefixed with "IPV6:", or [UNAVAILABLE];
 * PORT is a decimal TCP port or [UNAVAILABLE]; PROTO is SMTP or ESMTP; HELO and LOGIN are a
 * HELO argument and a SASL login name, or [UNAVAILABLE]; DESTADDR / DESTPORT describe the server
 * end like ADDR / PORT. [UNAVAILABLE], [TEMPUNAVAIL] and IPV6: may come in any case; NAME and
 * HELO values are at most 255 bytes. An unauthorised client gets 550 5.7.0, a bad attribute
 * 501 5.5.4, XCLIENT inside a mail transaction 503 5.5.1, and success a new 220 greeting.
 * RFC 3461 §4: xtext = *( xchar / hexchar ); xchar = "!".."~" except "+" and "=";
 * hexchar = "+" immediately followed by two upper case hexadecimal digits.
 */

/** An XCLIENT attribute value: known, unavailable, or (NAME only) temporarily unavailable. */
export type XclientValue<T> =
  | { readonly kind: 'value'; readonly value: T }
  | { readonly kind: 'unavailable' }
  | { readonly kind: 'tempunavail' };

/** The attributes of one XCLIENT command; absent attributes keep their current value. */
export interface XclientAttributes {
  readonly name?: XclientValue<string>;
  /** Canonical address text (dotted IPv4 or RFC 5952 IPv6, without the `IPV6:` prefix). */
  readonly addr?: XclientValue<string>;
  readonly port?: XclientValue<number>;
  readonly proto?: XclientValue<'SMTP' | 'ESMTP'>;
  readonly helo?: XclientValue<string>;
  readonly login?: XclientValue<string>;
  readonly destaddr?: XclientValue<string>;
  readonly destport?: XclientValue<number>;
}

/**
 * The replies of XCLIENT, named by code, enhanced code and meaning.
 *
 * @example
 * ```ts
 * xclientReplies.R550_5_7_0_XclientNotAuthorized.code; // 550
 * ```
 */
export const xclientReplies = {
  R550_5_7_0_XclientNotAuthorized: createReply(
    C550MailboxUnavailable,
    '5.7.0',
    'Error: insufficient authorization',
  ),
  R501_5_5_4_XclientBadAttribute: createReply(
    C501ParamSyntaxError,
    '5.5.4',
    'Bad XCLIENT attribute',
  ),
  R503_5_5_1_XclientInTransaction: createReply(
    C503BadSequence,
    '5.5.1',
    'Error: MAIL transaction in progress',
  ),
} as const satisfies Record<string, Reply>;

const bad = (message: string): never => {
  throw new ServerError('ERR_SERVER_XCLIENT_SYNTAX', `XCLIENT: ${message}`, {
    reply: xclientReplies.R501_5_5_4_XclientBadAttribute,
  });
};

/**
 * Decodes RFC 3461 xtext; `undefined` when malformed.
 *
 * @example
 * ```ts
 * decodeXtext('mx+2Eexample'); // 'mx.example'
 * ```
 */
export function decodeXtext(text: string): string | undefined {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return undefined;
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 2;
    } else if (c < 0x21 || c > 0x7e || c === 0x3d) return undefined;
    else out += text[i];
  }
  return out;
}

const MAX_VALUE_LENGTH = 255;
const HOST =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;

function special<T>(value: string, allowTemp: boolean): XclientValue<T> | undefined {
  const upper = value.toUpperCase();
  if (upper === '[UNAVAILABLE]') return { kind: 'unavailable' };
  if (allowTemp && upper === '[TEMPUNAVAIL]') return { kind: 'tempunavail' };
  return undefined;
}

function address(value: string): XclientValue<string> {
  const s = special<string>(value, false);
  if (s !== undefined) return s;
  if (value.slice(0, 5).toUpperCase() === 'IPV6:') {
    const v6 = parseIPv6(value.slice(5), { allowIPv4Tail: true }) ?? bad('bad IPv6 address');
    return { kind: 'value', value: formatIPv6(v6) };
  }
  const v4 = parseIPv4(value) ?? bad('bad IPv4 address');
  return { kind: 'value', value: formatIPv4(v4) };
}

function port(value: string): XclientValue<number> {
  const s = special<number>(value, false);
  if (s !== undefined) return s;
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65535) bad('bad port');
  return { kind: 'value', value: Number(value) };
}

function text(value: string, allowTemp: boolean): XclientValue<string> {
  const s = special<string>(value, allowTemp);
  if (s !== undefined) return s;
  if (value.length === 0 || value.length > MAX_VALUE_LENGTH) bad('value empty or over 255 bytes');
  return { kind: 'value', value };
}

/**
 * Parses the argument of an XCLIENT command (everything after `XCLIENT `) into typed
 * attributes. Throws {@link ServerError} `ERR_SERVER_XCLIENT_SYNTAX` carrying 501 5.5.4.
 *
 * @example
 * ```ts
 * parseXclientArguments('NAME=spike.porcupine.org ADDR=168.100.189.2 PROTO=ESMTP');
 * // { name: { kind: 'value', value: 'spike.porcupine.org' }, addr: {...}, proto: {...} }
 * ```
 */
export function parseXclientArguments(argument: string): XclientAttributes {
  if (argument.length === 0) bad('no attributes');
  const out: Record<string, XclientValue<unknown>> = {};
  for (const field of argument.split(' ')) {
    const eq = field.indexOf('=');
    if (eq <= 0) bad(`'${field.slice(0, 32)}' is not name=value`);
    const key = field.slice(0, eq).toLowerCase();
    const value = decodeXtext(field.slice(eq + 1)) ?? bad('value is not xtext');
    if (/[\0\r\n]/.test(value)) bad('control character in value');
    let parsed: XclientValue<unknown>;
    switch (key) {
      case 'name': {
        parsed = text(value, true);
        if (parsed.kind === 'value' && !HOST.test(value)) bad('NAME is not a host name');
        break;
      }
      case 'addr':
      case 'destaddr':
        parsed = address(value);
        break;
      case 'port':
      case 'destport':
        parsed = port(value);
        break;
      case 'proto': {
        const upper = value.toUpperCase();
        if (upper !== 'SMTP' && upper !== 'ESMTP') bad('PROTO must be SMTP or ESMTP');
        parsed = { kind: 'value', value: upper };
        break;
      }
      case 'helo':
      case 'login':
        parsed = text(value, false);
        break;
      default:
        return bad(`unknown attribute '${field.slice(0, eq).slice(0, 32)}'`);
    }
    out[key] = parsed;
  }
  return out as XclientAttributes;
}
