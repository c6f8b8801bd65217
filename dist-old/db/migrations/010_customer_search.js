import { sql } from 'kysely';
import { plateKey, searchKeysOf } from '../../features/customers/customers.rules.js';
import { createPrefixIndex } from '../dialect.js';
/*
 * The back office's search (issue 10): a customer is found by a prefix of any word of their
 * names, of either e-mail address or phone, of a plate, or by a unique number — at 100 000
 * customers and millions of documents, through indexes only, never `LIKE '%x%'`.
 * - `customer_search_keys`: one row per name word, address and phone, normalised as the
 *   query is (`features/customers/customers.rules.ts`), rewritten with the customer;
 * - `contract_vehicles.plate_key`: the plate in letters and digits only;
 * - `outbox.recipient` indexed: the e-mails sent to a customer, on their page.
 * Existing rows get their keys here.
 */
export async function up(db) {
    await db.schema
        .createTable('customer_search_keys')
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
        .addColumn('field', 'text', (c) => c.notNull().check(sql `field in ('name', 'email', 'phone')`))
        .addColumn('key', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('customer_search_keys_pk', ['customer_id', 'field', 'key'])
        .execute();
    // By field, then key: a name's prefix never reads the phones' keys that start alike.
    await createPrefixIndex(db, 'customer_search_keys_key', 'customer_search_keys', 'key', ['field']);
    await db.schema.alterTable('contract_vehicles').addColumn('plate_key', 'text', (c) => c.notNull().defaultTo('')).execute();
    await createPrefixIndex(db, 'contract_vehicles_plate_key', 'contract_vehicles', 'plate_key');
    await db.schema.createIndex('outbox_recipient').on('outbox').columns(['recipient', 'created_at']).execute();
    // The keys of the customers and plates already there, a batch at a time.
    const BATCH = 500;
    for (let offset = 0;; offset += BATCH) {
        const customers = await db
            .selectFrom('customers')
            .select(['id', 'last_name', 'first_name', 'company_name', 'email_primary', 'email_secondary', 'phone', 'mobile_phone'])
            .orderBy('id')
            .limit(BATCH)
            .offset(offset)
            .execute();
        const rows = customers.flatMap((c) => searchKeysOf(c).map((k) => ({ customer_id: c.id, ...k })));
        for (let i = 0; i < rows.length; i += BATCH)
            await db.insertInto('customer_search_keys').values(rows.slice(i, i + BATCH)).execute();
        if (customers.length < BATCH)
            break;
    }
    for (let offset = 0;; offset += BATCH) {
        const vehicles = await db.selectFrom('contract_vehicles').select(['id', 'plate']).orderBy('id').limit(BATCH).offset(offset).execute();
        for (const v of vehicles)
            await db.updateTable('contract_vehicles').set({ plate_key: plateKey(v.plate) }).where('id', '=', v.id).execute();
        if (vehicles.length < BATCH)
            break;
    }
}
export async function down(db) {
    await db.schema.dropIndex('outbox_recipient').execute();
    await db.schema.dropIndex('contract_vehicles_plate_key').execute();
    await db.schema.alterTable('contract_vehicles').dropColumn('plate_key').execute();
    await db.schema.dropTable('customer_search_keys').execute();
}
//# sourceMappingURL=010_customer_search.js.map