import type { IsoDate } from '../shared/date-range.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * The calendar date an instant falls on in an IANA time zone (the shop's `SHOP_TIMEZONE`): what the
 * reports count a capture, a pickup or a sign-up under. Pure: the zone rules are Node's ICU data,
 * so daylight saving changes and leap days are the calendar's, never arithmetic on offsets.
 */
export function localDay(timestamp: string, timeZone: string): IsoDate {
  let format = formats.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(new Date(timestamp));
}
