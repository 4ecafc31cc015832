import { afterEach, describe, expect, it } from 'vitest';
import {
  calendarObject,
  gsonCalendarDate,
  gsonDate,
  imageReferenceId,
  isCalendarDate,
  parseVendorDateTime,
} from '../src/vendor/dates.js';

// Instants used below, with their IST wall clock:
//   2016-04-29T17:07:14.259Z = 2016-04-29 22:37:14.259 IST  (the select sample, "Chandran")
//   2016-03-03T08:08:59.631Z = 2016-03-03 13:38:59.631 IST  (the search sample, "Nikesh")
//   2016-03-02T18:30:00.000Z = 2016-03-03 00:00:00.000 IST  (midnight)
//   2016-03-03T06:30:00.000Z = 2016-03-03 12:00:00.000 IST  (noon)
//   2023-12-31T20:00:00.000Z = 2024-01-01 01:30:00.000 IST  (next day, next year, in IST)

describe('gsonDate', () => {
  it.each([
    ['2016-04-29T17:07:14.259Z', 'Apr 29, 2016 10:37:14 PM'],
    ['2016-03-03T08:08:59.631Z', 'Mar 3, 2016 1:38:59 PM'],
    ['2016-03-02T18:30:00.000Z', 'Mar 3, 2016 12:00:00 AM'],
    ['2016-03-02T18:35:09.000Z', 'Mar 3, 2016 12:05:09 AM'],
    ['2016-03-02T19:30:00.000Z', 'Mar 3, 2016 1:00:00 AM'],
    ['2016-03-03T06:29:59.999Z', 'Mar 3, 2016 11:59:59 AM'],
    ['2016-03-03T06:30:00.000Z', 'Mar 3, 2016 12:00:00 PM'],
    ['2016-03-03T07:30:00.000Z', 'Mar 3, 2016 1:00:00 PM'],
    ['2016-03-03T18:29:59.999Z', 'Mar 3, 2016 11:59:59 PM'],
    ['2023-12-31T20:00:00.000Z', 'Jan 1, 2024 1:30:00 AM'],
    ['2024-02-28T19:00:00.000Z', 'Feb 29, 2024 12:30:00 AM'],
    ['2025-12-31T18:29:59.999Z', 'Dec 31, 2025 11:59:59 PM'],
    ['2016-04-29T22:37:14.259+05:30', 'Apr 29, 2016 10:37:14 PM'],
    ['2016-04-29T12:07:14-05:00', 'Apr 29, 2016 10:37:14 PM'],
  ])('%s → %s', (iso, expected) => {
    expect(gsonDate(iso)).toBe(expected);
  });

  it('uses a plain ASCII space before AM/PM (not U+202F as newer JDKs do)', () => {
    const s = gsonDate('2016-04-29T17:07:14.259Z');
    expect(s).toMatch(/^[\x20-\x7e]+$/);
    expect(s.endsWith(' PM')).toBe(true);
  });

  it.each([
    ['2016-04-29T17:07:14'], // no zone: Date would read it in the machine's zone
    ['2016-04-29'],
    ['2016-02-30T00:00:00Z'], // Date.parse would roll this over to Mar 1
    ['2016-01-01T24:00:00Z'],
    ['not a date'],
    [''],
  ])('rejects %j', (iso) => {
    expect(() => gsonDate(iso)).toThrow(RangeError);
  });
});

describe('calendarObject', () => {
  it.each([
    // The select sample's contact: April is month 3.
    ['2016-04-29T17:07:14.259Z', { year: 2016, month: 3, dayOfMonth: 29, hourOfDay: 22, minute: 37, second: 14 }],
    // The search sample's contacts: month 2 (March) and month 3 (April).
    ['2016-03-03T08:08:59.000Z', { year: 2016, month: 2, dayOfMonth: 3, hourOfDay: 13, minute: 38, second: 59 }],
    ['2016-04-15T08:13:33.000Z', { year: 2016, month: 3, dayOfMonth: 15, hourOfDay: 13, minute: 43, second: 33 }],
    ['2016-03-02T18:30:00.000Z', { year: 2016, month: 2, dayOfMonth: 3, hourOfDay: 0, minute: 0, second: 0 }],
    ['2016-03-03T06:30:00.000Z', { year: 2016, month: 2, dayOfMonth: 3, hourOfDay: 12, minute: 0, second: 0 }],
    ['2023-12-31T20:00:00.000Z', { year: 2024, month: 0, dayOfMonth: 1, hourOfDay: 1, minute: 30, second: 0 }],
    ['2025-12-31T18:29:59.999Z', { year: 2025, month: 11, dayOfMonth: 31, hourOfDay: 23, minute: 59, second: 59 }],
  ])('%s', (iso, expected) => {
    expect(calendarObject(iso)).toStrictEqual(expected);
  });

  it('keeps the key order Gson writes', () => {
    expect(Object.keys(calendarObject('2016-04-29T17:07:14.259Z'))).toEqual([
      'year',
      'month',
      'dayOfMonth',
      'hourOfDay',
      'minute',
      'second',
    ]);
  });
});

