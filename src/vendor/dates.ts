/**
 * Date handling in Indian Standard Time (UTC+05:30, no daylight saving), the zone Kapture accounts
 * run in. Pure functions, no dependencies.
 *
 * All arithmetic is done with the UTC getters of a Date shifted by +5h30, never with Intl or the
 * process time zone, so results are the same on every machine whatever `TZ` says.
 *
 * Instants are taken as ISO 8601 strings that carry an explicit offset (`Z` or `±hh:mm`); a string
 * without one would be read in the machine's local zone by `Date`, so it is rejected.
 */

/** IST offset from UTC, in milliseconds. */
export const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** An ISO 8601 instant with an explicit zone designator. */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** Wall-clock fields of an instant in IST. `month` is 1-based here. */
type IstFields = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
};

/** Epoch ms of an ISO instant, or NaN. Rejects what `Date.parse` would roll over (Feb 30, 24:00). */
function parseInstant(iso: string): number {
  const m = typeof iso === 'string' ? ISO_INSTANT.exec(iso) : null;
  if (!m) return NaN;
  const [, y, mo, d, h, mi, sec = '0', oh = '0', om = '0'] = m;
  if (!validYmd(Number(y), Number(mo), Number(d))) return NaN;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59 || Number(oh) > 23 || Number(om) > 59) return NaN;
  return Date.parse(iso);
}

function istFields(iso: string): IstFields {
  const ms = parseInstant(iso);
  if (Number.isNaN(ms)) {
    throw new RangeError(`not a valid ISO 8601 instant with a zone designator: ${JSON.stringify(iso)}`);
  }
  const d = new Date(ms + IST_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
  };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function monthName(month1: number): string {
  const name = MONTHS[month1 - 1];
  if (name === undefined) throw new RangeError(`month out of range: ${month1}`);
  return name;
}

/** Gson's default `MMM d, yyyy h:mm:ss a` (US English, ASCII space before AM/PM). */
function formatGson(f: Pick<IstFields, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'>): string {
  const h12 = f.hour % 12 === 0 ? 12 : f.hour % 12;
  const ampm = f.hour < 12 ? 'AM' : 'PM';
  return `${monthName(f.month)} ${f.day}, ${pad(f.year, 4)} ${h12}:${pad(f.minute)}:${pad(f.second)} ${ampm}`;
}

/**
 * Java Gson's default Date format, in IST: `2016-04-29T17:07:14.259Z` → `"Apr 29, 2016 10:37:14 PM"`.
 * @throws RangeError when `iso` is not an ISO 8601 instant with a zone designator.
 */
export function gsonDate(iso: string): string {
  return formatGson(istFields(iso));
}

/** A serialized `java.util.Calendar` as Gson writes it. `month` is 0-based (April = 3). */
export type CalendarObject = {
  year: number;
  month: number;
  dayOfMonth: number;
  hourOfDay: number;
  minute: number;
  second: number;
};

/**
 * The instant as a serialized `java.util.Calendar` in IST, month 0-based:
 * `2016-04-29T17:07:14.259Z` → `{year:2016, month:3, dayOfMonth:29, hourOfDay:22, minute:37, second:14}`.
 * @throws RangeError when `iso` is not an ISO 8601 instant with a zone designator.
 */
export function calendarObject(iso: string): CalendarObject {
  const f = istFields(iso);
  return {
    year: f.year,
    month: f.month - 1,
    dayOfMonth: f.day,
    hourOfDay: f.hour,
    minute: f.minute,
    second: f.second,
  };
}

/** `yyyy-MM-dd HH:mm:ss` in IST. */
function formatIst(f: IstFields): string {
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
}

/**
 * A customer's `imageReferenceId`: `CUS_` and the IST creation time with milliseconds,
 * `"CUS_2016-04-29 22:37:14.259"`.
 * @throws RangeError when `iso` is not an ISO 8601 instant with a zone designator.
 */
export function imageReferenceId(iso: string): string {
  const f = istFields(iso);
  return `CUS_${formatIst(f)}.${pad(f.millisecond, 3)}`;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month1: number): number {
  switch (month1) {
    case 2:
      return isLeapYear(year) ? 29 : 28;
    case 4:
    case 6:
    case 9:
    case 11:
      return 30;
    default:
      return 31;
  }
}

function validYmd(year: number, month1: number, day: number): boolean {
  return month1 >= 1 && month1 <= 12 && day >= 1 && day <= daysInMonth(year, month1);
}

const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * True when `s` is exactly `YYYY-MM-DD` and names a real day of the (proleptic) Gregorian calendar:
 * `2024-02-29` yes, `2023-02-29`, `2023-02-30`, `2023-13-01` no.
 */
export function isCalendarDate(s: string): boolean {
  if (typeof s !== 'string') return false;
  const m = CALENDAR_DATE.exec(s);
  if (!m) return false;
  return validYmd(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Epoch ms of an IST wall-clock time (month 1-based). Safe for years 0–99, unlike `Date.UTC`. */
function istWallClockToEpoch(
  year: number,
  month1: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month1 - 1, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime() - IST_OFFSET_MS;
}

const VENDOR_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2}))?$/;

/**
 * Parses a date bound as the vendor's select API takes it, in IST, to epoch milliseconds.
 *
 * Accepts `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss` (24-hour) and `YYYY-MM-DDThh:mm:ss`.
 * - A date alone means the whole day: `start` → 00:00:00.000 IST, `end` → 23:59:59.999 IST, so a
 *   one-day range (`2016-03-31` to `2016-03-31`) includes every record of that day.
 * - A date with a time means that whole second: `start` → hh:mm:ss.000, `end` → hh:mm:ss.999, so the
 *   `generationDate` shown in an answer (which has no milliseconds) can be used as an inclusive bound.
 *
 * Returns undefined for anything malformed or impossible (`2023-02-30`, `25:00:00`, `12:60:00`).
 */
export function parseVendorDateTime(s: string, bound: 'start' | 'end'): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = VENDOR_DATE_TIME.exec(s);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!validYmd(year, month, day)) return undefined;
  const end = bound === 'end';
  if (m[4] === undefined) {
    return end
      ? istWallClockToEpoch(year, month, day, 23, 59, 59, 999)
      : istWallClockToEpoch(year, month, day, 0, 0, 0, 0);
  }
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  return istWallClockToEpoch(year, month, day, hour, minute, second, end ? 999 : 0);
}

/**
 * A `YYYY-MM-DD` calendar date (a date of birth, an anniversary) in Gson's format at midnight:
 * `"1990-05-17"` → `"May 17, 1990 12:00:00 AM"`.
 * @throws RangeError when `ymd` is not a real `YYYY-MM-DD` date.
 */
export function gsonCalendarDate(ymd: string): string {
  const m = CALENDAR_DATE.exec(ymd);
  if (!m || !isCalendarDate(ymd)) throw new RangeError(`not a YYYY-MM-DD calendar date: ${JSON.stringify(ymd)}`);
  return formatGson({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: 0, minute: 0, second: 0 });
}

/** Everything the vendor shapes need of one creation instant (what test/dates.test.ts checks of each part). */
export type PresentedInstant = { gson: string; calendar: CalendarObject; imageReferenceId: string };

export function presentInstant(iso: string): PresentedInstant {
  return { gson: gsonDate(iso), calendar: calendarObject(iso), imageReferenceId: imageReferenceId(iso) };
}
