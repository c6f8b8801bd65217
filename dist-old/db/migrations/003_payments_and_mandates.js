import { sql } from 'kysely';
/* Online payment attempts and provider events; SEPA direct-debit mandates. */
export async function up(db) {
    await db.schema
        .createTable('payment_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('provider_session_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(sql `status in ('pending', 'succeeded', 'failed', 'cancelled', 'expired', 'superseded')`))
        .addColumn('amount_cents', 'integer', (c) => c.notNull().check(sql `amount_cents > 0`))
        /** JSON array of the invoice ids chosen, oldest first. */
        .addColumn('invoice_ids', 'text', (c) => c.notNull())
        .addColumn('payment_id', 'text', (c) => c.references('payments.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .addUniqueConstraint('payment_attempts_provider_session', ['provider', 'provider_session_id'])
        .execute();
    await db.schema.createIndex('payment_attempts_customer').on('payment_attempts').columns(['customer_id', 'created_at']).execute();
    await db.schema.createIndex('payment_attempts_status').on('payment_attempts').columns(['status', 'expires_at']).execute();
    await db.schema
        .createTable('payment_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('attempt_id', 'text', (c) => c.references('payment_attempts.id'))
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('payment_events_provider_event', ['provider', 'event_id'])
        .execute();
    /** The sandbox provider's own state: its checkout sessions and the webhooks it owes. */
    await db.schema
        .createTable('sandbox_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('amount_cents', 'integer', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('success_url', 'text', (c) => c.notNull())
        .addColumn('cancel_url', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql `status in ('open', 'paid', 'failed', 'cancelled')`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .execute();
    await db.schema
        .createTable('sandbox_webhooks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().check(sql `status in ('pending', 'delivered', 'dead')`))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('sandbox_webhooks_due').on('sandbox_webhooks').columns(['status', 'next_attempt_at']).execute();
    await db.schema
        .createTable('sepa_mandates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
        .addColumn('rum', 'text', (c) => c.notNull().unique())
        .addColumn('holder_name', 'text', (c) => c.notNull())
        .addColumn('holder_address', 'text', (c) => c.notNull())
        /** AES-256-GCM: base64 of iv (12 bytes) + tag (16 bytes) + ciphertext. */
        .addColumn('iban_encrypted', 'text', (c) => c.notNull())
        .addColumn('iban_last4', 'text', (c) => c.notNull())
        .addColumn('iban_country', 'text', (c) => c.notNull())
        .addColumn('bic', 'text')
        .addColumn('status', 'text', (c) => c.notNull().check(sql `status in ('awaiting_signature', 'to_validate', 'active', 'rejected', 'revoked')`))
        .addColumn('signed_at', 'text')
        .addColumn('signature_place', 'text')
        /** JSON: how the one-time code was sent and confirmed (address, times, IP, user agent, code hash). */
        .addColumn('signature_evidence', 'text')
        .addColumn('pdf_sha256', 'text')
        .addColumn('rejection_reason', 'text')
        .addColumn('revoked_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('sepa_mandates_customer').on('sepa_mandates').column('customer_id').execute();
    await db.schema
        .createTable('sepa_mandate_contracts')
        .addColumn('mandate_id', 'text', (c) => c.notNull().references('sepa_mandates.id').onDelete('cascade'))
        .addColumn('contract_id', 'text', (c) => c.notNull().references('contracts.id'))
        .addPrimaryKeyConstraint('sepa_mandate_contracts_pk', ['mandate_id', 'contract_id'])
        .execute();
    await db.schema
        .createTable('sepa_signing_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('mandate_id', 'text', (c) => c.notNull().references('sepa_mandates.id').onDelete('cascade'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('sent_to', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('sepa_signing_codes_mandate').on('sepa_signing_codes').column('mandate_id').execute();
}
export async function down(db) {
    for (const t of ['sepa_signing_codes', 'sepa_mandate_contracts', 'sepa_mandates', 'sandbox_webhooks', 'sandbox_sessions', 'payment_events', 'payment_attempts']) {
        await db.schema.dropTable(t).execute();
    }
}
//# sourceMappingURL=003_payments_and_mandates.js.map