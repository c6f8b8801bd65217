import type { ContractStatus, CustomerKind } from '../../db/schema.ts';
import { addDays } from '../../lib/clock.ts';

/*
 * Loi Chatel (article L215-1 of the Code de la consommation): for a fixed-term contract renewed
 * tacitly, the professional tells the consumer in writing of the right not to renew, "au plus
 * tôt trois mois et au plus tard un mois avant le terme de la période autorisant le rejet de
 * la reconduction". Every date here is a Paris day (`YYYY-MM-DD`, `parisDate(clock.now())`).
 *
 * How a contract says it is renewed tacitly (as the contracts API already documents it): no
 * `end_date` (the ERP's "null: no end date (tacit renewal)") and a `renewal_date`, the day the
 * next term begins. The customer may refuse the renewal until the day before it: that day is
 * the deadline. A business customer is not a consumer: no notice.
 *
 * After the window's last day the notice is late. The law's consequence (L215-1, alinéa 3): a
 * consumer not told in time may end the contract free of charge at any time from the renewal
 * date, and what they paid for the period after the last renewal date is refunded, less what
 * they used, within thirty days. The job then sends the notice at once and records it late
 * (the back office shows it) — up to the deadline itself; once the deadline has passed the
 * renewal has happened and the ERP sends the next term's `renewal_date`, whose notice comes in
 * its own window.
 */

/** `isoDay` moved by `months` calendar months (negative: before), the day of the month kept or, when that month is shorter, its last day. */
export function addMonths(isoDay: string, months: number): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`;
}

/** The last day the customer may refuse the renewal: the day before the next term begins. */
export const renewalDeadline = (renewalDate: string) => addDays(renewalDate, -1);

/** When a notice may go: from three months before the deadline to one month before it, both days included. */
export function noticeWindow(deadline: string): { opens: string; closes: string } {
  return { opens: addMonths(deadline, -3), closes: addMonths(deadline, -1) };
}

/** Where a Paris day stands for a deadline: before the window, in it, after it (late, up to the deadline), or past the deadline. */
export type NoticeTiming = 'not_yet' | 'due' | 'late' | 'past';

export function noticeTiming(today: string, deadline: string): NoticeTiming {
  const { opens, closes } = noticeWindow(deadline);
  if (today < opens) return 'not_yet';
  if (today <= closes) return 'due';
  if (today <= deadline) return 'late';
  return 'past';
}

export interface RenewableContract {
  status: ContractStatus;
  end_date: string | null;
  renewal_date: string | null;
  customer_kind: CustomerKind;
}

/** The deadline a consumer must be told of, or null: not a running contract renewed tacitly, or not a consumer's. */
export function chatelDeadline(c: RenewableContract): string | null {
  if (c.status !== 'active' || c.end_date !== null || c.renewal_date === null || c.customer_kind !== 'individual') return null;
  return renewalDeadline(c.renewal_date);
}
