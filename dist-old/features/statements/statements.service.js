import { chartMonths, discountRateBp, statementDiscount } from './statements.rules.js';
/**
 * Each petit-rouleur contract with its statements: the chart's 24 months (up to
 * `currentMonth`) and the table of every month there is, newest first, each with its rate
 * and discount (as billed, else the rule's).
 */
export function contractStatements(contracts, statements, currentMonth) {
    const byContract = new Map();
    for (const s of statements) {
        const list = byContract.get(s.contract_id) ?? [];
        list.push(s);
        byContract.set(s.contract_id, list);
    }
    return contracts.map((contract) => {
        const own = byContract.get(contract.id) ?? [];
        const byMonth = new Map(own.map((s) => [s.month, s]));
        const variant30 = contract.petit_rouleur_30 === 1;
        const rows = [...own]
            .sort((a, b) => b.month.localeCompare(a.month))
            .map((s) => {
            const rateBp = discountRateBp(s.exit_count, variant30);
            return {
                month: s.month,
                exits: s.exit_count,
                rateBp,
                discount: statementDiscount(contract, rateBp, s.discount_ht_cents),
                document: s.document,
                detailed: Number(s.detailed_exits ?? 0) > 0,
            };
        });
        const chart = chartMonths(own.map((s) => s.month), currentMonth).map((m) => ({ month: m, exits: byMonth.get(m)?.exit_count ?? null }));
        return { contract, chart, rows };
    });
}
//# sourceMappingURL=statements.service.js.map