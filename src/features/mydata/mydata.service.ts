import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { audit, type RequestMeta } from '../../lib/audit.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import { type ContentStore, contentStore } from '../../lib/content-store.ts';
import { publicUrl } from '../../lib/links.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';
import { countInWindow, retryAfterMs } from '../auth/throttle.ts';
import { lockCustomer, mailVerifiedAddresses } from '../customers/customers.service.ts';
import { exportReadyMail } from './mydata.mails.ts';
import { customerData } from './mydata.queries.ts';
import { EXPORT_LEASE_MS, EXPORT_MAX_ATTEMPTS, EXPORT_REQUEST_WINDOW_MS, EXPORT_REQUESTS_PER_DAY, EXPORT_VALIDITY_MS } from './mydata.rules.ts';

/*
 * "Mes données" (RGPD articles 15 and 20), its changes: a request (one pending at a time,
 * `EXPORT_REQUESTS_PER_DAY` a day), its preparation by the job `data-exports` (the archive
 * streamed to the `exports` store, the link's token hashed, the e-mail queued), a download,
 * and the purge of what is past its 7 days. Every step audited against the customer
 * (`mydata.requested`, `.prepared`, `.sent`, `.downloaded`, `.purged`).
 */

const throttleKey = (customerId: string) => `mydata:${customerId}`;

/** The path of an export's e-mailed link. */
export const exportLinkPath = (token: string) => `/profil/mes-donnees/archive/${token}` as const;

export type ExportRequestOutcome = { outcome: 'requested'; id: string } | { outcome: 'pending' } | { outcome: 'throttled'; retryAfterMs: number };

/** The customer asks for an export: recorded unless one is still being prepared, or they asked too often today. */
export async function requestExport(db: Db, clock: Clock, customerId: string, meta: RequestMeta): Promise<ExportRequestOutcome> {
  const key = throttleKey(customerId);
  return inTransaction(db, async (trx) => {
    await lockCustomer(trx, customerId);
    const pending = await trx.selectFrom('data_exports').select('id').where('customer_id', '=', customerId).where('status', '=', 'pending').executeTakeFirst();
    if (pending) return { outcome: 'pending' as const };
    const held = await retryAfterMs(trx, clock, [key]);
    if (held > 0) return { outcome: 'throttled' as const, retryAfterMs: held };
    await countInWindow(trx, clock, key, EXPORT_REQUESTS_PER_DAY, EXPORT_REQUEST_WINDOW_MS);
    const id = newId();
    await trx.insertInto('data_exports').values({ id, customer_id: customerId, status: 'pending', requested_at: nowIso(clock), locked_until: null, locked_by: null, archive_sha256: null, archive_bytes: null, token_hash: null, prepared_at: null, expires_at: null, downloaded_at: null, purged_at: null }).execute();
    await audit(trx, clock, { actor_type: 'customer', actor_id: customerId, action: 'mydata.requested', outcome: 'success', target_type: 'customer', target_id: customerId, ...meta, details: { export: id } });
    return { outcome: 'requested' as const, id };
  });
}

