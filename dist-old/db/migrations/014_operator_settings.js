import { sql } from 'kysely';
/*
 * The operator's settings become data (issue 10): its identity and legal mentions, customer
 * service's contacts and hours, the mediator, the SEPA creditor, the late-payment penalty, the
 * staff notification address, the logo and the main colour. One row (`id` = 1), written at
 * the first start from the environment (`OPERATOR_*`, `SEPA_CREDITOR_*`…), then changed by an
 * admin at `/gestion/parametres`. Empty text means "not given" where a mention is optional.
 */
export async function up(db) {
    await db.schema
        .createTable('operator_settings')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql `id = 1`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('legal_form', 'text', (c) => c.notNull())
        .addColumn('share_capital', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('siren', 'text', (c) => c.notNull())
        .addColumn('rcs', 'text', (c) => c.notNull())
        .addColumn('vat_number', 'text', (c) => c.notNull())
        .addColumn('website', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        // Customer service's hours: JSON lines in no language, as car parks' (`public.rules.ts`).
        .addColumn('opening_hours', 'text', (c) => c.notNull())
        .addColumn('mediator_name', 'text', (c) => c.notNull())
        .addColumn('mediator_address', 'text', (c) => c.notNull())
        .addColumn('mediator_website', 'text', (c) => c.notNull())
        .addColumn('creditor_name', 'text', (c) => c.notNull())
        .addColumn('creditor_address', 'text', (c) => c.notNull())
        .addColumn('creditor_id', 'text', (c) => c.notNull())
        .addColumn('late_payment_penalty', 'text', (c) => c.notNull())
        .addColumn('staff_notification_email', 'text', (c) => c.notNull())
        // The logo, stored by its SHA-256 in the content store, and its type (PNG or JPEG).
        .addColumn('logo_sha256', 'text')
        .addColumn('logo_type', 'text')
        .addColumn('brand_colour', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.references('staff_members.id'))
        .execute();
}
export async function down(db) {
    await db.schema.dropTable('operator_settings').execute();
}
//# sourceMappingURL=014_operator_settings.js.map