import { describe, expect, it } from 'vitest';
import { databaseKinds, freshDatabase } from '../../tests/support/app.ts';
import { createCustomer } from '../../tests/support/factories.ts';
import { manualClock } from '../lib/clock.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest, migrationState, migrator, openDatabase } from './database.ts';

describe.each(databaseKinds())('migrations (%s)', (kind) => {
  it('migrationState: none pending at the code’s level; the ones undone pending, in order', async () => {
    const { db } = await freshDatabase(kind);
    try {
      const now = await migrationState(db);
      expect(now.pending).toEqual([]);
      expect(now.last).toBe(now.applied.at(-1));
      expect(now.applied.length).toBeGreaterThan(30);
      expect((await migrator(db).migrateTo(now.applied.at(-3)!)).error).toBeUndefined();
      const back = await migrationState(db);
      expect(back.pending).toEqual(now.applied.slice(-2));
      expect(back.last).toBe(now.applied.at(-3));
      await migrateToLatest(db);
    } finally {
      await db.destroy();
    }
  });

  it('007 renames the customers’ logins and carries the throttle’s holds over to their new keys', async () => {
    const { db } = await freshDatabase(kind);
    try {
      const down = await migrator(db).migrateTo('006_contact_submission');
      expect(down.error).toBeUndefined();
      expect(down.results?.map((r) => r.migrationName)).toContain('007_customer_logins');
      // A hold in progress, written by the code before the rename.
      await db
        .insertInto('login_throttle')
        .values({ key: 'account:CLT000042', failures: 7, window_started_at: '2026-11-27T09:50:00.000Z', locked_until: '2026-11-27T10:30:00.000Z' })
        .execute();
      expect(await migrateToLatest(db)).toContain('007_customer_logins');
      const rows = await db.selectFrom('login_throttle').selectAll().execute();
      expect(rows).toEqual([{ key: 'login:CLT000042', failures: 7, window_started_at: '2026-11-27T09:50:00.000Z', locked_until: '2026-11-27T10:30:00.000Z' }]);
      expect(await db.selectFrom('customer_logins').select('customer_id').execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });

  it('012 lets a request wait for the customer, keeping every request, its state, its attachments and indexes; and back', async () => {
    const { db } = await freshDatabase(kind);
    try {
      expect((await migrator(db).migrateTo('011_customer_service_actions')).error).toBeUndefined();
      const customer = await createCustomer(db, manualClock(new Date('2026-11-27T10:00:00Z')));
      const at = '2026-11-27T10:00:00.000Z';
      const request = (reference: string, status: string) => ({
        id: `00000000-0000-4000-8000-${reference.slice(-12).replace(/\D/g, '0').padStart(12, '0')}`,
        reference,
        customer_id: customer.id,
        contract_id: null,
        category: 'other',
        message: `Message ${reference}`,
        new_plate: null,
        effective_date: null,
        status,
        submission_id: null,
        created_at: at,
        updated_at: at,
      });
      const before = [request('DEM-2026-000001', 'received'), request('DEM-2026-000002', 'in_progress'), request('DEM-2026-000003', 'closed')];
      await db.insertInto('contact_requests').values(before as never).execute();
      await db
        .insertInto('contact_attachments')
        .values({ id: '10000000-0000-4000-8000-000000000001', request_id: before[0]!.id, original_name: 'a.pdf', content_type: 'application/pdf', size_bytes: 9, sha256: 'a'.repeat(64), created_at: at })
        .execute();

      expect(await migrateToLatest(db)).toContain('012_contact_inbox');
      const states = () => db.selectFrom('contact_requests').select(['reference', 'status']).orderBy('reference').execute();
      expect(await states()).toEqual(before.map((r) => ({ reference: r.reference, status: r.status })));
      expect(await db.selectFrom('contact_attachments').select(['request_id', 'message_id']).execute()).toEqual([{ request_id: before[0]!.id, message_id: null }]);
      // The new state is accepted, anything else still refused; the reference stays unique.
      await db.updateTable('contact_requests').set({ status: 'waiting_customer' }).where('reference', '=', 'DEM-2026-000002').execute();
      await expect(db.updateTable('contact_requests').set({ status: 'lost' as never }).where('reference', '=', 'DEM-2026-000001').execute()).rejects.toThrow();
      await expect(db.insertInto('contact_requests').values({ ...request('DEM-2026-000001', 'received'), id: 'another' } as never).execute()).rejects.toThrow();
      // A note is the staff's only.
      await expect(
        db.insertInto('contact_messages').values({ id: 'm1', request_id: before[0]!.id, author_type: 'customer', staff_id: null, body: 'x', internal: 1, submission_id: null, created_at: at }).execute(),
      ).rejects.toThrow();

      const down = await migrator(db).migrateTo('011_customer_service_actions');
      expect(down.error).toBeUndefined();
      expect(await states()).toEqual([
        { reference: 'DEM-2026-000001', status: 'received' },
        { reference: 'DEM-2026-000002', status: 'in_progress' },
        { reference: 'DEM-2026-000003', status: 'closed' },
      ]);
      expect(await migrateToLatest(db)).toContain('012_contact_inbox');
    } finally {
      await db.destroy();
    }
  });

  it('013 counts the documents published before it as printed, and the mandates never signed in the portal as paper ones', async () => {
    const { db } = await freshDatabase(kind);
    try {
      expect((await migrator(db).migrateTo('009_staff')).error).toBeUndefined();
      const at = '2026-01-05T08:00:00.000Z';
      await db.insertInto('customers').values({ id: 'c1', number: 'CLT1', kind: 'individual', civility: null, last_name: 'A', first_name: null, company_name: null, siren: null, address_line1: '1 rue', address_line2: null, postal_code: '75001', city: 'PARIS', country: 'France', phone: null, mobile_phone: null, email_primary: null, email_primary_verified_at: null, email_secondary: null, email_secondary_verified_at: null, paperless: 0, paperless_changed_at: null, language: 'fr', created_at: at, updated_at: at } as never).execute();
      const doc = (id: string, published: string | null, notified: string | null) => ({ id, number: id, kind: 'invoice', customer_id: 'c1', contract_id: null, corrects_document_id: null, issue_date: '2026-01-05', period_start: null, period_end: null, due_date: null, total_ht_cents: 100, total_vat_cents: 20, total_ttc_cents: 120, pdf_sha256: null, published_at: published, notified_at: notified, created_at: at });
      await db.insertInto('financial_documents').values([doc('d-paper', at, null), doc('d-mailed', at, at), doc('d-draft', null, null)] as never).execute();
      const mandate = (id: string, status: string, evidence: string | null) => ({ id, customer_id: 'c1', rum: `RUM-${id}`, holder_name: 'A', holder_address: '1 rue', iban_encrypted: 'x', iban_last4: '0189', iban_country: 'FR', bic: null, status, signed_at: at, signature_place: 'Paris', signature_evidence: evidence, pdf_sha256: null, rejection_reason: null, revoked_at: null, created_at: at, updated_at: at });
      await db.insertInto('sepa_mandates').values([mandate('m-paper', 'active', null), mandate('m-online', 'to_validate', '{}'), mandate('m-draft', 'awaiting_signature', null)] as never).execute();
      expect(await migrateToLatest(db)).toContain('013_backoffice_queues');
      expect(await db.selectFrom('financial_documents').select(['id', 'printed_at', 'print_batch_id']).orderBy('id').execute()).toEqual([
        { id: 'd-draft', printed_at: null, print_batch_id: null },
        { id: 'd-mailed', printed_at: null, print_batch_id: null },
        { id: 'd-paper', printed_at: at, print_batch_id: null },
      ]);
      expect(await db.selectFrom('sepa_mandates').select(['id', 'source', 'decided_by']).orderBy('id').execute()).toEqual([
        { id: 'm-draft', source: 'online', decided_by: null },
        { id: 'm-online', source: 'online', decided_by: null },
        { id: 'm-paper', source: 'paper', decided_by: null },
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('010 gives the customers and plates already there their search keys', async () => {
    const { db } = await freshDatabase(kind);
    try {
      const down = await migrator(db).migrateTo('009_staff');
      expect(down.error).toBeUndefined();
      const at = '2026-11-27T09:00:00.000Z';
      await db
        .insertInto('customers')
        .values({
          id: 'c1', number: 'CLT000001', kind: 'individual', civility: null, last_name: 'LEFÈVRE', first_name: 'Zoé', company_name: null, siren: null,
          address_line1: '1 RUE X', address_line2: null, postal_code: '75001', city: 'PARIS', country: 'France', phone: '01.23.45.67.89', mobile_phone: null,
          email_primary: 'Zoe@Example.fr', email_primary_verified_at: null, email_secondary: null, email_secondary_verified_at: null,
          paperless: 0, paperless_changed_at: null, language: 'fr', created_at: at, updated_at: at,
        } as never)
        .execute();
      await db.insertInto('car_parks').values({ id: 'p1', code: 'P1', name: 'P1', address_line: 'x', postal_code: '75001', city: 'PARIS', phone: '0', email: null, opening_hours: '[]', services: '[]', petit_rouleur_30: 0, created_at: at }).execute();
      await db
        .insertInto('contracts')
        .values({ id: 'k1', number: 'K1', customer_id: 'c1', car_park_id: 'p1', product: 'resident', status: 'active', start_date: '2026-01-01', end_date: null, renewal_date: null, billing_period: 'monthly', price_ht_cents: 1, vat_rate_bp: 2000, direct_debit: 0, badge_number: null, space_label: null, created_at: at })
        .execute();
      await db.insertInto('contract_vehicles').values({ id: 'v1', contract_id: 'k1', plate: 'ab-123 cd', description: null } as never).execute();
      expect(await migrateToLatest(db)).toContain('010_customer_search');
      const keys = await db.selectFrom('customer_search_keys').select(['customer_id', 'field', 'key']).orderBy('field').orderBy('key').execute();
      expect(keys).toEqual([
        { customer_id: 'c1', field: 'email', key: 'zoe@example.fr' },
        { customer_id: 'c1', field: 'name', key: 'lefevre' },
        { customer_id: 'c1', field: 'name', key: 'zoe' },
        { customer_id: 'c1', field: 'phone', key: '0123456789' },
      ]);
      expect(await db.selectFrom('contract_vehicles').select('plate_key').execute()).toEqual([{ plate_key: 'AB123CD' }]);
    } finally {
      await db.destroy();
    }
  });
});

describe('migrationState of a database never migrated (SQLite)', () => {
  it('lists every migration as pending, none applied, without creating the migrations’ table', async () => {
    const db = openDatabase(`sqlite:${join(mkdtempSync(join(tmpdir(), 'portal-empty-')), 'empty.sqlite')}`);
    try {
      const state = await migrationState(db);
      expect(state.applied).toEqual([]);
      expect(state.last).toBeNull();
      expect(state.pending[0]).toMatch(/^001_/);
      expect(state.pending.length).toBeGreaterThan(30);
      expect(await db.introspection.getTables({ withInternalKyselyTables: true })).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
