import { createRowTrigger, dropRowTrigger, tableTriggers } from '../dialect.js';
/*
 * A version of what each customer's Mon compte shows (decision 016): `customers.account_version`
 * goes up, in the transaction of the change, whenever a row the page is made of changes — a
 * published document (and so its settled amount: the allocations' triggers of migration 020
 * rewrite it), a payment, a contract, a mandate or the contracts it covers. The rendered page
 * is kept per process under that version (`features/account`), so a change made anywhere —
 * this process, another one, the worker, the ERP's API, an import, a statement typed by hand —
 * is seen at the next request. The customer's own row (balance, paperless choice) is part of
 * the page's key itself, not of the version.
 */
/** The statement moving the version of the customers `ids` (an SQL list). */
const bump = (ids) => `update customers set account_version = account_version + 1 where id in (${ids})`;
/** The three triggers of a table whose rows carry their customer's id; `shown` (on `new`/`old`) says whether a row is on the page. */
const versionTriggers = (prefix, table, shown) => tableTriggers({ prefix, purpose: 'version', table, ...(shown && { when: shown }) }, (row) => [bump(`${row}.customer_id`)], 
// Both the row's customer before and after (an update that moves a row changes both pages).
[bump('old.customer_id, new.customer_id')]);
const mandateOf = (row) => `(select customer_id from sepa_mandates where id = ${row}.mandate_id)`;
export const ACCOUNT_VERSION_TRIGGERS = [
    // Drafts are never shown: their insert costs nothing more (an import writes thousands).
    ...versionTriggers('documents', 'financial_documents', (row) => `${row}.published_at is not null`),
    ...versionTriggers('payments', 'payments'),
    ...versionTriggers('contracts', 'contracts'),
    ...versionTriggers('mandates', 'sepa_mandates'),
    ...tableTriggers({ prefix: 'mandate_contracts', purpose: 'version', table: 'sepa_mandate_contracts' }, (row) => [bump(mandateOf(row))], [
        bump(`${mandateOf('old')}, ${mandateOf('new')}`),
    ]),
];
/** For a bulk load (the benchmark's dataset): the versions left alone while millions of rows go in; `resumeAccountVersions` follows. */
export async function suspendAccountVersions(db) {
    for (const t of ACCOUNT_VERSION_TRIGGERS)
        await dropRowTrigger(db, t);
}
/** The versions kept again. No page was kept for what was loaded meanwhile (a process starts with none), so no version needs to move. */
export async function resumeAccountVersions(db) {
    for (const t of ACCOUNT_VERSION_TRIGGERS)
        await createRowTrigger(db, t);
}
export async function up(db) {
    await db.schema
        .alterTable('customers')
        .addColumn('account_version', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    await resumeAccountVersions(db);
}
export async function down(db) {
    await suspendAccountVersions(db);
    await db.schema.alterTable('customers').dropColumn('account_version').execute();
}
//# sourceMappingURL=023_account_versions.js.map