import { createRowTrigger, dropRowTrigger } from '../dialect.js';
import { BALANCE_TRIGGERS, DOCUMENT_BALANCE_TRIGGERS_BEFORE_022 } from './020_settled_amounts.js';
/*
 * A draft's write no longer touches its customer (issue 12, the import at 20,000 documents/s).
 * The balance's triggers on `financial_documents` (020) ran for every row, and for a draft moved
 * the customer's balance by 0: an `UPDATE customers` per draft the ERP sends, a third of a bulk
 * import's writes. They now run only when the row counts — an inserted or deleted document that
 * is published, an update where it is published before or after — with the same statements,
 * so the balance is what it was (`balance.test.ts`, `kept-amounts.test.ts` compare it with its
 * definition). A database made after 020's change has them already: they are made again alike.
 */
const documentTriggers = (list) => list.filter((t) => t.table === 'financial_documents');
export async function up(db) {
    for (const t of documentTriggers(BALANCE_TRIGGERS)) {
        await dropRowTrigger(db, t);
        await createRowTrigger(db, t);
    }
}
export async function down(db) {
    for (const t of DOCUMENT_BALANCE_TRIGGERS_BEFORE_022) {
        await dropRowTrigger(db, t);
        await createRowTrigger(db, t);
    }
}
//# sourceMappingURL=022_draft_balance_triggers.js.map