import { roundCents, vatOf } from '../../lib/money.js';
/*
 * The "résident petit rouleur" rule (docs: shared/docs/domain.md): the month's number of
 * exits sets a discount on that month's subscription price.
 *   ≤ 5 exits → 25 %, then 2.5 points less per extra exit, 0 % from 15 exits;
 *   car parks with the 30 % variant (`petit_rouleur_30 = 1`): 30 % at 3 exits or fewer,
 *   then the normal table (4 and 5 exits → 25 %).
 * Rates are basis points (2500 = 25 %), amounts integer cents.
 */
export const BASE_RATE_BP = 2500;
export const VARIANT_RATE_BP = 3000;
/** Exits up to which the full discount applies. */
export const FULL_DISCOUNT_MAX_EXITS = 5;
/** Exits up to which the 30 % variant applies. */
export const VARIANT_MAX_EXITS = 3;
/** From this many exits there is no discount. */
export const NO_DISCOUNT_FROM_EXITS = 15;
const STEP_BP = 250;
/** The month's discount rate, in basis points, for `exits` exits. */
export function discountRateBp(exits, variant30) {
    if (!Number.isInteger(exits) || exits < 0)
        throw new RangeError(`invalid exit count: ${exits}`);
    if (variant30 && exits <= VARIANT_MAX_EXITS)
        return VARIANT_RATE_BP;
    const rate = BASE_RATE_BP - STEP_BP * (exits - FULL_DISCOUNT_MAX_EXITS);
    return Math.max(0, Math.min(BASE_RATE_BP, rate));
}
const MONTHS_PER_PERIOD = { monthly: 1, quarterly: 3, yearly: 12 };
/**
 * The discount of one month: the monthly price HT (the period's price spread over its
 * months, rounded to the cent) × the rate, rounded to the cent; VAT at the contract's rate.
 */
export function monthlyDiscount(contract, rateBp) {
    const monthlyHt = roundCents(contract.price_ht_cents / MONTHS_PER_PERIOD[contract.billing_period]);
    const ht = roundCents((monthlyHt * rateBp) / 10_000);
    const vat = vatOf(ht, contract.vat_rate_bp);
    return { ht, vat, ttc: ht + vat };
}
/**
 * The discount shown for a month: as billed when the carrying document has been issued
 * (it may be prorated, or follow a price since changed), else what the rule gives.
 */
export function statementDiscount(contract, rateBp, billedHtCents) {
    if (billedHtCents === null)
        return monthlyDiscount(contract, rateBp);
    const vat = vatOf(billedHtCents, contract.vat_rate_bp);
    return { ht: billedHtCents, vat, ttc: billedHtCents + vat };
}
/* Months as `YYYY-MM`, and as an index (year × 12 + month − 1) for arithmetic. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export function monthIndex(month) {
    return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}
export function monthOfIndex(index) {
    const year = Math.floor(index / 12);
    return `${String(year).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}
/** The `YYYY-MM` month of an instant, in Paris. */
export function parisMonth(at) {
    const parts = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: '2-digit', timeZone: 'Europe/Paris' }).formatToParts(at);
    const year = parts.find((p) => p.type === 'year')?.value ?? '1970';
    const month = parts.find((p) => p.type === 'month')?.value ?? '01';
    return `${year}-${month}`;
}
/** How many months the statements page charts. */
export const CHART_MONTHS = 24;
/**
 * The months the page shows for one contract: up to CHART_MONTHS consecutive months ending
 * with its latest statement no later than the current month, and starting no earlier than its
 * first statement. Empty when the contract has no statement yet.
 */
export function chartMonths(statementMonths, currentMonth) {
    const current = monthIndex(currentMonth);
    const indexes = statementMonths.map(monthIndex).filter((i) => i <= current);
    if (indexes.length === 0)
        return [];
    const end = Math.max(...indexes);
    const start = Math.max(end - CHART_MONTHS + 1, Math.min(...indexes));
    const months = [];
    for (let i = start; i <= end; i++)
        months.push(monthOfIndex(i));
    return months;
}
//# sourceMappingURL=statements.rules.js.map