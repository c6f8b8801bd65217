import { type Kysely, sql } from 'kysely';

/*
 * Issue 13, paying (`features/direct-debit/`, `features/banking/`):
 * - `sepa_mandates.replaces_mandate_id`: a mandate signed online to change the bank account of
 *   an active one (same contracts, new RUM); the old one stays active until customer service
 *   validates the new one, then is revoked with `end_reason` `replaced`;
 * - `sepa_mandates.end_reason`: why a revoked mandate ended — `customer` (revoked online),
 *   `replaced` (a new account validated), `lapsed` (36 months without a debit); null before;
 * - `sepa_mandates.pre_notification_days`: how many days before a debit the customer is told
 *   of it (SEPA: 14 unless the mandate says otherwise);
 * - `operator_settings.reminder_first_days`, `reminder_second_days`: the unpaid-invoice
 *   reminders' schedule, days after the due date (the back office's settings);
 * - `payment_notices`: each e-mail sent about one invoice, once: the SEPA pre-notification and
 *   the two reminders (its primary key is what makes a job's run idempotent).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sepa_mandates').addColumn('replaces_mandate_id', 'text', (c) => c.references('sepa_mandates.id')).execute();
  await db.schema
    .alterTable('sepa_mandates')
    .addColumn('end_reason', 'text', (c) => c.check(sql`end_reason in ('customer', 'replaced', 'lapsed')`))
    .execute();
  await db.schema.alterTable('sepa_mandates').addColumn('pre_notification_days', 'integer', (c) => c.notNull().defaultTo(14)).execute();
  await db.schema.alterTable('operator_settings').addColumn('reminder_first_days', 'integer', (c) => c.notNull().defaultTo(10)).execute();
  await db.schema.alterTable('operator_settings').addColumn('reminder_second_days', 'integer', (c) => c.notNull().defaultTo(25)).execute();
  await db.schema
    .createTable('payment_notices')
    .addColumn('document_id', 'text', (c) => c.notNull().references('financial_documents.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('pre_notification', 'reminder_1', 'reminder_2')`))
    /** The mandate a pre-notification announced the debit under; null for a reminder. */
    .addColumn('mandate_id', 'text', (c) => c.references('sepa_mandates.id'))
    .addColumn('amount_cents', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('payment_notices_pk', ['document_id', 'kind'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('payment_notices').execute();
  await db.schema.alterTable('operator_settings').dropColumn('reminder_second_days').execute();
  await db.schema.alterTable('operator_settings').dropColumn('reminder_first_days').execute();
  await db.schema.alterTable('sepa_mandates').dropColumn('pre_notification_days').execute();
  await db.schema.alterTable('sepa_mandates').dropColumn('end_reason').execute();
  await db.schema.alterTable('sepa_mandates').dropColumn('replaces_mandate_id').execute();
}
