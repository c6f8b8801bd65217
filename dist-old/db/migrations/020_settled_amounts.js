import { sql } from 'kysely';
import { createRowTrigger, dropRowTrigger, tableTriggers } from '../dialect.js';
/*
 * The amounts "Mon compte" shows, kept by the database itself (decision 014, which
 * supersedes the per-request derivation of 004).
 *
 * What settles each document: `financial_documents.settled_cents` is,
 * for an invoice, the sum of its allocations from succeeded payments and from credit notes;
 * for a credit note, the sum of the allocations that set it against invoices. Triggers on
 * `allocations` and on a payment's status recompute it for the documents a change touches,
 * in the transaction of that change, from the rows themselves — so every writer (online
 * payments, the ERP's API and imports, the demo, the tests) keeps it right without knowing
 * it exists, and it is always exactly what the derivation would say (a test compares them).
 * "Reste à payer" is then `total_ttc_cents − settled_cents` (negative for a credit note's
 * unused part), and the documents with something remaining have an index of their own.
 *
 * The account's balance: `customers.balance_cents` is its published invoices − its published
 * credit notes − its succeeded payments. Triggers on `financial_documents` and `payments`
 * move it by each row's part before and after the change (a sum of every row on each write
 * would make loading years of documents quadratic).
 */
/** `settled_cents` of the document `financial_documents.id`, from the rows (the definition). */
export const SETTLED_OF_DOCUMENT = `coalesce((select sum(al.amount_cents) from allocations al left join payments pay on pay.id = al.payment_id
    where al.invoice_id = financial_documents.id and (al.credit_note_id is not null or pay.status = 'succeeded')), 0)
  + coalesce((select sum(al.amount_cents) from allocations al where al.credit_note_id = financial_documents.id), 0)`;
const refresh = (ids) => `update financial_documents set settled_cents = ${SETTLED_OF_DOCUMENT} where id in (${ids})`;
export const SETTLEMENT_TRIGGERS = [
    { name: 'allocations_settle_insert', table: 'allocations', event: 'insert', statements: [refresh('new.invoice_id, new.credit_note_id')] },
    { name: 'allocations_settle_delete', table: 'allocations', event: 'delete', statements: [refresh('old.invoice_id, old.credit_note_id')] },
    {
        name: 'allocations_settle_update',
        table: 'allocations',
        event: 'update',
        statements: [refresh('old.invoice_id, old.credit_note_id, new.invoice_id, new.credit_note_id')],
    },
    {
        name: 'payments_settle_status',
        table: 'payments',
        event: 'update of status',
        when: 'old.status <> new.status',
        statements: [refresh('select invoice_id from allocations where payment_id = new.id')],
    },
];
/** `customers.balance_cents` of the customer `customers.id`, from the rows (the definition). */
export const BALANCE_OF_CUSTOMER = `coalesce((select sum(case when d.kind = 'invoice' then d.total_ttc_cents else -d.total_ttc_cents end)
    from financial_documents d where d.customer_id = customers.id and d.published_at is not null), 0)
  - coalesce((select sum(p.amount_cents) from payments p where p.customer_id = customers.id and p.status = 'succeeded'), 0)`;
/** What a document row (`new` or `old`) adds to its customer's balance. */
const documentPart = (row) => `case when ${row}.published_at is null then 0 when ${row}.kind = 'invoice' then ${row}.total_ttc_cents else -${row}.total_ttc_cents end`;
/** What a payment row adds to its customer's balance. */
const paymentPart = (row) => `case when ${row}.status = 'succeeded' then -${row}.amount_cents else 0 end`;
const move = (row, part, sign) => `update customers set balance_cents = balance_cents ${sign} (${part}) where id = ${row}.customer_id`;
/**
 * A table's rows kept in their customer's balance: what each adds, on insert, delete and update
 * of `columns` (the old row's part taken off, the new one's added); with `counts`, only for a
 * row it says counts, so that writing a row that adds nothing runs nothing (migration 022).
 */
const balanceTriggers = (prefix, table, columns, part, counts) => tableTriggers({ prefix, purpose: 'balance', table, updateOf: columns, ...(counts && { when: counts }) }, (row) => [move(row, part(row), row === 'new' ? '+' : '-')]);
/** A document counts in its customer's balance once published: a draft's triggers do not even run (022). */
const published = (row) => `${row}.published_at is not null`;
/** The triggers as 020 made them: every document's write moved its customer's balance, by 0 for a draft. */
export const DOCUMENT_BALANCE_TRIGGERS_BEFORE_022 = balanceTriggers('documents', 'financial_documents', 'customer_id, kind, total_ttc_cents, published_at', documentPart);
/** The balance's triggers as the database has them now (after 022: a draft's write runs none). */
export const BALANCE_TRIGGERS = [
    ...balanceTriggers('documents', 'financial_documents', 'customer_id, kind, total_ttc_cents, published_at', documentPart, published),
    ...balanceTriggers('payments', 'payments', 'customer_id, status, amount_cents', paymentPart),
];
/** Every trigger that keeps the amounts. */
const KEEPING = () => [...SETTLEMENT_TRIGGERS, ...BALANCE_TRIGGERS];
/**
 * For a bulk load into an empty database (the benchmark's dataset): the triggers removed,
 * so that millions of rows go in without a write to the customer or the invoice for each.
 * `resumeKeptAmounts` must follow, with every row in place.
 */
export async function suspendKeptAmounts(db) {
    for (const t of KEEPING())
        await dropRowTrigger(db, t);
}
/** The amounts computed from their definitions for every row, then kept again by the triggers. */
export async function resumeKeptAmounts(db) {
    await sql.raw(`update financial_documents set settled_cents = ${SETTLED_OF_DOCUMENT}`).execute(db);
    await sql.raw(`update customers set balance_cents = ${BALANCE_OF_CUSTOMER}`).execute(db);
    for (const t of KEEPING())
        await createRowTrigger(db, t);
}
export async function up(db) {
    await db.schema
        .alterTable('financial_documents')
        .addColumn('settled_cents', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    await db.schema
        .alterTable('customers')
        .addColumn('balance_cents', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    await resumeKeptAmounts(db);
    // The documents with something remaining ("à régler"), found without reading the others.
    await db.schema
        .createIndex('financial_documents_open')
        .on('financial_documents')
        .columns(['customer_id', 'issue_date'])
        .where(sql.ref('total_ttc_cents'), '>', sql.ref('settled_cents'))
        .execute();
}
export async function down(db) {
    await db.schema.dropIndex('financial_documents_open').execute();
    await suspendKeptAmounts(db);
    await db.schema.alterTable('customers').dropColumn('balance_cents').execute();
    await db.schema.alterTable('financial_documents').dropColumn('settled_cents').execute();
}
//# sourceMappingURL=020_settled_amounts.js.map