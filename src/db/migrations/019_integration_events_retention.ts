import type { Kysely } from 'kysely';

/*
 * The ERP's feeds are kept `INTEGRATION_EVENTS_RETENTION_DAYS` (the job `events-purge`): the
 * purge finds the old events by their date.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('integration_events_created').on('integration_events').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('integration_events_created').execute();
}
