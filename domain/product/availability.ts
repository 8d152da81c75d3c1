import { addDays, eachDay } from '../shared/date-range.js';
import { blocks, type Booking } from './booking.events.js';

export interface DayAvailability {
  date: string;
  stock: number;
  reserved: number;
  available: number;
}

/** Units reserved on each date of `from`..`to` (both included) by bookings that block at `now`. */
export function reservedByDay(bookings: Iterable<Booking>, from: string, to: string, now: string): Map<string, number> {
  const reserved = new Map<string, number>();
  for (const date of eachDay(from, to)) reserved.set(date, 0);
  for (const booking of bookings) {
    if (!blocks(booking, now) || booking.to < from || booking.from > to) continue;
    const start = booking.from > from ? booking.from : from;
    const end = booking.to < to ? booking.to : to;
    for (let d = start; d <= end; d = addDays(d, 1)) reserved.set(d, (reserved.get(d) ?? 0) + booking.quantity);
  }
  return reserved;
}

export function availabilityByDay(
  stock: number,
  bookings: Iterable<Booking>,
  from: string,
  to: string,
  now: string,
): DayAvailability[] {
  return [...reservedByDay(bookings, from, to, now)].map(([date, reserved]) => ({
    date,
    stock,
    reserved,
    available: Math.max(0, stock - reserved),
  }));
}

/** The most units reserved on any date from `from` on (0 with no bookings). */
export function peakReservedFrom(bookings: Iterable<Booking>, from: string, now: string): number {
  const relevant = [...bookings].filter((b) => blocks(b, now) && b.to >= from);
  if (relevant.length === 0) return 0;
  const last = relevant.reduce((max, b) => (b.to > max ? b.to : max), from);
  return Math.max(0, ...reservedByDay(relevant, from, last, now).values());
}
