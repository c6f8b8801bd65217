import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { CONTENT_KINDS, type ContentKind } from '../../lib/content-store.ts';

/** The stored files the database refers to, by kind, each with what refers to it (e.g. `document F-2026-000123`). */
export type ReferencedFiles = Record<ContentKind, Map<string, string[]>>;

/**
 * Every file the database names, where each kind keeps them (`lib/content-store.ts`): the
 * issued documents' PDFs and the signed mandates' (`documents`), the contact requests'
 * attachments and the registration certificates of vehicle changes (`attachments`), the
 * operator's logo (`assets`), the customers' data exports not yet expired (`exports`).
 */
export async function referencedFiles(db: Db): Promise<ReferencedFiles> {
  const refs = Object.fromEntries(CONTENT_KINDS.map((k) => [k, new Map<string, string[]>()])) as ReferencedFiles;
  const add = (kind: ContentKind, sha256: string | null, by: string) => {
    if (!sha256) return;
    const map = refs[kind];
    map.set(sha256, [...(map.get(sha256) ?? []), by]);
  };
  for (const d of await db.selectFrom('financial_documents').select(['number', 'pdf_sha256']).where('pdf_sha256', 'is not', null).execute()) add('documents', d.pdf_sha256, `document ${d.number}`);
  for (const m of await db.selectFrom('sepa_mandates').select(['rum', 'pdf_sha256']).where('pdf_sha256', 'is not', null).execute()) add('documents', m.pdf_sha256, `mandate ${m.rum}`);
  const attachments = await db
    .selectFrom('contact_attachments')
    .innerJoin('contact_requests', 'contact_requests.id', 'contact_attachments.request_id')
    .select(['contact_requests.reference', 'contact_attachments.sha256'])
    .execute();
  for (const a of attachments) add('attachments', a.sha256, `attachment of contact request ${a.reference}`);
  for (const v of await db.selectFrom('vehicle_changes').select(['id', 'certificate_sha256']).execute()) add('attachments', v.certificate_sha256, `registration certificate of vehicle change ${v.id}`);
  for (const o of await db.selectFrom('operator_settings').select('logo_sha256').where('logo_sha256', 'is not', null).execute()) add('assets', o.logo_sha256, 'the operator’s logo');
  // Only a ready export's archive is kept: an expired one's is deleted (its digest stays on the row).
  for (const e of await db.selectFrom('data_exports').select(['id', 'archive_sha256']).where('status', '=', 'ready').where('archive_sha256', 'is not', null).execute()) add('exports', e.archive_sha256, `data export ${e.id}`);
  return refs;
}

/** Every table of the portal (Kysely's own left out) and its number of rows, by name. */
export async function countRows(db: Db): Promise<Record<string, number>> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView).map((t) => t.name).sort();
  const counts: Record<string, number> = {};
  for (const name of tables) {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db);
    counts[name] = Number(rows[0]?.n ?? 0);
  }
  return counts;
}

/** Whether the database of `db` holds any table (Kysely's own included): a restore goes only into an empty one. */
export async function hasTables(db: Db): Promise<boolean> {
  return (await db.introspection.getTables({ withInternalKyselyTables: true })).length > 0;
}
