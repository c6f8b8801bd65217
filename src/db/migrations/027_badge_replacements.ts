import type { Kysely } from 'kysely';

/*
 * Badges lost, stolen or broken (issue 13). `product_fees`: what each product charges for a
 * replacement badge (TTC cents), set in the back office's settings; every product starts at
 * 15,00 €. `badge_replacements`: one row per badge reported — the badge it blocked (unique per
 * contract: a badge is reported once), why, then its replacement followed: blocked →
 * awaiting_payment (ordered, at the fee then in force) → paid → handed_over | posted (with the
 * new badge's number, which becomes the contract's). A replacement is paid through the same
 * payment attempts as the balance: `payment_attempts.badge_replacement_id` names it (null: an
 * attempt paying invoices).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('product_fees')
    .addColumn('product', 'text', (c) => c.primaryKey())
    .addColumn('badge_replacement_fee_cents', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text')
    .execute();
  await db
    .insertInto('product_fees')
    .values(['resident', 'resident_petit_rouleur', 'non_resident', 'moto', 'business'].map((product) => ({ product, badge_replacement_fee_cents: 1500, updated_at: null })))
    .execute();

  await db.schema
    .createTable('badge_replacements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('badge_number', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('fee_cents', 'integer')
    .addColumn('ordered_at', 'text')
    .addColumn('paid_at', 'text')
    .addColumn('new_badge_number', 'text')
    .addColumn('completed_at', 'text')
    .addColumn('completed_by', 'text', (c) => c.references('staff_members.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('badge_replacements_badge', ['contract_id', 'badge_number'])
    .execute();
  await db.schema.createIndex('badge_replacements_status').on('badge_replacements').columns(['status', 'paid_at']).execute();
  await db.schema.createIndex('badge_replacements_customer').on('badge_replacements').column('customer_id').execute();

  await db.schema.alterTable('payment_attempts').addColumn('badge_replacement_id', 'text', (c) => c.references('badge_replacements.id')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('payment_attempts').dropColumn('badge_replacement_id').execute();
  await db.schema.dropTable('badge_replacements').execute();
  await db.schema.dropTable('product_fees').execute();
}
