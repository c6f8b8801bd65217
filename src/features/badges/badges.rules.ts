import type { BadgeReason, BadgeReplacementStatus } from '../../db/schema.ts';

/*
 * A badge reported lost, stolen or broken, and its replacement: pure rules.
 *   blocked → awaiting_payment (ordered at the product's fee) → paid → handed_over | posted
 */

export const BADGE_REASONS = ['lost', 'stolen', 'broken'] as const satisfies readonly BadgeReason[];

/** States in which the customer may still order (or pay again for) the replacement. */
export const orderable = (s: BadgeReplacementStatus) => s === 'blocked' || s === 'awaiting_payment';

/** States in which the replacement is settled: the new badge is the contract's. */
export const completed = (s: BadgeReplacementStatus) => s === 'handed_over' || s === 'posted';

/** A broken badge is handed back (the car park recycles it); a lost or stolen one cannot be. */
export const mustReturnOldBadge = (reason: BadgeReason) => reason === 'broken';

/** The new badge's number as customer service types it: trimmed, upper case, 1–40 letters, digits, '-' or '.'. */
export function newBadgeNumber(typed: string): string | null {
  const v = typed.trim().toUpperCase();
  return /^[A-Z0-9][A-Z0-9.-]{0,39}$/.test(v) ? v : null;
}

/** A fee as typed in the settings, in euros ("15", "15,50", "15.5"): cents, or null when not a sensible fee (0–500 €). */
export function feeCents(typed: string): number | null {
  const m = /^\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*(?:€)?\s*$/.exec(typed);
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return cents <= 50_000 ? cents : null;
}
