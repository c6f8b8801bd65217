import type { BillingPeriod, ContractStatus, CustomerKind, Product, TerminationStatus } from '../../db/schema.ts';
import { addDays } from '../../lib/clock.ts';
import type { MessageKey } from '../../lib/i18n.ts';

/*
 * Ending a contract online (L215-1-1): when it takes effect, who may choose another date,
 * what cannot be terminated, until when a termination is withdrawn. Pure functions of Paris
 * calendar days (`YYYY-MM-DD`, `parisDate(clock.now())` at the caller).
 *
 * The contract's terms: its billing period (`contracts.billing_period`, periods aligned on
 * the calendar — an invoice's first period runs to the end of its month) and a notice period
 * per product. The notice is one month for every product (*unconfirmed*: the operator's
 * general terms may set another; change it here). The effective date is the contract's last
 * day: the end of the billing period in which the notice runs out, or the contract's own end
 * when it comes first.
 */

/** Months of notice, per product. */
export const NOTICE_MONTHS: Record<Product, number> = {
  resident: 1,
  resident_petit_rouleur: 1,
  non_resident: 1,
  moto: 1,
  business: 1,
};

/** How far after the earliest date a business customer may choose (two years). */
export const MAX_LATER_DAYS = 730;

const parts = (day: string) => day.split('-').map(Number) as [number, number, number];
const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The same day `months` later; the month's last day when it has no such day (31 Jan + 1 → 28/29 Feb). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = parts(day);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${year}-${pad(month)}-${pad(Math.min(d, lastDayOfMonth(year, month)))}`;
}

/** A real calendar day written `YYYY-MM-DD`. */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = parts(value);
  return m >= 1 && m <= 12 && d >= 1 && d <= lastDayOfMonth(y, m);
}

/** The last day of the billing period holding `day`: its month, its quarter (Mar, Jun, Sep, Dec) or its year. */
export function periodEnd(day: string, period: BillingPeriod): string {
  const [y, m] = parts(day);
  const month = period === 'monthly' ? m : period === 'quarterly' ? Math.ceil(m / 3) * 3 : 12;
  return `${y}-${pad(month)}-${pad(lastDayOfMonth(y, month))}`;
}

export interface TerminableContract {
  product: Product;
  status: ContractStatus;
  billing_period: BillingPeriod;
  end_date: string | null;
}

/** The earliest effective date (the contract's last day) of a termination asked on `today`. */
export function earliestEffectiveDate(c: TerminableContract, today: string): string {
  const earliest = periodEnd(addMonths(today, NOTICE_MONTHS[c.product]), c.billing_period);
  return c.end_date !== null && c.end_date < earliest ? c.end_date : earliest;
}

/** Only a business customer chooses a later date. */
export const mayChooseDate = (kind: CustomerKind) => kind === 'business';

export type NotTerminable = 'ended' | 'pending';

/** Why this contract cannot be terminated on `today`, or null: already ended, or a termination already under way. */
export function whyNotTerminable(c: TerminableContract, today: string, current: { status: TerminationStatus } | null | undefined): NotTerminable | null {
  if (c.status === 'ended' || (c.end_date !== null && c.end_date < today)) return 'ended';
  if (current && current.status !== 'withdrawn') return 'pending';
  return null;
}

export type ChosenDate = { ok: true; date: string } | { ok: false; key: MessageKey; params?: Record<string, string> };

/**
 * The date a business customer typed (`YYYY-MM-DD`, as a date field sends it): empty is the
 * earliest; never earlier than it, nor after the contract's own end, nor more than two years
 * after the earliest.
 */
export function checkChosenDate(typed: string, earliest: string, endDate: string | null): ChosenDate {
  const value = typed.trim();
  if (value === '') return { ok: true, date: earliest };
  if (!isCalendarDay(value)) return { ok: false, key: 'terminations.error.dateFormat' };
  if (value < earliest) return { ok: false, key: 'terminations.error.dateEarly', params: { date: earliest } };
  const latest = endDate !== null && endDate < addDays(earliest, MAX_LATER_DAYS) ? endDate : addDays(earliest, MAX_LATER_DAYS);
  if (value > latest) return { ok: false, key: 'terminations.error.dateLate', params: { date: latest } };
  return { ok: true, date: value };
}

/** A termination is withdrawn until it takes effect: up to and including the contract's last day, unless already withdrawn. */
export const withdrawable = (t: { status: TerminationStatus; effective_date: string }, today: string) => t.status !== 'withdrawn' && today <= t.effective_date;
