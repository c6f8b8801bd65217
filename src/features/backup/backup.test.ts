import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { Browser, type DbKind, type TestApp, createTestApp, databaseKinds, freshDatabase } from '../../../tests/support/app.ts';
import { insertDocument } from '../../../tests/support/documents.ts';
import { activeSubscriber, insertMandateRow } from '../../../tests/support/factories.ts';
import { freePort } from '../../../tests/support/net.ts';
import { startS3Server } from '../../../tests/support/s3.ts';
import { createStaffMember } from '../../../tests/support/staff.ts';
import { testConfig } from '../../config.ts';
import { type Db, openDatabase } from '../../db/database.ts';
import { newId, nowIso } from '../../lib/clock.ts';
import { CONTENT_KINDS, type ContentKind, contentStore, sha256Hex } from '../../lib/content-store.ts';
import type { Config } from '../../config.ts';
import { saveLogo } from '../settings/settings.service.ts';
import { storeMandatePdf } from '../direct-debit/direct-debit.secrets.ts';
import { publishPendingPdfs } from '../documents/documents.service.ts';
import { countRows } from './backup.queries.ts';
import type { Manifest } from './backup.rules.ts';
import { makeBackup, restoreBackup, verifyInstallation } from './backup.service.ts';

const run = promisify(execFile);
/** The real command, in a process of its own (as `src/main.test.ts` runs it). */
const portal = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { PATH: process.env.PATH ?? '', ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const dataDirOf = (config: Config) => (config.storage.kind === 'local' ? config.storage.dir : '');

/**
 * An installation with stored files of its own: two customers' documents with their PDFs
 * rendered, a signed mandate's PDF (sealed with the installation's key), a contact request's
 * attachment. Returns the customers' credentials, for logging in.
 */
async function seedWithFiles(t: TestApp, tag: string) {
  const customers = [];
  for (let i = 0; i < 2; i++) {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    customers.push({ number: customer.number, password });
    for (let d = 0; d < 2; d++) await insertDocument(t.db, { customerId: customer.id, number: `F-${tag}-${i}${d}`, issueDate: '2026-11-01', htCents: 10_000 + d * 100 + i, published: false });
  }
  const published = await publishPendingPdfs(t.db, contentStore(t.config, 'documents'), t.clock, t.config);
  expect(published.failed).toEqual([]);
  expect(published.published).toBe(4);

  const owner = (await t.db.selectFrom('customers').select('id').where('number', '=', customers[0]!.number).executeTakeFirstOrThrow()).id;
  const mandate = await insertMandateRow(t.db, owner, nowIso(t.clock), { status: 'active', signed_at: nowIso(t.clock) });
  const sealed = await storeMandatePdf(contentStore(t.config, 'documents'), t.config, Buffer.from(`%PDF-1.7 mandat signé ${tag}`));
  await t.db.updateTable('sepa_mandates').set({ pdf_sha256: sealed }).where('id', '=', mandate).execute();

  const request = newId();
  const now = nowIso(t.clock);
  await t.db
    .insertInto('contact_requests')
    .values({ id: request, reference: `DEM-${tag}`, customer_id: owner, contract_id: null, category: 'other', message: 'Voici la pièce jointe.', new_plate: null, effective_date: null, status: 'received', submission_id: null, assigned_staff_id: null, closed_at: null, created_at: now, updated_at: now })
    .execute();
  const bytes = Buffer.concat([Buffer.from('%PDF-1.7 pièce jointe '), randomBytes(2000)]);
  const sha256 = await contentStore(t.config, 'attachments').put(bytes);
  await t.db
    .insertInto('contact_attachments')
    .values({ id: newId(), request_id: request, original_name: 'justificatif.pdf', content_type: 'application/pdf', size_bytes: bytes.length, sha256, message_id: null, created_at: now })
    .execute();
  return { customers, attachment: sha256, mandatePdf: sealed };
}

/** Every stored file of every kind, as `<kind>/<name>:<SHA-256 of its content>`. */
async function storedFiles(config: Config): Promise<string[]> {
  const all: string[] = [];
  for (const kind of CONTENT_KINDS) {
    const store = contentStore(config, kind);
    for await (const sha of store.list()) all.push(`${kind}/${sha}:${sha256Hex((await store.get(sha))!)}`);
  }
  return all.sort();
}

let restores = 0;

/** An empty database of this kind (no table at all) for a restore, and its URL. */
async function emptyDatabase(kind: DbKind): Promise<{ db: Db; url: string }> {
  if (kind === 'sqlite') {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'portal-restore-')), 'restored.sqlite')}`;
    return { db: openDatabase(url), url };
  }
  const admin = new pg.Client({ connectionString: inject('postgresAdminUrl')! });
  // Named as `freshDatabase` names its clones, so that the run's end drops it with them.
  const name = `portal_t_${inject('postgresTemplate')!.slice('portal_tpl_'.length)}_restore_${process.pid}_${restores++}_${Date.now() % 100000}`;
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  const url = new URL(inject('postgresAdminUrl')!);
  url.pathname = `/${name}`;
  return { db: openDatabase(url.toString()), url: url.toString() };
}

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));

describe.each(databaseKinds())('a backup of the running portal (%s)', (kind) => {
  it('is made while requests are served, restored into an empty target, and every table’s count and every file’s SHA-256 match (R4)', async () => {
    const key = randomBytes(32);
    const { db, url } = await freshDatabase(kind);
    const t = await createTestApp(kind, { MANDATE_ENCRYPTION_KEY: key.toString('base64') }, db);
    const { customers } = await seedWithFiles(t, `BK${kind}`);
    const port = await freePort();
    await t.app.listen({ host: '127.0.0.1', port });
    const base = `http://127.0.0.1:${port}`;

    // The load: logins (sessions, audit entries written) and real HTTP page loads, until the backup ends.
    let stop = false;
    let served = 0;
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        const who = customers[i % customers.length]!;
        const b = new Browser(t.app, `198.51.100.${(i % 200) + 1}`);
        const login = await b.submit('/connexion', '/connexion', { identifiant: who.number, password: who.password });
        expect(login.statusCode).toBe(303);
        expect((await fetch(`${base}/connexion`)).status).toBe(200);
        served += 2;
        // Room on the machine for the backup's own process to start.
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const before = await countRows(t.db);
    const dir = join(mkdtempSync(join(tmpdir(), 'portal-backup-')), 'nightly');
    const env = { DATABASE_URL: url, DATA_DIR: dataDirOf(t.config), LOG_LEVEL: 'silent', MANDATE_ENCRYPTION_KEY: key.toString('base64') };
    const servedBefore = served;
    const backup = await portal(['backup', dir], env);
    const servedDuring = served - servedBefore;
    stop = true;
    await load;
    expect(backup.code, backup.stderr).toBe(0);
    expect(servedDuring, 'requests served while the backup ran').toBeGreaterThan(0);
    expect(backup.stdout).toContain('MANDATE_ENCRYPTION_KEY is not in this backup');
    expect(backup.stdout).toContain('Keep it apart from the backups');
    const after = await countRows(t.db);
    const live = await storedFiles(t.config);
    const liveDocuments = await t.db.selectFrom('financial_documents').select(['number', 'pdf_sha256']).orderBy('number').execute();

    // The manifest: versions, migration level, rows of every table, every file; never the key.
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest).toMatchObject({ format: 1, portal: { version: '0.1.0' }, database: kind, migration: '032_data_exports' });
    expect(Object.keys(manifest.tables).sort()).toEqual(Object.keys(after).sort());
    expect(manifest.files.map((f) => `${f.kind}/${f.sha256}`).sort()).toEqual(live.map((f) => f.split(':')[0]));
    expect(manifest.mandateKey).toContain('MANDATE_ENCRYPTION_KEY is not in this backup');
    for (const file of filesUnder(dir)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(key), file).toBe(false);
      expect(bytes.includes(Buffer.from(key.toString('base64'))), file).toBe(false);
    }
    // The counts are those of one instant between the start and the end of the load.
    for (const [table, n] of Object.entries(manifest.tables)) {
      expect(n, table).toBeGreaterThanOrEqual(before[table]!);
      expect(n, table).toBeLessThanOrEqual(after[table]!);
    }
    expect(after.sessions!, 'the load wrote sessions').toBeGreaterThan(before.sessions!);

    // Restored into an empty database and an empty storage, then checked against the manifest.
    const target = await emptyDatabase(kind);
    const restoredConfig = testConfig({ DATABASE_URL: target.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-restored-data-')), MANDATE_ENCRYPTION_KEY: key.toString('base64') });
    const restored = await restoreBackup({ db: target.db, config: restoredConfig }, dir);
    expect(restored).toMatchObject({ ok: true, differences: [] });
    // Checked again here, independently: 100 % of the tables' counts, 100 % of the files' hashes.
    expect(await countRows(target.db)).toEqual(manifest.tables);
    expect(Object.keys(manifest.tables).length).toBeGreaterThan(40);
    expect(await storedFiles(restoredConfig)).toEqual(live);
    expect(live.length).toBe(6);
    // Every document keeps its PDF's hash (what a copy of the live file lost in issue 15).
    expect(await target.db.selectFrom('financial_documents').select(['number', 'pdf_sha256']).orderBy('number').execute()).toEqual(liveDocuments);
    expect(liveDocuments.every((d) => d.pdf_sha256)).toBe(true);
    // The restored installation is whole: every file named, intact, none orphaned.
    expect((await verifyInstallation({ db: target.db, config: restoredConfig })).problems).toEqual([]);

    // A second restore finds the target no longer empty, and refuses.
    const again = await restoreBackup({ db: target.db, config: restoredConfig }, dir);
    expect(again).toEqual({ ok: false, refusal: 'the target database is not empty: restore into an empty one, or add --force to replace its content.' });
    // With --force it replaces it, and the check passes again.
    expect(await restoreBackup({ db: target.db, config: restoredConfig }, dir, { force: true })).toMatchObject({ ok: true, differences: [] });
    // And a backup never goes into a folder that holds something.
    expect(await makeBackup({ db: t.db, config: { ...t.config, databaseUrl: url } }, t.clock, dir)).toEqual({ ok: false, refusal: `${dir} is not empty: a backup goes into a new or empty folder.` });
    await target.db.destroy();
    await t.close();
  });

  it('restore refuses an empty database with files already in its storage, and a damaged backup with nothing written', async () => {
    const { db, url } = await freshDatabase(kind);
    const t = await createTestApp(kind, {}, db);
    await seedWithFiles(t, `BKR${kind}`);
    const dir = join(mkdtempSync(join(tmpdir(), 'portal-backup-')), 'b');
    const made = await makeBackup({ db: t.db, config: { ...t.config, databaseUrl: url } }, t.clock, dir);
    expect(made.ok).toBe(true);
    const target = await emptyDatabase(kind);
    const dataDir = mkdtempSync(join(tmpdir(), 'portal-restored-data-'));
    const config = testConfig({ DATABASE_URL: target.url, DATA_DIR: dataDir });
    const oldLogo = await contentStore(config, 'assets').put(Buffer.from('un ancien logo'));
    const refused = await restoreBackup({ db: target.db, config }, dir);
    expect(refused).toEqual({ ok: false, refusal: 'the target storage already holds files (assets): restore into an empty one, or add --force to replace them.' });

    // A file of the backup altered: refused before anything is written, even with --force.
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    const victim = manifest.files.find((f) => f.kind === 'attachments')!;
    const victimFile = join(dir, 'files', 'attachments', victim.sha256);
    const original = readFileSync(victimFile);
    writeFileSync(victimFile, 'altéré');
    expect(await restoreBackup({ db: target.db, config }, dir, { force: true })).toEqual({
      ok: false,
      refusal: `the backup does not match its manifest, nothing was restored: attachments/${victim.sha256}: its content does not match its SHA-256 (altered or damaged: ${sha256Hex(Buffer.from('altéré'))}).`,
    });
    writeFileSync(victimFile, original);
    // The database's file altered (one byte more): refused likewise.
    const databaseFile = join(dir, kind === 'sqlite' ? 'database.sqlite' : 'database.dump');
    const database = readFileSync(databaseFile);
    writeFileSync(databaseFile, Buffer.concat([database, Buffer.from([0])]));
    const damagedDatabase = await restoreBackup({ db: target.db, config }, dir, { force: true });
    expect(damagedDatabase.ok).toBe(false);
    expect(!damagedDatabase.ok && damagedDatabase.refusal).toBe(
      `the backup does not match its manifest, nothing was restored: ${kind === 'sqlite' ? 'database.sqlite' : 'database.dump'}: its content does not match the manifest's SHA-256 and size (altered or damaged: ${sha256Hex(readFileSync(databaseFile))}, ${database.length + 1} bytes).`,
    );
    writeFileSync(databaseFile, database);
    // Nothing was written: no table, and the storage holds what it held.
    expect(await target.db.introspection.getTables({ withInternalKyselyTables: true })).toEqual([]);
    expect(await storedFiles(config)).toEqual([`assets/${oldLogo}:${oldLogo}`]);

    // Whole again: --force replaces, and leaves nothing of what the storage held before.
    expect(await restoreBackup({ db: target.db, config }, dir, { force: true })).toMatchObject({ ok: true, differences: [] });
    expect(await storedFiles(config)).not.toContain(`assets/${oldLogo}:${oldLogo}`);
    await target.db.destroy();
    await t.close();
  });

  it('restore --force of a database copy that fails half-way leaves the database as it was and says why (one transaction)', async () => {
    const { db, url } = await freshDatabase(kind);
    const t = await createTestApp(kind, {}, db);
    await seedWithFiles(t, `BKT${kind}`);
    const dir = join(mkdtempSync(join(tmpdir(), 'portal-backup-')), 'b');
    expect((await makeBackup({ db: t.db, config: { ...t.config, databaseUrl: url } }, t.clock, dir)).ok).toBe(true);
    const target = await emptyDatabase(kind);
    const config = testConfig({ DATABASE_URL: target.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-restored-data-')) });
    expect(await restoreBackup({ db: target.db, config }, dir)).toMatchObject({ ok: true, differences: [] });
    const before = await countRows(target.db);
    const filesBefore = await storedFiles(config);

    // A copy broken when it was made (its hash in the manifest is its own): SQLite's header
    // overwritten; PostgreSQL's dump cut at two thirds, so that pg_restore fails after the
    // schema and part of the rows went through.
    const manifestFile = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    const databaseFile = join(dir, kind === 'sqlite' ? 'database.sqlite' : 'database.dump');
    const good = readFileSync(databaseFile);
    const broken = kind === 'sqlite' ? Buffer.concat([Buffer.from('pas une base SQLite'), good.subarray(19)]) : good.subarray(0, Math.floor((good.length * 2) / 3));
    writeFileSync(databaseFile, broken);
    manifest.databaseFile = { sha256: sha256Hex(broken), bytes: broken.length };
    // And one file the target does not hold, which the failed restore must not leave behind.
    const extra = await contentStore(t.config, 'attachments').put(Buffer.from('une pièce jointe stockée après'));
    mkdirSync(join(dir, 'files', 'attachments'), { recursive: true });
    writeFileSync(join(dir, 'files', 'attachments', extra), 'une pièce jointe stockée après');
    manifest.files.push({ kind: 'attachments', sha256: extra, bytes: Buffer.byteLength('une pièce jointe stockée après') });
    writeFileSync(manifestFile, JSON.stringify(manifest));

    const failed = await restoreBackup({ db: target.db, config }, dir, { force: true });
    expect(failed.ok).toBe(false);
    expect(!failed.ok && failed.refusal).toMatch(
      kind === 'sqlite'
        ? /^the database could not be restored and is as it was \(the files this restore added are removed\): file is not a database$/
        : /^the database could not be restored and is as it was \(the files this restore added are removed\): pg_restore failed: .+/,
    );
    const after = openDatabase(target.url);
    expect(await countRows(after)).toEqual(before);
    expect((await verifyInstallation({ db: after, config })).problems).toEqual([]);
    await after.destroy();
    expect(await storedFiles(config)).toEqual(filesBefore);
    await target.db.destroy();
    await t.close();
  });
});

