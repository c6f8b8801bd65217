import { describe, expect, it } from 'vitest';
import { documentTotals, formatMoney, lineAmounts, roundCents, vatOf } from './money.ts';

describe('money', () => {
  it('rounds half away from zero', () => {
    expect(roundCents(2.5)).toBe(3);
    expect(roundCents(-2.5)).toBe(-3);
    expect(roundCents(2.4999)).toBe(2);
  });

  it('computes VAT at 20 % on cents', () => {
    expect(vatOf(17733, 2000)).toBe(3547); // 35,466 → 35,47
    expect(vatOf(100, 2000)).toBe(20);
  });

  it('computes a line from quantity in thousandths', () => {
    expect(lineAmounts(21667, 1000, 2000)).toEqual({ total_ht_cents: 21667, total_vat_cents: 4333, total_ttc_cents: 26000 });
    // 23 days of 31: 0.742 of a month
    expect(lineAmounts(21667, 742, 2000).total_ht_cents).toBe(16077);
  });

  it('totals VAT per rate, not per line', () => {
    const t = documentTotals([
      { total_ht_cents: 16076, vat_rate_bp: 2000 },
      { total_ht_cents: 1657, vat_rate_bp: 2000 },
    ]);
    expect(t).toMatchObject({ total_ht_cents: 17733, total_vat_cents: 3547, total_ttc_cents: 21280 });
    expect(t.byRate).toEqual([{ rate_bp: 2000, ht_cents: 17733, vat_cents: 3547 }]);
  });

  it('formats euros the French way and the English way', () => {
    expect(formatMoney(21280, 'fr').replace(/\s/g, ' ')).toBe('212,80 €');
    expect(formatMoney(123456, 'fr').replace(/\s/g, ' ')).toBe('1 234,56 €');
    expect(formatMoney(21280, 'en')).toBe('€212.80');
  });
});
