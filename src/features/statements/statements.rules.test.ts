import { describe, expect, it } from 'vitest';
import { formatPercent } from '../../lib/money.ts';
import { chartMonths, discountRateBp, monthIndex, monthOfIndex, monthlyDiscount, parisMonth, statementDiscount } from './statements.rules.ts';

describe('discountRateBp', () => {
  // The table of shared/docs/domain.md, at every boundary.
  const normal: [number, number][] = [
    [0, 2500],
    [1, 2500],
    [2, 2500],
    [3, 2500],
    [4, 2500],
    [5, 2500],
    [6, 2250],
    [7, 2000],
    [8, 1750],
    [9, 1500],
    [10, 1250],
    [11, 1000],
    [12, 750],
    [13, 500],
    [14, 250],
    [15, 0],
    [16, 0],
    [20, 0],
    [31, 0],
  ];
  it.each(normal)('%i exits → %i bp', (exits, bp) => {
    expect(discountRateBp(exits, false)).toBe(bp);
  });

  // The 30 % variant: 30 % at 3 exits or fewer, then the normal table.
  const variant: [number, number][] = [
    [0, 3000],
    [1, 3000],
    [2, 3000],
    [3, 3000],
    [4, 2500],
    [5, 2500],
    [6, 2250],
    [7, 2000],
    [8, 1750],
    [9, 1500],
    [10, 1250],
    [11, 1000],
    [12, 750],
    [13, 500],
    [14, 250],
    [15, 0],
    [16, 0],
    [20, 0],
  ];
  it.each(variant)('with the 30 %% variant, %i exits → %i bp', (exits, bp) => {
    expect(discountRateBp(exits, true)).toBe(bp);
  });

  it('refuses a negative or fractional count', () => {
    expect(() => discountRateBp(-1, false)).toThrow(RangeError);
    expect(() => discountRateBp(2.5, true)).toThrow(RangeError);
  });
});

describe('monthlyDiscount', () => {
  const monthly = { price_ht_cents: 21667, vat_rate_bp: 2000, billing_period: 'monthly' as const };

  it('applies the rate to the monthly price HT, VAT on the discount, TTC the sum', () => {
    // 21 667 × 22,5 % = 4 875,075 → 4 875; VAT 975; TTC 5 850.
    expect(monthlyDiscount(monthly, 2250)).toEqual({ ht: 4875, vat: 975, ttc: 5850 });
    // 21 667 × 25 % = 5 416,75 → 5 417; VAT 1 083,4 → 1 083.
    expect(monthlyDiscount(monthly, 2500)).toEqual({ ht: 5417, vat: 1083, ttc: 6500 });
    // 21 667 × 30 % = 6 500,1 → 6 500.
    expect(monthlyDiscount(monthly, 3000)).toEqual({ ht: 6500, vat: 1300, ttc: 7800 });
    expect(monthlyDiscount(monthly, 0)).toEqual({ ht: 0, vat: 0, ttc: 0 });
  });

  it('spreads a quarterly or yearly price over its months, rounded to the cent', () => {
    // 65 000 / 3 = 21 666,67 → 21 667 a month.
    expect(monthlyDiscount({ ...monthly, price_ht_cents: 65000, billing_period: 'quarterly' }, 2500)).toEqual(
      monthlyDiscount(monthly, 2500),
    );
    // 260 000 / 12 = 21 666,67 → 21 667 a month.
    expect(monthlyDiscount({ ...monthly, price_ht_cents: 260000, billing_period: 'yearly' }, 2250)).toEqual(
      monthlyDiscount(monthly, 2250),
    );
    // 10 000 / 3 = 3 333,33 → 3 333; × 25 % = 833,25 → 833; VAT 166,6 → 167.
    expect(monthlyDiscount({ ...monthly, price_ht_cents: 10000, billing_period: 'quarterly' }, 2500)).toEqual({
      ht: 833,
      vat: 167,
      ttc: 1000,
    });
  });

  it('rounds half away from zero', () => {
    // 10 002 × 25 % = 2 500,5 → 2 501; VAT 500,2 → 500.
    expect(monthlyDiscount({ ...monthly, price_ht_cents: 10002 }, 2500)).toEqual({ ht: 2501, vat: 500, ttc: 3001 });
    // 10 001 × 25 % = 2 500,25 → 2 500.
    expect(monthlyDiscount({ ...monthly, price_ht_cents: 10001 }, 2500).ht).toBe(2500);
    // 10 % VAT: 2 505 × 10 % = 250,5 → 251.
    expect(monthlyDiscount({ price_ht_cents: 10020, vat_rate_bp: 1000, billing_period: 'monthly' }, 2500)).toEqual({
      ht: 2505,
      vat: 251,
      ttc: 2756,
    });
  });
});

describe('formatting and months', () => {
  it('formats rates as French and English do', () => {
    expect(formatPercent(2250, 'fr')).toBe('22,5\u00a0%');
    expect(formatPercent(2500, 'fr')).toBe('25\u00a0%');
    expect(formatPercent(0, 'fr')).toBe('0\u00a0%');
    expect(formatPercent(2250, 'en')).toBe('22.5%');
  });

  it('does month arithmetic and takes the month in Paris', () => {
    expect(monthOfIndex(monthIndex('2026-01') - 1)).toBe('2025-12');
    expect(monthOfIndex(monthIndex('2026-11') + 2)).toBe('2027-01');
    // 23:30 UTC on 31 October is already November in Paris.
    expect(parisMonth(new Date('2026-10-31T23:30:00Z'))).toBe('2026-11');
    expect(parisMonth(new Date('2026-10-31T22:30:00Z'))).toBe('2026-10');
  });

  it('charts at most 24 months, ending with the latest statement up to the current month', () => {
    expect(chartMonths([], '2026-11')).toEqual([]);
    expect(chartMonths(['2026-12'], '2026-11')).toEqual([]);
    expect(chartMonths(['2026-08', '2026-10'], '2026-11')).toEqual(['2026-08', '2026-09', '2026-10']);
    const long = chartMonths(['2020-01', '2026-10', '2026-11'], '2026-11');
    expect(long).toHaveLength(24);
    expect(long[0]).toBe('2024-12');
    expect(long[23]).toBe('2026-11');
  });
});

describe('the discount shown for a month', () => {
  const contract = { price_ht_cents: 21667, vat_rate_bp: 2000, billing_period: 'monthly' as const };
  it('is the one billed when the document carries it (a prorated first month)', () => {
    // 11 days of a 30-day month billed: 25 % of 79,45 € HT = 19,86 € HT, not 25 % of the full month.
    expect(statementDiscount(contract, 2500, 1986)).toEqual({ ht: 1986, vat: 397, ttc: 2383 });
  });
  it('is the rule’s until the month is billed', () => {
    expect(statementDiscount(contract, 2500, null)).toEqual(monthlyDiscount(contract, 2500));
  });
});
