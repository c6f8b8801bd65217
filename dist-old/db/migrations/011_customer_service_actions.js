/*
 * What the back office's actions on a customer need (issue 10):
 * - `sessions.staff_id`: a customer session of kind `staff_view` is a staff member looking at
 *   the customer's pages, read-only ("voir comme le client"); it names that member. The kind
 *   column has no check constraint (001), so the new kind needs no rebuild of the table;
 * - `contract_vehicles.valid_from` / `valid_to`: a change of plate has an effective date — the
 *   old plate ends the day before, the new one starts on it. Null: since the contract began /
 *   still in force (every row before this migration);
 * - `letter_batches`: what a batch of temporary-password letters printed (its CSV for the
 *   print shop: numbers, names, postal addresses, expiry — never a password), to download
 *   again after the PDF.
 */
export async function up(db) {
    await db.schema.alterTable('sessions').addColumn('staff_id', 'text', (c) => c.references('staff_members.id')).execute();
    await db.schema.alterTable('contract_vehicles').addColumn('valid_from', 'text').execute();
    await db.schema.alterTable('contract_vehicles').addColumn('valid_to', 'text').execute();
    await db.schema
        .createTable('letter_batches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff_members.id'))
        .addColumn('letter_count', 'integer', (c) => c.notNull())
        .addColumn('csv', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('letter_batches_created').on('letter_batches').column('created_at').execute();
}
export async function down(db) {
    await db.schema.dropTable('letter_batches').execute();
    await db.schema.alterTable('contract_vehicles').dropColumn('valid_to').execute();
    await db.schema.alterTable('contract_vehicles').dropColumn('valid_from').execute();
    await db.schema.alterTable('sessions').dropColumn('staff_id').execute();
}
//# sourceMappingURL=011_customer_service_actions.js.map