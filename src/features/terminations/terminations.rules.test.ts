import { describe, expect, it } from 'vitest';
import { manualClock, parisDate } from '../../lib/clock.ts';
import { addMonths, checkChosenDate, earliestEffectiveDate, isCalendarDay, periodEnd, whyNotTerminable, withdrawable } from './terminations.rules.ts';

const contract = (over: Partial<Parameters<typeof earliestEffectiveDate>[0]> = {}) => ({
  product: 'resident' as const,
  status: 'active' as const,
  billing_period: 'monthly' as const,
  end_date: null,
  ...over,
});

/** The Paris day of an instant on a manual clock, as the service reads it. */
const parisDayAt = (iso: string) => parisDate(manualClock(new Date(iso)).now());

describe('termination rules', () => {
  it('adds months, keeping to the month’s last day', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
  });

  it('ends a billing period at the end of its month, quarter or year', () => {
    expect(periodEnd('2026-11-01', 'monthly')).toBe('2026-11-30');
    expect(periodEnd('2027-02-10', 'monthly')).toBe('2027-02-28');
    expect(periodEnd('2027-03-31', 'quarterly')).toBe('2027-03-31');
    expect(periodEnd('2027-04-01', 'quarterly')).toBe('2027-06-30');
    expect(periodEnd('2027-01-01', 'yearly')).toBe('2027-12-31');
  });

  it('takes effect at the end of the billing period in which the month’s notice runs out, on the Paris day', () => {
    // 30 November, 23:59 in Paris (22:59 UTC): notice to 30 December, end of December.
    expect(earliestEffectiveDate(contract(), parisDayAt('2026-11-30T22:59:00Z'))).toBe('2026-12-31');
    // One minute later it is 1 December in Paris (still 30 November in UTC): end of January.
    expect(earliestEffectiveDate(contract(), parisDayAt('2026-11-30T23:00:00Z'))).toBe('2027-01-31');
    // Last day of a month, the next month shorter.
    expect(earliestEffectiveDate(contract(), '2027-01-31')).toBe('2027-02-28');
    // Quarterly: notice to 31 March stays in the first quarter; to 1 April moves to June.
    expect(earliestEffectiveDate(contract({ billing_period: 'quarterly' }), '2027-02-28')).toBe('2027-03-31');
    expect(earliestEffectiveDate(contract({ billing_period: 'quarterly' }), '2027-03-01')).toBe('2027-06-30');
    expect(earliestEffectiveDate(contract({ billing_period: 'yearly' }), '2027-11-30')).toBe('2027-12-31');
    expect(earliestEffectiveDate(contract({ billing_period: 'yearly' }), '2027-12-01')).toBe('2028-12-31');
  });

  it('never runs past the contract’s own end', () => {
    expect(earliestEffectiveDate(contract({ end_date: '2026-12-15' }), '2026-11-27')).toBe('2026-12-15');
    expect(earliestEffectiveDate(contract({ end_date: '2026-12-31' }), '2026-11-27')).toBe('2026-12-31');
  });

  it('refuses an ended contract and one already being terminated', () => {
    expect(whyNotTerminable(contract({ status: 'ended' }), '2026-11-27', null)).toBe('ended');
    expect(whyNotTerminable(contract({ end_date: '2026-11-26' }), '2026-11-27', null)).toBe('ended');
    expect(whyNotTerminable(contract({ end_date: '2026-11-27' }), '2026-11-27', null)).toBeNull();
    expect(whyNotTerminable(contract(), '2026-11-27', { status: 'requested' })).toBe('pending');
    expect(whyNotTerminable(contract(), '2026-11-27', { status: 'processed' })).toBe('pending');
    expect(whyNotTerminable(contract(), '2026-11-27', { status: 'withdrawn' })).toBeNull();
    expect(whyNotTerminable(contract({ status: 'suspended' }), '2026-11-27', null)).toBeNull();
  });

  it('lets a business customer choose a later date, never an earlier one', () => {
    expect(checkChosenDate('', '2026-12-31', null)).toEqual({ ok: true, date: '2026-12-31' });
    expect(checkChosenDate('2026-12-31', '2026-12-31', null)).toEqual({ ok: true, date: '2026-12-31' });
    expect(checkChosenDate('2026-12-30', '2026-12-31', null)).toMatchObject({ ok: false, key: 'terminations.error.dateEarly', params: { date: '2026-12-31' } });
    expect(checkChosenDate('2027-03-15', '2026-12-31', null)).toEqual({ ok: true, date: '2027-03-15' });
    expect(checkChosenDate('2028-12-30', '2026-12-31', null)).toEqual({ ok: true, date: '2028-12-30' });
    expect(checkChosenDate('2028-12-31', '2026-12-31', null)).toMatchObject({ ok: false, key: 'terminations.error.dateLate', params: { date: '2028-12-30' } });
    expect(checkChosenDate('2027-06-30', '2026-12-31', '2027-06-30')).toEqual({ ok: true, date: '2027-06-30' });
    expect(checkChosenDate('2027-07-01', '2026-12-31', '2027-06-30')).toMatchObject({ ok: false, key: 'terminations.error.dateLate' });
    expect(checkChosenDate('31/12/2026', '2026-12-31', null)).toMatchObject({ ok: false, key: 'terminations.error.dateFormat' });
    expect(checkChosenDate('2027-02-29', '2026-12-31', null)).toMatchObject({ ok: false, key: 'terminations.error.dateFormat' });
    expect(isCalendarDay('2028-02-29')).toBe(true);
  });

  it('is withdrawn until its effective date, included', () => {
    expect(withdrawable({ status: 'requested', effective_date: '2026-12-31' }, '2026-12-31')).toBe(true);
    expect(withdrawable({ status: 'processed', effective_date: '2026-12-31' }, '2026-12-31')).toBe(true);
    expect(withdrawable({ status: 'requested', effective_date: '2026-12-31' }, '2027-01-01')).toBe(false);
    expect(withdrawable({ status: 'withdrawn', effective_date: '2026-12-31' }, '2026-12-01')).toBe(false);
  });
});