describe('imageReferenceId', () => {
  it.each([
    ['2016-04-29T17:07:14.259Z', 'CUS_2016-04-29 22:37:14.259'],
    ['2016-03-03T08:08:59.631Z', 'CUS_2016-03-03 13:38:59.631'],
    ['2016-01-04T18:30:00.007Z', 'CUS_2016-01-05 00:00:00.007'],
    ['2016-03-03T06:30:00.050Z', 'CUS_2016-03-03 12:00:00.050'],
    ['2023-12-31T20:00:00.000Z', 'CUS_2024-01-01 01:30:00.000'],
  ])('%s', (iso, ref) => {
    expect(imageReferenceId(iso)).toBe(ref);
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2016-03-31', true],
    ['1990-05-17', true],
    ['2024-02-29', true], // leap year
    ['2000-02-29', true], // divisible by 400: leap
    ['1900-02-29', false], // divisible by 100 only: not leap
    ['2023-02-29', false],
    ['2023-02-30', false],
    ['2023-04-31', false],
    ['2023-12-31', true],
    ['2023-13-01', false],
    ['2023-00-10', false],
    ['2023-01-00', false],
    ['2023-01-32', false],
    ['YYYY-MM-DD', false],
    ['2023-1-01', false],
    ['2023-01-01 00:00:00', false],
    [' 2023-01-01', false],
    ['2023/01/01', false],
    ['', false],
  ])('%j → %s', (s, expected) => {
    expect(isCalendarDate(s)).toBe(expected);
  });
});

describe('parseVendorDateTime', () => {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

  it.each([
    // A date alone covers the whole IST day.
    ['2016-03-31', 'start', '2016-03-30T18:30:00.000Z'],
    ['2016-03-31', 'end', '2016-03-31T18:29:59.999Z'],
    ['2024-02-29', 'start', '2024-02-28T18:30:00.000Z'],
    ['2024-02-29', 'end', '2024-02-29T18:29:59.999Z'],
    ['2024-01-01', 'start', '2023-12-31T18:30:00.000Z'],
    // A date with a time covers that whole second.
    ['2016-03-31 11:20:45', 'start', '2016-03-31T05:50:45.000Z'],
    ['2016-03-31 11:20:45', 'end', '2016-03-31T05:50:45.999Z'],
    ['2016-03-31T11:20:45', 'start', '2016-03-31T05:50:45.000Z'],
    ['2016-03-31 00:00:00', 'start', '2016-03-30T18:30:00.000Z'],
    ['2016-03-31 23:59:59', 'end', '2016-03-31T18:29:59.999Z'],
    ['2016-03-31 04:00:00', 'start', '2016-03-30T22:30:00.000Z'], // still the previous UTC day
  ] as const)('%j as %s → %s', (s, bound, expected) => {
    expect(iso(parseVendorDateTime(s, bound))).toBe(expected);
  });

  it.each([
    '2023-02-30',
    '2023-02-29',
    '2023-13-01',
    '2016-03-31 25:00:00',
    '2016-03-31 24:00:00',
    '2016-03-31 12:60:00',
    '2016-03-31 12:00:60',
    '2016-03-31 11:20',
    '2016-03-31 1:20:45',
    '2016-3-31',
    '2016-03-31Z',
    '2016-03-31T11:20:45Z',
    '2016-03-31 11:20:45.123',
    ' 2016-03-31',
    'YYYY-MM-DD',
    'YYYY-MM-DD hh:mm:ss',
    '',
  ])('rejects %j', (s) => {
    expect(parseVendorDateTime(s, 'start')).toBeUndefined();
    expect(parseVendorDateTime(s, 'end')).toBeUndefined();
  });

  it('makes a one-day range hold the whole IST day and nothing else', () => {
    const start = parseVendorDateTime('2016-03-31', 'start')!;
    const end = parseVendorDateTime('2016-03-31', 'end')!;
    const inRange = (i: string) => Date.parse(i) >= start && Date.parse(i) <= end;
    expect(end - start).toBe(24 * 60 * 60 * 1000 - 1);
    expect(inRange('2016-03-31T05:50:45.112Z')).toBe(true); // 11:20:45 IST
    expect(inRange('2016-03-30T18:30:00.000Z')).toBe(true); // 00:00 IST on the 31st
    expect(inRange('2016-03-31T18:29:59.999Z')).toBe(true); // 23:59:59.999 IST on the 31st
    expect(inRange('2016-03-30T18:29:59.999Z')).toBe(false); // 23:59:59.999 IST on the 30th
    expect(inRange('2016-03-31T18:30:00.000Z')).toBe(false); // 00:00 IST on Apr 1
    expect(inRange('2016-04-29T17:07:14.259Z')).toBe(false);
  });
});

describe('gsonCalendarDate', () => {
  it.each([
    ['1990-05-17', 'May 17, 1990 12:00:00 AM'],
    ['2024-02-29', 'Feb 29, 2024 12:00:00 AM'],
    ['2000-12-01', 'Dec 1, 2000 12:00:00 AM'],
    ['2016-01-09', 'Jan 9, 2016 12:00:00 AM'],
  ])('%s → %s', (ymd, expected) => {
    expect(gsonCalendarDate(ymd)).toBe(expected);
  });

  it.each(['2023-02-29', '1990-5-17', 'YYYY-MM-DD', '1990-05-17 00:00:00'])('rejects %j', (ymd) => {
    expect(() => gsonCalendarDate(ymd)).toThrow(RangeError);
  });
});

describe('independence from the machine time zone', () => {
  const saved = process.env.TZ;
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  it.each(['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Kolkata'])('TZ=%s', (tz) => {
    process.env.TZ = tz;
    expect(gsonDate('2016-04-29T17:07:14.259Z')).toBe('Apr 29, 2016 10:37:14 PM');
    expect(calendarObject('2023-12-31T20:00:00.000Z')).toMatchObject({ year: 2024, month: 0, dayOfMonth: 1 });
    expect(imageReferenceId('2016-04-29T17:07:14.259Z')).toBe('CUS_2016-04-29 22:37:14.259');
    expect(parseVendorDateTime('2016-03-31', 'start')).toBe(Date.parse('2016-03-30T18:30:00.000Z'));
    expect(gsonCalendarDate('1990-05-17')).toBe('May 17, 1990 12:00:00 AM');
  });
});
