import type { CalendarShape } from '../../src/contract/answers.js';

/**
 * Kapture's date rules, written from the vendor document, independently of the sandbox's own
 * date code (a bug there must not agree with itself here):
 * - a customer's `generationDate` is Java Gson's default format, `MMM d, yyyy h:mm:ss a`, US
 *   English, e.g. `Apr 29, 2016 10:37:14 PM`, in IST;
 * - a contact's `generationDate` is a serialized `java.util.Calendar`, whose `month` is 0-based
 *   (3 = April);
 * - select takes `YYYY-MM-DD` or `YYYY-MM-DD hh:mm:ss`, in IST.
 * Wall-clock times below are IST fields, compared as if they were UTC (no zone arithmetic needed
 * between two IST times).
 */
export type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

export const GSON_FORMAT = 'MMM d, yyyy h:mm:ss a (e.g. "Apr 29, 2016 10:37:14 PM")';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const GSON = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9]|[12]\d|3[01]), (\d{4}) ([1-9]|1[0-2]):([0-5]\d):([0-5]\d) (AM|PM)$/;
const IST_OFFSET_MS = 330 * 60 * 1000;

/** The IST wall clock of a Gson date, or undefined when the text is not in Gson's format (or names no real day). */
export function parseGsonDate(text: unknown): WallClock | undefined {
  if (typeof text !== 'string') return undefined;
  const m = GSON.exec(text);
  if (!m) return undefined;
  const hour12 = Number(m[4]);
  const clock = {
    year: Number(m[3]),
    month: MONTHS.indexOf(m[1]!) + 1,
    day: Number(m[2]),
    hour: (hour12 % 12) + (m[7] === 'PM' ? 12 : 0),
    minute: Number(m[5]),
    second: Number(m[6]),
  };
  return isRealDay(clock) ? clock : undefined;
}

/** A Calendar object as a wall clock, reading its month as 0-based (the rule) or 1-based (the mistake). */
export function calendarClock(calendar: CalendarShape, monthBase: 0 | 1): WallClock {
  return {
    year: calendar.year,
    month: calendar.month + (monthBase === 0 ? 1 : 0),
    day: calendar.dayOfMonth,
    hour: calendar.hourOfDay,
    minute: calendar.minute,
    second: calendar.second,
  };
}

/** Milliseconds of a wall clock taken as UTC: only differences between two of them mean anything. */
export function clockMs(clock: WallClock): number {
  return Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
}

/** The IST wall clock of an instant. */
export function istClock(instant: Date): WallClock {
  return fromMs(instant.getTime() + IST_OFFSET_MS);
}

export function addSeconds(clock: WallClock, seconds: number): WallClock {
  return fromMs(clockMs(clock) + seconds * 1000);
}

/** `YYYY-MM-DD hh:mm:ss`, the select API's date-time form. */
export function vendorDateTime(clock: WallClock): string {
  return `${vendorDate(clock)} ${pad(clock.hour)}:${pad(clock.minute)}:${pad(clock.second)}`;
}

/** `YYYY-MM-DD`, the select API's date form (a whole day). */
export function vendorDate(clock: WallClock): string {
  return `${String(clock.year).padStart(4, '0')}-${pad(clock.month)}-${pad(clock.day)}`;
}

/** `Apr 29, 2016 10:37:14 PM`: for messages that show the expected date. */
export function gsonText(clock: WallClock): string {
  const hour12 = clock.hour % 12 === 0 ? 12 : clock.hour % 12;
  return `${MONTHS[clock.month - 1]} ${clock.day}, ${clock.year} ${hour12}:${pad(clock.minute)}:${pad(clock.second)} ${clock.hour < 12 ? 'AM' : 'PM'}`;
}

export type CalendarVerdict = 'agrees' | 'one-based' | 'differs';

/**
 * Does a Calendar object show the same time as `reference`, within `toleranceSeconds`? When it
 * does only if its month is read as 1-based, the month is the vendor's 0-based mistake turned
 * around: `one-based`.
 */
export function compareCalendar(calendar: CalendarShape, reference: WallClock, toleranceSeconds: number): CalendarVerdict {
  const within = (base: 0 | 1) => Math.abs(clockMs(calendarClock(calendar, base)) - clockMs(reference)) <= toleranceSeconds * 1000;
  if (within(0)) return 'agrees';
  if (within(1)) return 'one-based';
  return 'differs';
}

/** `{year, month, dayOfMonth, ...}` as a Gson-like text, reading the month as 0-based. */
export function describeCalendar(calendar: CalendarShape): string {
  return `${JSON.stringify(calendar)} (month ${calendar.month} read 0-based: ${MONTHS[calendar.month] ?? 'no such month'})`;
}

function fromMs(ms: number): WallClock {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

function isRealDay(clock: WallClock): boolean {
  const d = new Date(Date.UTC(clock.year, clock.month - 1, clock.day));
  return d.getUTCMonth() === clock.month - 1 && d.getUTCDate() === clock.day;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
