import { type Kysely, sql } from 'kysely';

/*
 * Renewal notices (loi Chatel, article L215-1 of the Code de la consommation, issue 13): the
 * consumer of a fixed-term contract renewed tacitly is told in writing of the right not to
 * renew, three months to one month before the deadline. One row per contract and deadline
 * (the unique key makes the worker's job idempotent): how the notice went (`email` to the
 * verified addresses, or `letter` — no verified address: customer service posts it), when,
 * and whether it was sent after the window's last day (`late`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('renewal_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('renewal_date', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull().check(sql`channel in ('email', 'letter')`))
    .addColumn('late', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('renewal_notices_contract_deadline', ['contract_id', 'deadline'])
    .execute();
  await db.schema.createIndex('renewal_notices_sent').on('renewal_notices').column('sent_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('renewal_notices_sent').execute();
  await db.schema.dropTable('renewal_notices').execute();
}
