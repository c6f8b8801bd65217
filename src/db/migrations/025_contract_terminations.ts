import { type Kysely, sql } from 'kysely';

/*
 * Ending a contract online (issue 13, Code de la consommation L215-1-1): a termination asked
 * by the customer, logged in or through the public page `/resilier`, with the date it takes
 * effect (the contract's last day), its reference and acknowledgement, until customer
 * service has processed it (badge returned, final invoice or credit note issued) or the
 * customer withdrew it. At most one termination not withdrawn per contract (the partial
 * unique index). `withdraw_token_hash`: the SHA-256 of the token of the withdrawal link in
 * the acknowledgement e-mail (valid until the effective date).
 *
 * `termination_links`: the links e-mailed by the public page (the customer was not logged
 * in): the SHA-256 of the token only, the address the acknowledgement goes to, an expiry,
 * used once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('contract_terminations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('reference', 'text', (c) => c.notNull().unique())
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    // requested → processed (customer service), or withdrawn (the customer, until the effective date).
    .addColumn('status', 'text', (c) => c.notNull())
    // Where it was asked: `customer_area` (logged in) or `public_page` (the link e-mailed by /resilier).
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    // The contract's last day.
    .addColumn('effective_date', 'text', (c) => c.notNull())
    // 1: a business customer chose a later date than the earliest.
    .addColumn('chosen_date', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('acknowledgement_to', 'text', (c) => c.notNull())
    .addColumn('withdraw_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('withdrawn_at', 'text')
    .addColumn('processed_at', 'text')
    .addColumn('processed_by', 'text', (c) => c.references('staff_members.id'))
    .execute();
  await db.schema
    .createIndex('contract_terminations_current')
    .on('contract_terminations')
    .column('contract_id')
    .unique()
    .where(sql.ref('status'), '<>', 'withdrawn')
    .execute();
  await db.schema.createIndex('contract_terminations_customer').on('contract_terminations').columns(['customer_id', 'requested_at']).execute();
  await db.schema.createIndex('contract_terminations_status').on('contract_terminations').columns(['status', 'requested_at']).execute();

  await db.schema
    .createTable('termination_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('termination_links_contract').on('termination_links').column('contract_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('termination_links').execute();
  await db.schema.dropTable('contract_terminations').execute();
}
