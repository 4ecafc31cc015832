import { describe, expect, it } from 'vitest';
import { addSeconds, compareCalendar, istClock, parseGsonDate, vendorDate, vendorDateTime } from './dates.js';

describe("the suite's own reading of Kapture dates", () => {
  it.each([
    ['Apr 29, 2016 10:37:14 PM', { year: 2016, month: 4, day: 29, hour: 22, minute: 37, second: 14 }],
    ['Mar 3, 2016 1:38:59 PM', { year: 2016, month: 3, day: 3, hour: 13, minute: 38, second: 59 }],
    ['Jan 1, 2026 12:00:00 AM', { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 }],
    ['Dec 31, 2025 12:59:59 PM', { year: 2025, month: 12, day: 31, hour: 12, minute: 59, second: 59 }],
  ])('reads the Gson date %s', (text, clock) => {
    expect(parseGsonDate(text)).toEqual(clock);
  });

  it.each([
    '2016-04-29T17:07:14.259Z',
    '2016-04-29 22:37:14',
    'Apr 29, 2016 22:37:14',
    'Apr 29, 2016 10:37:14\u202fPM',
    'April 29, 2016 10:37:14 PM',
    'Feb 30, 2023 1:00:00 AM',
    'Apr 29 2016 10:37:14 PM',
  ])('refuses %j, which is not Gson', (text) => {
    expect(parseGsonDate(text)).toBeUndefined();
  });

  it('tells a 0-based Calendar month from a 1-based one', () => {
    const created = parseGsonDate('Apr 29, 2016 10:37:14 PM')!;
    const calendar = { year: 2016, month: 3, dayOfMonth: 29, hourOfDay: 22, minute: 37, second: 14 };
    expect(compareCalendar(calendar, created, 0)).toBe('agrees');
    expect(compareCalendar({ ...calendar, month: 4 }, created, 60)).toBe('one-based');
    expect(compareCalendar({ ...calendar, hourOfDay: 9 }, created, 60)).toBe('differs');
  });

  it('writes select bounds in IST', () => {
    const clock = istClock(new Date('2026-11-29T18:45:00.000Z'));
    expect(vendorDateTime(clock)).toBe('2026-11-30 00:15:00');
    expect(vendorDate(addSeconds(clock, -15 * 60 - 1))).toBe('2026-11-29');
  });
});
