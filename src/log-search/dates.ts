/**
 * Dates in log search: a year, a month, a day or an instant (UTC unless the instant says
 * otherwise), each standing for the span of time it names, so `date:2024-05-01` is that
 * whole day and `date:[2024-05-01 TO 2024-05-31]` ends with the last millisecond of May 31.
 *
 * @internal
 * @module
 */

/** The span a date value names: `[start, end)` in milliseconds since the epoch. */
export interface DateSpan {
  readonly start: number;
  readonly end: number;
}

const YEAR = /^(\d{4})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The span `text` names, or `undefined` when it is not a date. */
export function dateSpan(text: string): DateSpan | undefined {
  let match = YEAR.exec(text);
  if (match) {
    const year = Number(match[1]);
    return span(utc(year, 0, 1), utc(year + 1, 0, 1), year, 0, 1);
  }
  match = MONTH.exec(text);
  if (match) {
    const [year, month] = [Number(match[1]), Number(match[2]) - 1];
    return span(utc(year, month, 1), utc(year, month + 1, 1), year, month, 1);
  }
  match = DAY.exec(text);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
    return span(utc(year, month, day), utc(year, month, day + 1), year, month, day);
  }
  match = INSTANT.exec(text);
  if (match) {
    const [, y, mo, d, h, mi, s, ms, zone] = match;
    const year = Number(y);
    const month = Number(mo) - 1;
    const day = Number(d);
    const [hour, minute, second] = [Number(h), Number(mi), Number(s ?? 0)];
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    const local = utc(year, month, day, hour, minute, second, Number((ms ?? '0').padEnd(3, '0')));
    const offset = zoneOffsetMs(zone);
    if (offset === undefined) return undefined;
    // Without seconds the instant names its minute, without milliseconds its second.
    const unit = s === undefined ? 60_000 : ms === undefined ? 1_000 : 1;
    return span(local - offset, local - offset + unit, year, month, day);
  }
  return undefined;
}

/** `[start, end)` if the calendar date is real (no February 30), else `undefined`. */
function span(
  start: number,
  end: number,
  year: number,
  month: number,
  day: number,
): DateSpan | undefined {
  if (month < 0 || month > 11 || day < 1) return undefined;
  const check = new Date(utc(year, month, day));
  if (check.getUTCMonth() !== month || check.getUTCDate() !== day) return undefined;
  return { start, end };
}

/**
 * `Date.UTC` for every year as written: `Date.UTC` alone reads the years 0 to 99 as 1900
 * to 1999. Months and days past their end roll over as with `Date.UTC`.
 */
function utc(year: number, month: number, day: number, ...time: number[]): number {
  const [hour = 0, minute = 0, second = 0, ms = 0] = time;
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

function zoneOffsetMs(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0;
  const digits = zone.replace(':', '');
  const hours = Number(digits.slice(1, 3));
  const minutes = Number(digits.slice(3, 5));
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}
