import { sql } from 'kysely';
/*
 * The back office's people (issue 10): the operator's staff, with their own login (e-mail,
 * password and a second factor), their own sessions and their own recovery codes. Nothing
 * here is shared with the customers' tables: a customer session never opens the back office.
 */
export async function up(db) {
    await db.schema
        .createTable('staff_members')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql `role in ('agent', 'admin')`))
        .addColumn('state', 'text', (c) => c.notNull().check(sql `state in ('invited', 'active', 'disabled')`))
        .addColumn('password_hash', 'text')
        // AES-256-GCM like IBANs; the last time step accepted, so that a code is never accepted twice.
        .addColumn('totp_secret_encrypted', 'text')
        .addColumn('totp_last_step', 'integer')
        .addColumn('enrolment_token_hash', 'text', (c) => c.unique())
        .addColumn('enrolment_expires_at', 'text')
        .addColumn('invited_by', 'text', (c) => c.references('staff_members.id'))
        .addColumn('last_login_at', 'text')
        .addColumn('disabled_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema
        .createTable('staff_recovery_codes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff_members.id'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('staff_recovery_codes_staff').on('staff_recovery_codes').column('staff_id').execute();
    await db.schema
        .createTable('staff_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('staff_id', 'text', (c) => c.notNull().references('staff_members.id'))
        // `second_factor`: the password was right, the code is still to come; `full`: logged in.
        .addColumn('stage', 'text', (c) => c.notNull().check(sql `stage in ('second_factor', 'full')`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .execute();
    await db.schema.createIndex('staff_sessions_staff').on('staff_sessions').column('staff_id').execute();
    // The audit log is read by the back office by actor (indexed since 001), by date, and by target.
    await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_type', 'target_id', 'at']).execute();
}
export async function down(db) {
    await db.schema.dropIndex('audit_log_target').execute();
    await db.schema.dropTable('staff_sessions').execute();
    await db.schema.dropTable('staff_recovery_codes').execute();
    await db.schema.dropTable('staff_members').execute();
}
//# sourceMappingURL=009_staff.js.map