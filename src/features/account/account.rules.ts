import { isoDate, parisDate } from '../../lib/clock.ts';

/** The history a customer sees: 5 years with paperless consent, 12 months without (the manual). */
export function historySince(now: Date, paperless: boolean): string {
  // The customer's calendar day is Paris's, not UTC's.
  const d = new Date(`${parisDate(now)}T12:00:00Z`);
  if (paperless) d.setUTCFullYear(d.getUTCFullYear() - 5);
  else d.setUTCMonth(d.getUTCMonth() - 12);
  return isoDate(d);
}
