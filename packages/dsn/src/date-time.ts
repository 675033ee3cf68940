import { DsnError } from './dsn-error.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number): string => String(n).padStart(2, '0');

/** A caller's time (a Date or epoch ms) as a valid Date, or a misuse error naming `what`. */
export function toDate(time: Date | number, what: string): Date {
  const date = typeof time === 'number' ? new Date(time) : time;
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new DsnError('ERR_DSN_MISUSE_OPTION', `${what} is not a valid time`);
  }
  return date;
}

/**
 * RFC 5322 §3.3 `date-time = [ day-of-week "," ] date time [CFWS]`, written in UTC with the
 * numeric zone `+0000`: RFC 3464 §2.2.5 and §2.3.7 require "Numeric timezones ([+/-]HHMM format)".
 * Seconds precision (milliseconds are dropped).
 */
export function formatDateTime(date: Date): string {
  return (
    `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ` +
    `${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:` +
    `${two(date.getUTCSeconds())} +0000`
  );
}

// RFC 5322 §4.3 obs-zone: the US zones and "UT"/"GMT"; military zones carry no information.
const NAMED_ZONES: Readonly<Record<string, number>> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  est: -5 * 60,
  edt: -4 * 60,
  cst: -6 * 60,
  cdt: -5 * 60,
  mst: -7 * 60,
  mdt: -6 * 60,
  pst: -8 * 60,
  pdt: -7 * 60,
};

const DATE_TIME =
  /^\s*(?:[A-Za-z]{3},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[A-Za-z]{1,5})?\s*$/;

/**
 * Reads an RFC 5322 §3.3 date-time, obsolete forms included (two-digit years, named zones,
 * comments): a Date, or undefined when the text is not one.
 */
export function parseDateTime(text: string): Date | undefined {
  // Comments (RFC 5322 §3.2.2) are dropped; a bounded, non-nested removal suffices for dates.
  const m = DATE_TIME.exec(text.replace(/\([^()]*\)/g, ' '));
  if (m === null) return undefined;
  const [, day, monthName, yearText, hh, mm, ss, zone] = m;
  const month = MONTHS.findIndex((name) => name.toLowerCase() === monthName?.toLowerCase());
  if (month < 0) return undefined;
  let year = Number(yearText);
  // RFC 5322 §4.3: a two-digit year is 19xx from 50, 20xx below; three digits add 1900.
  if ((yearText?.length ?? 0) === 2) year += year < 50 ? 2000 : 1900;
  else if ((yearText?.length ?? 0) === 3) year += 1900;
  let offset = 0;
  if (zone !== undefined) {
    if (zone[0] === '+' || zone[0] === '-') {
      const minutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5));
      offset = zone[0] === '-' ? -minutes : minutes;
    } else offset = NAMED_ZONES[zone.toLowerCase()] ?? 0;
  }
  const hours = Number(hh);
  const minutes = Number(mm);
  const seconds = ss === undefined ? 0 : Number(ss);
  const dayOfMonth = Number(day);
  if (hours > 23 || minutes > 59 || seconds > 60 || dayOfMonth < 1 || dayOfMonth > 31) {
    return undefined;
  }
  const utc = Date.UTC(year, month, dayOfMonth, hours, minutes, Math.min(seconds, 59));
  const date = new Date(utc - offset * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
