import { DomainError } from './domain-error.js';
import { DateErrors } from './shared.errors.js';

/** Calendar dates as `YYYY-MM-DD` strings (UTC). Pure arithmetic: nothing here reads the clock. */
export type IsoDate = string;

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export function isIsoDate(value: string): boolean {
  const m = PATTERN.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function assertIsoDate(value: string, field: string): void {
  if (!isIsoDate(value))
    throw new DomainError(DateErrors.invalid, `${field} must be a calendar date YYYY-MM-DD`, [
      { field, message: 'must be YYYY-MM-DD' },
    ]);
}

const toMs = (date: IsoDate): number => Date.parse(`${date}T00:00:00.000Z`);

export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(toMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toMs(b) - toMs(a)) / DAY_MS);
}

/** Every date from `from` to `to`, both included. */
export function eachDay(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  return days;
}

/** The calendar date (UTC) of an ISO timestamp. */
export const dateOf = (timestamp: string): IsoDate => timestamp.slice(0, 10);

/** Rental days charged: end minus start, at least 1. */
export const rentalDays = (start: IsoDate, end: IsoDate): number => Math.max(1, daysBetween(start, end));

/** A window of dates `from`..`to`, both included and valid, at most 366 days: else a DATE_INVALID naming `to`. */
export function assertDateWindow(from: IsoDate, to: IsoDate): void {
  assertIsoDate(from, 'from');
  assertIsoDate(to, 'to');
  if (to < from || daysBetween(from, to) > 365)
    throw new DomainError(DateErrors.invalid, 'to must be on or after from, at most 366 days in all', [
      { field: 'to', message: 'from <= to, at most 366 days' },
    ]);
}
