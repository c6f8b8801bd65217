import { memoized } from './memo.js';
/*
 * Money is integer cents; VAT rates are basis points (2000 = 20 %).
 * Rounding is half away from zero, to the cent, as French invoices do.
 */
/** Rounds a (possibly fractional) number of cents to an integer, half away from zero. */
export function roundCents(x) {
    return Math.sign(x) * Math.round(Math.abs(x) + Number.EPSILON * Math.abs(x));
}
export function vatOf(htCents, rateBp) {
    return roundCents((htCents * rateBp) / 10_000);
}
/** Amounts of one invoice line: quantity in thousandths × unit price HT, VAT at the line's rate. */
export function lineAmounts(unitPriceHtCents, quantityMilli, rateBp) {
    const ht = roundCents((unitPriceHtCents * quantityMilli) / 1000);
    const vat = vatOf(ht, rateBp);
    return { total_ht_cents: ht, total_vat_cents: vat, total_ttc_cents: ht + vat };
}
/**
 * Totals of a document: HT summed, VAT computed once per rate on the HT of that rate
 * (the per-rate breakdown an invoice must show), TTC = HT + VAT.
 */
export function documentTotals(lines) {
    const byRate = new Map();
    for (const l of lines)
        byRate.set(l.vat_rate_bp, (byRate.get(l.vat_rate_bp) ?? 0) + l.total_ht_cents);
    const rates = [...byRate.entries()]
        .sort(([a], [b]) => a - b)
        .map(([rate_bp, ht_cents]) => ({ rate_bp, ht_cents, vat_cents: vatOf(ht_cents, rate_bp) }));
    const ht = rates.reduce((s, r) => s + r.ht_cents, 0);
    const vat = rates.reduce((s, r) => s + r.vat_cents, 0);
    return { total_ht_cents: ht, total_vat_cents: vat, total_ttc_cents: ht + vat, byRate: rates };
}
/**
 * Intl formatters are costly to build: one per language and kind, made once. Formatting costs
 * microseconds too, and a history page shows hundreds of amounts: each result is kept
 * (`memoized`).
 */
const perLanguage = (make) => ({
    fr: memoized(make('fr-FR')),
    en: memoized(make('en-GB')),
});
/** `\u202f` (narrow no-break space, Intl's French group separator) as a plain no-break space. */
const nbsp = (s) => s.replace(/\u202f/g, '\u00a0');
const currency = perLanguage((l) => {
    const f = new Intl.NumberFormat(l, { style: 'currency', currency: 'EUR' });
    return (cents) => f.format(cents / 100);
});
const percent = perLanguage((l) => {
    const f = new Intl.NumberFormat(l, { style: 'percent', maximumFractionDigits: 2 });
    return (bp) => nbsp(f.format(bp / 10_000));
});
const amount = perLanguage((l) => {
    const f = new Intl.NumberFormat(l, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    return (cents) => nbsp(f.format(cents / 100));
});
/** `212,80 €` in French, `€212.80` in English. */
export function formatMoney(cents, lang) {
    return currency[lang](cents);
}
/** `formatMoney` with ordinary spaces, for the text of an e-mail. */
export function formatMoneyPlain(cents, lang) {
    return formatMoney(cents, lang).replace(/\u202f/g, ' ');
}
/** A rate in basis points: `22,5 %` in French, `22.5%` in English. */
export function formatPercent(bp, lang) {
    return percent[lang](bp);
}
/** An amount without the currency sign, as in the documents table: `212,80` / `212.80`. */
export function formatAmount(cents, lang) {
    return amount[lang](cents);
}
//# sourceMappingURL=money.js.map