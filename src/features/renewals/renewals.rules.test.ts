import { describe, expect, it } from 'vitest';
import { manualClock, parisDate } from '../../lib/clock.ts';
import { addMonths, chatelDeadline, noticeTiming, noticeWindow, renewalDeadline } from './renewals.rules.ts';

describe('the loi Chatel window (L215-1)', () => {
  // A contract renewing on 1 March 2027: the customer may refuse until 28 February 2027.
  const deadline = renewalDeadline('2027-03-01');
  // The day of a manual clock, in Paris (the window is counted in Paris days).
  const parisDayAt = (iso: string) => parisDate(manualClock(new Date(iso)).now());

  it('the deadline is the day before the renewal, and the window runs from three months to one month before it', () => {
    expect(deadline).toBe('2027-02-28');
    expect(noticeWindow(deadline)).toEqual({ opens: '2026-11-28', closes: '2027-01-28' });
  });

  it('three months before the deadline minus a day: not yet', () => {
    expect(noticeTiming(parisDayAt('2026-11-27T22:59:59.999Z'), deadline)).toBe('not_yet'); // 23:59:59 in Paris on the 27th
  });

  it('the first day of the window (midnight in Paris, still the day before in UTC): due', () => {
    expect(parisDayAt('2026-11-27T23:00:00.000Z')).toBe('2026-11-28');
    expect(noticeTiming(parisDayAt('2026-11-27T23:00:00.000Z'), deadline)).toBe('due');
  });

  it('the last day of the window: due; the day after: late, up to the deadline; after the deadline: past', () => {
    expect(noticeTiming(parisDayAt('2027-01-28T22:59:59.999Z'), deadline)).toBe('due');
    expect(noticeTiming(parisDayAt('2027-01-28T23:00:00.000Z'), deadline)).toBe('late');
    expect(noticeTiming('2027-02-28', deadline)).toBe('late');
    expect(noticeTiming('2027-03-01', deadline)).toBe('past');
  });

  it('months keep the day, or the last day of a shorter month', () => {
    expect(addMonths('2027-05-31', -3)).toBe('2027-02-28');
    expect(addMonths('2028-05-31', -3)).toBe('2028-02-29');
    expect(addMonths('2027-01-15', -1)).toBe('2026-12-15');
    expect(addMonths('2026-12-31', 2)).toBe('2027-02-28');
    // A deadline at a month's end: the window opens at the end of the shorter month.
    expect(noticeWindow('2027-05-31')).toEqual({ opens: '2027-02-28', closes: '2027-04-30' });
  });

  it('only a consumer’s running contract renewed tacitly has a deadline', () => {
    const base = { status: 'active', end_date: null, renewal_date: '2027-03-01', customer_kind: 'individual' } as const;
    expect(chatelDeadline(base)).toBe('2027-02-28');
    expect(chatelDeadline({ ...base, customer_kind: 'business' })).toBeNull();
    expect(chatelDeadline({ ...base, status: 'ended' })).toBeNull();
    expect(chatelDeadline({ ...base, end_date: '2027-02-28' })).toBeNull();
    expect(chatelDeadline({ ...base, renewal_date: null })).toBeNull();
  });
});
