import { type Kysely, sql } from 'kysely';

/*
 * Issue 14, e-invoices and the billing profile (`features/documents/documents.facturx.ts`,
 * decision 017):
 * - `customers.vat_number`: a business customer's intracommunity VAT number (`FR` + key + SIREN
 *   for a French one), printed in its Factur-X; `customers.billing_email`: where its documents'
 *   e-mails go (null: its verified addresses, as before);
 * - `contracts.purchase_order_reference`: the customer's purchase-order reference for what the
 *   contract bills, carried by its invoices (EN 16931 BT-13);
 * - `operator_settings.vat_on_debits`: 1 when the operator opted to pay VAT on debits
 *   ("Option pour le paiement de la TVA d'après les débits", printed on its invoices); 0 by default;
 * - `financial_documents.e_invoice`: `factur-x` when the stored PDF carries an embedded
 *   `factur-x.xml` (rendered for a business customer, or the ERP's own); null: a plain PDF.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('customers').addColumn('vat_number', 'text').execute();
  await db.schema.alterTable('customers').addColumn('billing_email', 'text').execute();
  await db.schema.alterTable('contracts').addColumn('purchase_order_reference', 'text').execute();
  await db.schema.alterTable('operator_settings').addColumn('vat_on_debits', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .alterTable('financial_documents')
    .addColumn('e_invoice', 'text', (c) => c.check(sql`e_invoice in ('factur-x')`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('financial_documents').dropColumn('e_invoice').execute();
  await db.schema.alterTable('operator_settings').dropColumn('vat_on_debits').execute();
  await db.schema.alterTable('contracts').dropColumn('purchase_order_reference').execute();
  await db.schema.alterTable('customers').dropColumn('billing_email').execute();
  await db.schema.alterTable('customers').dropColumn('vat_number').execute();
}
