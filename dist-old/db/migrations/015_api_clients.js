import { sql } from 'kysely';
/*
 * The operator's API (issue 11): its clients — an ERP, an integrator — each with its scopes,
 * its state and its rate limit, and their keys. A key is 256 random bits shown once; only its
 * SHA-256 is kept, with a short prefix to name it on screen (`pk_live_ab12cd34…`). A client
 * holds at most two keys not revoked, so that a key is replaced without downtime (the service
 * checks it, in the transaction that adds a key).
 *
 * The ERP also says whether a customer must receive paper whatever they chose online
 * (`customers.paper_required`, set through the API or the import).
 */
export async function up(db) {
    await db.schema
        .createTable('api_clients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        // JSON array of scopes (`customers:read`, `customers:write`…).
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql `state in ('active', 'disabled')`))
        .addColumn('rate_limit_per_minute', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        // The staff member who created it; null: the command line.
        .addColumn('created_by', 'text', (c) => c.references('staff_members.id'))
        .addColumn('disabled_at', 'text')
        .execute();
    await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().references('api_clients.id'))
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
    await db.schema.createIndex('api_keys_client').on('api_keys').column('client_id').execute();
    await db.schema.alterTable('customers').addColumn('paper_required', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
export async function down(db) {
    await db.schema.alterTable('customers').dropColumn('paper_required').execute();
    await db.schema.dropTable('api_keys').execute();
    await db.schema.dropTable('api_clients').execute();
}
//# sourceMappingURL=015_api_clients.js.map