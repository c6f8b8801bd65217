import type { Kysely } from 'kysely';

/* The discount of a month as billed: the document carrying it may prorate, the rule alone cannot. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('exit_statements').addColumn('discount_ht_cents', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('exit_statements').dropColumn('discount_ht_cents').execute();
}