describe.each(databaseKinds())('the files of a backup (%s)', (kind) => {
  it('are those the copied database names: one stored with no row yet is left out, so the restored installation verifies clean; one named but missing is reported', async () => {
    const { db, url } = await freshDatabase(kind);
    const t = await createTestApp(kind, {}, db);
    const { attachment } = await seedWithFiles(t, `BKF${kind}`);
    // A file whose row is not written yet (stored during the backup, after its database copy).
    const unnamed = await contentStore(t.config, 'attachments').put(Buffer.from('une pièce jointe dont la ligne arrive'));
    const dir = join(mkdtempSync(join(tmpdir(), 'portal-backup-')), 'b');
    const made = await makeBackup({ db: t.db, config: { ...t.config, databaseUrl: url } }, t.clock, dir);
    expect(made).toMatchObject({ ok: true, damaged: [], missing: [], gone: [] });
    expect(made.ok && made.manifest.files.map((f) => `${f.kind}/${f.sha256}`)).not.toContain(`attachments/${unnamed}`);
    expect(made.ok && made.manifest.files.length).toBe(6);
    const target = await emptyDatabase(kind);
    const config = testConfig({ DATABASE_URL: target.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-restored-data-')) });
    expect(await restoreBackup({ db: target.db, config }, dir)).toMatchObject({ ok: true, differences: [] });
    expect((await verifyInstallation({ db: target.db, config })).problems).toEqual([]);
    await target.db.destroy();

    // A file the database names, missing from the store: the backup says so (and exits 1: main.ts).
    unlinkSync(join(dataDirOf(t.config), 'attachments', attachment.slice(0, 2), `${attachment}.pdf`));
    const incomplete = await makeBackup({ db: t.db, config: { ...t.config, databaseUrl: url } }, t.clock, join(dir, '..', 'c'));
    expect(incomplete).toMatchObject({ ok: true, damaged: [], missing: [`attachments/${attachment}: missing (attachment of contact request DEM-BKF${kind})`], gone: [] });
    await t.close();
  });
});

describe.each(databaseKinds())('verify (%s)', (kind) => {
  it('passes on a healthy installation, and names each file tampered with, missing or orphaned', async () => {
    const t = await createTestApp(kind);
    const { attachment, mandatePdf } = await seedWithFiles(t, `VF${kind}`);
    const healthy = await verifyInstallation(t);
    expect(healthy.problems).toEqual([]);
    expect(healthy.files).toEqual({ documents: 5, attachments: 1, assets: 0, exports: 0 });

    const place = (k: ContentKind, sha: string) => join(dataDirOf(t.config), k, sha.slice(0, 2), `${sha}.pdf`);
    const document = await t.db.selectFrom('financial_documents').select(['number', 'pdf_sha256']).orderBy('number').executeTakeFirstOrThrow();
    writeFileSync(place('documents', document.pdf_sha256!), '%PDF-1.7 une autre facture');
    unlinkSync(place('attachments', attachment));
    const orphan = await contentStore(t.config, 'assets').put(Buffer.from('un logo que rien ne nomme'));
    const report = await verifyInstallation(t);
    expect(report.problems).toEqual([
      `documents/${document.pdf_sha256}: its content does not match its SHA-256 (altered or damaged: ${sha256Hex(Buffer.from('%PDF-1.7 une autre facture'))}) (document ${document.number})`,
      `attachments/${attachment}: missing (attachment of contact request DEM-VF${kind})`,
      `assets/${orphan}: orphaned: no row refers to it`,
    ]);
    expect(mandatePdf).toMatch(/^[0-9a-f]{64}$/);
    await t.close();
  });

  it('passes on a healthy installation whose logo was replaced and whose data exports expired', async () => {
    const t = await createTestApp(kind);
    const staff = await createStaffMember(t.db, t.clock, { role: 'admin' });
    const actor = { staffId: staff.id, meta: { ip: '198.51.100.7', user_agent: 'test' } };
    await saveLogo(t.db, t.clock, t.config, { bytes: Buffer.from('un premier logo'), type: 'image/png' }, actor);
    await saveLogo(t.db, t.clock, t.config, { bytes: Buffer.from('un second logo'), type: 'image/png' }, actor);
    expect(await verifyInstallation(t)).toMatchObject({ problems: [], files: { assets: 1 } });
    await saveLogo(t.db, t.clock, t.config, null, actor);
    expect(await verifyInstallation(t)).toMatchObject({ problems: [], files: { assets: 0 } });

    // An export past its 7 days: its archive deleted, its digest left on the row.
    const { customer } = await activeSubscriber(t.db, t.clock);
    const now = nowIso(t.clock);
    await t.db
      .insertInto('data_exports')
      .values({ id: newId(), customer_id: customer.id, status: 'expired', requested_at: now, locked_until: null, locked_by: null, archive_sha256: sha256Hex(Buffer.from('une archive purgée')), archive_bytes: 18, token_hash: null, prepared_at: now, expires_at: now, downloaded_at: null, purged_at: now })
      .execute();
    expect((await verifyInstallation(t)).problems).toEqual([]);
    await t.close();
  });
});

describe('backup and verify on the command line (SQLite)', () => {
  it('back up, and verify: 0 when whole, 1 naming the file when not (the help names them: main.test)', async () => {
    const { db, url } = await freshDatabase('sqlite');
    const t = await createTestApp('sqlite', {}, db);
    const { attachment } = await seedWithFiles(t, 'CLI');
    const env = { DATABASE_URL: url, DATA_DIR: dataDirOf(t.config), LOG_LEVEL: 'silent' };
    const dir = join(mkdtempSync(join(tmpdir(), 'portal-backup-')), 'b');
    const backup = await portal(['backup', dir], env);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^Backup of the sqlite database \(migration 032_data_exports, \d+ tables, \d+ rows\) and 6 files \(\d+ bytes\) in /m);
    expect(readdirSync(dir).sort()).toEqual(['database.sqlite', 'files', 'manifest.json']);
    // Readable by the installation's user only: the folder 0700, the database 0600, the files 0640.
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'database.sqlite')).mode & 0o777).toBe(0o600);
    expect(filesUnder(join(dir, 'files')).map((f) => statSync(f).mode & 0o777)).toEqual(Array(6).fill(0o640));
    // The copy is as the backup API made it, then counted read only: no WAL turned on nor
    // anything written after its hash was taken.
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(sha256Hex(readFileSync(join(dir, 'database.sqlite')))).toBe(manifest.databaseFile.sha256);
    const copy = new SQLite(join(dir, 'database.sqlite'), { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    copy.close();

    const whole = await portal(['verify'], env);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stdout).toContain('Every file the database names is stored and intact, none orphaned (files checked: 5 documents, 1 attachments, 0 assets, 0 exports).');
    unlinkSync(join(dataDirOf(t.config), 'attachments', attachment.slice(0, 2), `${attachment}.pdf`));
    const broken = await portal(['verify'], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(`verify: attachments/${attachment}: missing (attachment of contact request DEM-CLI)`);
    expect(broken.stderr).toContain('verify: 1 problem');
    const incomplete = await portal(['backup', join(dir, '..', 'c')], env);
    expect(incomplete.code).toBe(1);
    expect(incomplete.stderr).toContain(`backup: attachments/${attachment}: missing (attachment of contact request DEM-CLI): not in the backup; run verify.`);
    await t.close();
  });
});

