import { sql } from 'kysely';
/* Portable DDL: text ids, text timestamps, integer money. Runs unchanged on SQLite and PostgreSQL. */
export async function up(db) {
    await db.schema
        .createTable('car_parks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('address_line', 'text', (c) => c.notNull())
        .addColumn('postal_code', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('opening_hours', 'text', (c) => c.notNull())
        .addColumn('services', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('petit_rouleur_30', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema
        .createTable('customers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql `kind in ('individual', 'business')`))
        .addColumn('civility', 'text')
        .addColumn('last_name', 'text', (c) => c.notNull())
        .addColumn('first_name', 'text')
        .addColumn('company_name', 'text')
        .addColumn('siren', 'text')
        .addColumn('address_line1', 'text', (c) => c.notNull())
        .addColumn('address_line2', 'text')
        .addColumn('postal_code', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('country', 'text', (c) => c.notNull().defaultTo('France'))
        .addColumn('phone', 'text')
        .addColumn('mobile_phone', 'text')
        .addColumn('email_primary', 'text')
        .addColumn('email_primary_verified_at', 'text')
        .addColumn('email_secondary', 'text')
        .addColumn('email_secondary_verified_at', 'text')
        .addColumn('paperless', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('paperless_changed_at', 'text')
        .addColumn('language', 'text', (c) => c.notNull().defaultTo('fr').check(sql `language in ('fr', 'en')`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema
        .createTable('paperless_consents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
        .addColumn('given', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .execute();
    await db.schema.createIndex('paperless_consents_customer').on('paperless_consents').columns(['customer_id', 'at']).execute();
    await db.schema
        .createTable('portal_accounts')
        .addColumn('customer_id', 'text', (c) => c.primaryKey().references('customers.id').onDelete('cascade'))
        .addColumn('state', 'text', (c) => c.notNull().check(sql `state in ('not_activated', 'active', 'locked')`))
        .addColumn('temp_password_hash', 'text')
        .addColumn('temp_password_issued_at', 'text')
        .addColumn('temp_password_expires_at', 'text')
        .addColumn('password_hash', 'text')
        .addColumn('password_changed_at', 'text')
        .addColumn('activated_at', 'text')
        .addColumn('last_login_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema
        .createTable('contracts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
        .addColumn('car_park_id', 'text', (c) => c.notNull().references('car_parks.id'))
        .addColumn('product', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql `status in ('active', 'ended', 'suspended')`))
        .addColumn('start_date', 'text', (c) => c.notNull())
        .addColumn('end_date', 'text')
        .addColumn('renewal_date', 'text')
        .addColumn('billing_period', 'text', (c) => c.notNull())
        .addColumn('price_ht_cents', 'integer', (c) => c.notNull())
        .addColumn('vat_rate_bp', 'integer', (c) => c.notNull())
        .addColumn('direct_debit', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('badge_number', 'text')
        .addColumn('space_label', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('contracts_customer').on('contracts').column('customer_id').execute();
    await db.schema
        .createTable('contract_vehicles')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id').onDelete('cascade'))
        .addColumn('plate', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .execute();
    await db.schema.createIndex('contract_vehicles_contract').on('contract_vehicles').column('contract_id').execute();
    await db.schema
        .createTable('financial_documents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql `kind in ('invoice', 'credit_note')`))
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
        .addColumn('contract_id', 'text', (c) => c.references('contracts.id'))
        .addColumn('corrects_document_id', 'text', (c) => c.references('financial_documents.id'))
        .addColumn('issue_date', 'text', (c) => c.notNull())
        .addColumn('period_start', 'text')
        .addColumn('period_end', 'text')
        .addColumn('due_date', 'text')
        .addColumn('total_ht_cents', 'integer', (c) => c.notNull().check(sql `total_ht_cents >= 0`))
        .addColumn('total_vat_cents', 'integer', (c) => c.notNull().check(sql `total_vat_cents >= 0`))
        .addColumn('total_ttc_cents', 'integer', (c) => c.notNull().check(sql `total_ttc_cents >= 0`))
        .addColumn('pdf_sha256', 'text')
        .addColumn('published_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema
        .createIndex('financial_documents_customer')
        .on('financial_documents')
        .columns(['customer_id', 'issue_date'])
        .execute();
    await db.schema
        .createTable('document_lines')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull().references('financial_documents.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('quantity_milli', 'integer', (c) => c.notNull())
        .addColumn('unit_price_ht_cents', 'integer', (c) => c.notNull())
        .addColumn('vat_rate_bp', 'integer', (c) => c.notNull())
        .addColumn('total_ht_cents', 'integer', (c) => c.notNull())
        .addColumn('total_vat_cents', 'integer', (c) => c.notNull())
        .addColumn('total_ttc_cents', 'integer', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('document_lines_document').on('document_lines').column('document_id').execute();
    await db.schema
        .createTable('payments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('provider', 'text')
        .addColumn('provider_reference', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(sql `status in ('pending', 'succeeded', 'failed', 'cancelled')`))
        .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql `amount_cents > 0`))
        .addColumn('received_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('payments_provider_reference', ['provider', 'provider_reference'])
        .execute();
    await db.schema.createIndex('payments_customer').on('payments').column('customer_id').execute();
    await db.schema
        .createTable('allocations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('invoice_id', 'text', (c) => c.notNull().references('financial_documents.id'))
        .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
        .addColumn('credit_note_id', 'text', (c) => c.references('financial_documents.id'))
        .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql `amount_cents > 0`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addCheckConstraint('allocations_one_source', sql `(payment_id is null) <> (credit_note_id is null)`)
        .execute();
    await db.schema.createIndex('allocations_invoice').on('allocations').column('invoice_id').execute();
    await db.schema.createIndex('allocations_payment').on('allocations').column('payment_id').execute();
    await db.schema.createIndex('allocations_credit_note').on('allocations').column('credit_note_id').execute();
    await db.schema
        .createTable('exit_statements')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
        .addColumn('month', 'text', (c) => c.notNull())
        .addColumn('exit_count', 'integer', (c) => c.notNull().check(sql `exit_count >= 0`))
        .addColumn('document_id', 'text', (c) => c.references('financial_documents.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('exit_statements_contract_month', ['contract_id', 'month'])
        .execute();
    await db.schema
        .createTable('exits')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('statement_id', 'text', (c) => c.notNull().references('exit_statements.id').onDelete('cascade'))
        .addColumn('exited_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('exits_statement').on('exits').column('statement_id').execute();
    await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .execute();
    await db.schema.createIndex('sessions_customer').on('sessions').column('customer_id').execute();
    await db.schema
        .createTable('login_throttle')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_started_at', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'text')
        .execute();
    await db.schema
        .createTable('audit_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor_type', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text')
        .addColumn('target_id', 'text')
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('details', 'text')
        .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
    await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_type', 'actor_id']).execute();
}
export async function down(db) {
    for (const t of [
        'audit_log', 'login_throttle', 'sessions', 'exits', 'exit_statements', 'allocations', 'payments',
        'document_lines', 'financial_documents', 'contract_vehicles', 'contracts', 'portal_accounts',
        'paperless_consents', 'customers', 'car_parks',
    ]) {
        await db.schema.dropTable(t).execute();
    }
}
//# sourceMappingURL=001_initial.js.map