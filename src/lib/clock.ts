import { randomUUID } from 'node:crypto';

/** Time source. Production uses the system clock; tests move a manual one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function manualClock(start: Date = new Date()): Clock & { advance(ms: number): void; set(d: Date): void } {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms) => {
      t += ms;
    },
    set: (d) => {
      t = d.getTime();
    },
  };
}

export const nowIso = (clock: Clock) => clock.now().toISOString();
export const newId = () => randomUUID();

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `YYYY-MM-DD` of a Date in UTC. */
export const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** The calendar day `days` after `isoDay` (`YYYY-MM-DD`; negative: before). */
export const addDays = (isoDay: string, days: number) => isoDate(new Date(Date.parse(`${isoDay}T00:00:00Z`) + days * DAY));

/** `YYYY-MM-DD` of the calendar day in Paris at that instant (customers' days are Paris days). */
const parisDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
export const parisDate = (d: Date) => parisDay.format(d);
