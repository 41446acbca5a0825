/**
 * The span a log-search date names, against Date.parse of the same instant in ISO 8601
 * form: every year from 0000 to 9999 is that year (Date.UTC alone reads 0 to 99 as 1900 to
 * 1999), a day is 24 hours, an instant without seconds its minute.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateSpan } from '../../src/log-search/dates.js';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

describe('dateSpan', () => {
  it('names the year, month, day and minute written, for every four-digit year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9998 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (year, month, day, hour, minute) => {
          const y = pad(year, 4);
          const ymd = `${y}-${pad(month, 2)}-${pad(day, 2)}`;
          const at = (iso: string) => Date.parse(iso);
          expect(dateSpan(y)).toEqual({
            start: at(`${y}-01-01T00:00:00Z`),
            end: at(`${pad(year + 1, 4)}-01-01T00:00:00Z`),
          });
          expect(dateSpan(ymd)?.start).toBe(at(`${ymd}T00:00:00Z`));
          expect(dateSpan(`${y}-${pad(month, 2)}`)?.start).toBe(
            at(`${y}-${pad(month, 2)}-01T00:00:00Z`),
          );
          const minuteText = `${ymd}T${pad(hour, 2)}:${pad(minute, 2)}`;
          expect(dateSpan(`${minuteText}Z`)).toEqual({
            start: at(`${minuteText}:00Z`),
            end: at(`${minuteText}:00Z`) + 60_000,
          });
        },
      ),
    );
  });

  it('refuses a day the calendar does not have', () => {
    expect(dateSpan('0050-02-30')).toBeUndefined();
    expect(dateSpan('2024-02-30')).toBeUndefined();
    expect(dateSpan('2024-02-29')).toBeDefined();
  });
});
