import type { Kysely } from 'kysely';

/*
 * Vehicles and plates changed by the customer online (issue 13):
 * - `contracts.max_vehicles`: how many vehicles a contract allows at once; 1 unless the operator
 *   says otherwise (one badge, one space: one car in force at a time).
 * - `vehicle_changes`: a customer's request to replace a vehicle of a contract, or to add one,
 *   from a date, with the registration certificate (stored content-addressed under
 *   `attachments`, as a contact request's files). `pending` until customer service approves it
 *   (the contract's vehicles change from `valid_from`: `vehicle_id` is the row made) or
 *   refuses it (`refusal_reason`, told to the customer).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contracts').addColumn('max_vehicles', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema
    .createTable('vehicle_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
    // The vehicle replaced; null: a vehicle added.
    .addColumn('replaces_vehicle_id', 'text', (c) => c.references('contract_vehicles.id'))
    .addColumn('plate', 'text', (c) => c.notNull())
    .addColumn('country', 'text', (c) => c.notNull())
    .addColumn('make', 'text', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('certificate_name', 'text', (c) => c.notNull())
    .addColumn('certificate_type', 'text', (c) => c.notNull())
    .addColumn('certificate_size', 'integer', (c) => c.notNull())
    .addColumn('certificate_sha256', 'text', (c) => c.notNull())
    .addColumn('refusal_reason', 'text')
    .addColumn('vehicle_id', 'text', (c) => c.references('contract_vehicles.id'))
    .addColumn('decided_by', 'text', (c) => c.references('staff_members.id'))
    .addColumn('decided_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vehicle_changes_status').on('vehicle_changes').columns(['status', 'created_at']).execute();
  await db.schema.createIndex('vehicle_changes_contract').on('vehicle_changes').columns(['contract_id', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('vehicle_changes').execute();
  await db.schema.alterTable('contracts').dropColumn('max_vehicles').execute();
}
