import type { Db } from '../../db/database.ts';

/** The e-mails not yet sent (nor given up), and when the oldest of them was queued (null: none). */
export async function outboxBacklog(db: Db): Promise<{ pending: number; oldest: string | null }> {
  const row = await db
    .selectFrom('outbox')
    .select((eb) => [eb.fn.countAll<number | string>().as('pending'), eb.fn.min('created_at').as('oldest')])
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { pending: Number(row.pending), oldest: row.oldest ?? null };
}