describe('a backup of an installation whose files are in a bucket', () => {
  it('copies them from the bucket through the content store, and restores them into a bucket’s prefix, every hash equal', async () => {
    const s3 = await startS3Server();
    try {
      const { db, url } = await freshDatabase('sqlite');
      const t = await createTestApp('sqlite', s3.settings('operator/live'), db);
      expect(t.config.storage.kind).toBe('s3');
      await seedWithFiles(t, 'S3');
      const live = await storedFiles(t.config);
      expect(live).toHaveLength(6);
      const dir = join(mkdtempSync(join(tmpdir(), 'portal-backup-')), 'b');
      const made = await makeBackup({ db: t.db, config: { ...t.config, databaseUrl: url } }, t.clock, dir);
      expect(made.ok && made.manifest.files.length).toBe(6);
      expect(filesUnder(join(dir, 'files')).map((f) => f.slice(join(dir, 'files').length + 1)).sort()).toEqual(live.map((f) => f.split(':')[0]));

      const target = await emptyDatabase('sqlite');
      const config = testConfig({ DATABASE_URL: target.url, DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-restored-data-')), ...s3.settings('operator/restored') });
      expect(await restoreBackup({ db: target.db, config }, dir)).toMatchObject({ ok: true, differences: [] });
      expect(await storedFiles(config)).toEqual(live);
      expect((await verifyInstallation({ db: target.db, config })).problems).toEqual([]);
      await target.db.destroy();
      await t.close();
    } finally {
      await s3.close();
    }
  });
});
