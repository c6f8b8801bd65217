import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/*
 * "Mes données" (RGPD articles 15 and 20, issue 14): a customer's export of everything the
 * portal holds about them. One row per request: `pending` until the job `data-exports` has
 * built the ZIP (claimed with a lease: `locked_until`, `locked_by`, as the outbox's messages),
 * `ready` with the archive stored (`exports`, content-addressed) and the SHA-256 of the e-mailed
 * link's token, `expired` once its 7 days are over and the archive deleted (`purged_at`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('data_exports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'ready', 'expired')`))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('archive_sha256', 'text')
    .addColumn('archive_bytes', 'integer')
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('prepared_at', 'text')
    .addColumn('expires_at', 'text')
    .addColumn('downloaded_at', 'text')
    .addColumn('purged_at', 'text')
    .execute();
  await db.schema.createIndex('data_exports_customer').on('data_exports').columns(['customer_id', 'requested_at']).execute();
  await db.schema.createIndex('data_exports_status').on('data_exports').columns(['status', 'expires_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('data_exports_status').execute();
  await db.schema.dropIndex('data_exports_customer').execute();
  await db.schema.dropTable('data_exports').execute();
}