/** Takes the lease on the oldest pending export no other worker holds; its id and customer, or null. */
async function claimPending(db: Db, clock: Clock, workerId: string): Promise<{ id: string; customer_id: string; attempts: number } | null> {
  const now = nowIso(clock);
  for (let tries = 0; tries < 5; tries++) {
    const candidate = await db
      .selectFrom('data_exports')
      .select(['id', 'customer_id', 'attempts'])
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .orderBy('requested_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!candidate) return null;
    // Guarded on the lease: another worker that took it first leaves this one nothing.
    const taken = await db
      .updateTable('data_exports')
      .set((eb) => ({ locked_until: new Date(clock.now().getTime() + EXPORT_LEASE_MS).toISOString(), locked_by: workerId, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', candidate.id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return { ...candidate, attempts: candidate.attempts + 1 };
  }
  return null;
}

/**
 * Prepares the pending exports (the job `data-exports`), one at a time, each under a lease:
 * the archive streamed to the store, then in one transaction the export made ready with its
 * link's token hashed, the e-mail queued to the verified addresses, the steps audited. At most
 * `limit` per run; `more` when some are left.
 */
export async function prepareDataExports(
  db: Db,
  clock: Clock,
  config: Config,
  workerId: string,
  { signal, limit = 5, documents = contentStore(config, 'documents') }: { signal?: AbortSignal; limit?: number; documents?: ContentStore } = {},
): Promise<{ prepared: number; more: boolean }> {
  let prepared = 0;
  const store = contentStore(config, 'exports');
  // The archive's writer (yazl), only in the process that prepares one: pages never need it.
  const { exportArchive } = await import('./mydata.archive.ts');
  while (prepared < limit && !signal?.aborted) {
    const claimed = await claimPending(db, clock, workerId);
    if (!claimed) return { prepared, more: false };
    const data = await customerData(db, claimed.customer_id);
    let archive: { sha256: string; bytes: number };
    try {
      archive = await store.putStream(await exportArchive(config, documents, data, clock.now()));
    } catch (e) {
      // A file that cannot be read (a PDF missing or altered in the store), the store down: tried
      // again when the lease runs out, and after `EXPORT_MAX_ATTEMPTS` given up — the export ends,
      // so that the customer may ask again, and customer service sees why in the audit log.
      const givenUp = claimed.attempts >= EXPORT_MAX_ATTEMPTS;
      if (givenUp) {
        await db.updateTable('data_exports').set({ status: 'expired', expires_at: nowIso(clock), purged_at: nowIso(clock), locked_until: null, locked_by: null }).where('id', '=', claimed.id).where('locked_by', '=', workerId).execute();
      }
      await audit(db, clock, { actor_type: 'system', action: 'mydata.prepared', outcome: 'failure', target_type: 'customer', target_id: claimed.customer_id, details: { export: claimed.id, attempt: claimed.attempts, given_up: givenUp, error: e instanceof Error ? e.message.slice(0, 200) : String(e) } });
      continue;
    }
    const { sha256, bytes } = archive;
    const token = newToken();
    const preparedAt = nowIso(clock);
    const expiresAt = new Date(clock.now().getTime() + EXPORT_VALIDITY_MS).toISOString();
    const done = await inTransaction(db, async (trx) => {
      const updated = await trx
        .updateTable('data_exports')
        .set({ status: 'ready', archive_sha256: sha256, archive_bytes: bytes, token_hash: hashToken(token), prepared_at: preparedAt, expires_at: expiresAt, locked_until: null, locked_by: null })
        .where('id', '=', claimed.id)
        .where('status', '=', 'pending')
        .where('locked_by', '=', workerId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return false; // the lease ran out and another worker took it over
      const c = data.customer;
      await audit(trx, clock, { actor_type: 'system', action: 'mydata.prepared', outcome: 'success', target_type: 'customer', target_id: c.id, details: { export: claimed.id, bytes, expires_at: expiresAt } });
      const sent = await mailVerifiedAddresses(trx, clock, config, c, 'mydata-ready', claimed.id, exportReadyMail(c, publicUrl(config, exportLinkPath(token)), expiresAt));
      await audit(trx, clock, { actor_type: 'system', action: 'mydata.sent', outcome: sent > 0 ? 'success' : 'failure', target_type: 'customer', target_id: c.id, details: { export: claimed.id, addresses: sent } });
      return true;
    });
    if (!done) {
      // Another worker's archive is the one kept; this one is deleted unless it is the same bytes.
      const kept = await db.selectFrom('data_exports').select('archive_sha256').where('id', '=', claimed.id).executeTakeFirst();
      if (kept?.archive_sha256 !== sha256) await store.delete(sha256);
      continue;
    }
    prepared++;
  }
  // More is due only if some are free to claim: one held by a lease (being built, or failing) waits for its end.
  const now = nowIso(clock);
  const left = await db
    .selectFrom('data_exports')
    .select('id')
    .where('status', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .limit(1)
    .executeTakeFirst();
  return { prepared, more: !!left && !signal?.aborted };
}

/** The customer downloaded their archive (from the e-mail's link or from the page). */
export async function recordDownload(db: Db, clock: Clock, exportId: string, customerId: string, via: 'link' | 'page', meta: RequestMeta): Promise<void> {
  await db.updateTable('data_exports').set({ downloaded_at: nowIso(clock) }).where('id', '=', exportId).execute();
  await audit(db, clock, { actor_type: 'customer', actor_id: customerId, action: 'mydata.downloaded', outcome: 'success', target_type: 'customer', target_id: customerId, ...meta, details: { export: exportId, via } });
}

/** Deletes the archives past their 7 days and marks their exports expired (the job `data-exports-purge`); how many. */
export async function purgeExpiredExports(db: Db, clock: Clock, config: Config): Promise<number> {
  const now = nowIso(clock);
  const due = await db.selectFrom('data_exports').select(['id', 'customer_id', 'archive_sha256']).where('status', '=', 'ready').where('expires_at', '<=', now).orderBy('expires_at').limit(500).execute();
  const store = contentStore(config, 'exports');
  let purged = 0;
  for (const e of due) {
    if (e.archive_sha256) await store.delete(e.archive_sha256);
    const updated = await db.updateTable('data_exports').set({ status: 'expired', purged_at: now }).where('id', '=', e.id).where('status', '=', 'ready').executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) continue;
    await audit(db, clock, { actor_type: 'system', action: 'mydata.purged', outcome: 'success', target_type: 'customer', target_id: e.customer_id, details: { export: e.id } });
    purged++;
  }
  return purged;
}
