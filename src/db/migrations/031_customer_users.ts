import { type Kysely, sql } from 'kysely';

/*
 * Several users for one business account (issue 14). The account's owner keeps its login
 * (`customer_logins`: customer number and password); `customer_users` are the colleagues it
 * invites, each with an e-mail address (normalised, unique among users not removed), a name, a
 * role (`manager`: all the owner does but managing users; `accountant`: documents, payments,
 * statements, requests), a state (`invited` → `active` → `removed`), its own password (argon2),
 * its invitation (the one-time link's token, hashed, and its expiry) and its last login.
 * `sessions.user_id` names the user a session belongs to (null: the owner, or a staff member's
 * view). `audit_log.user_id`/`user_name`: the user who acted, on every line of their requests.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('manager', 'accountant')`))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('invited', 'active', 'removed')`))
    .addColumn('password_hash', 'text')
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('token_expires_at', 'text')
    .addColumn('invited_at', 'text', (c) => c.notNull())
    .addColumn('activated_at', 'text')
    .addColumn('last_login_at', 'text')
    .addColumn('removed_at', 'text')
    .execute();
  await db.schema
    .createIndex('customer_users_email')
    .on('customer_users')
    .column('email')
    .unique()
    .where(sql.ref('state'), '<>', 'removed')
    .execute();
  await db.schema.createIndex('customer_users_customer').on('customer_users').column('customer_id').execute();
  await db.schema.alterTable('sessions').addColumn('user_id', 'text', (c) => c.references('customer_users.id')).execute();
  await db.schema.alterTable('audit_log').addColumn('user_id', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('user_name', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('user_name').execute();
  await db.schema.alterTable('audit_log').dropColumn('user_id').execute();
  await db.schema.alterTable('sessions').dropColumn('user_id').execute();
  await db.schema.dropTable('customer_users').execute();
}
