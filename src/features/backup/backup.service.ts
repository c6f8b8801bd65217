import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../../config.ts';
import { DATABASE_COPY_FILE, copyDatabase, copyMismatch, restoreDatabase } from '../../db/copy.ts';
import { type Db, migrationState, openDatabase } from '../../db/database.ts';
import type { Clock } from '../../lib/clock.ts';
import { CONTENT_KINDS, type ContentKind, type ContentStore, contentStore, copyDigesting, streamDigest } from '../../lib/content-store.ts';
import { countRows, hasTables, referencedFiles } from './backup.queries.ts';
import {
  type FoundFile,
  KEY_NOTICE,
  MANIFEST_FILE,
  type Manifest,
  type ManifestFile,
  backupFilePath,
  fileProblem,
  tableDifferences,
  unknownMigration,
} from './backup.rules.ts';

/*
 * `backup`, `restore` and `verify` (docs/operations.md, "Backups"): the database through
 * `db/copy.ts`, the stored files through the content store of each kind (a folder or a bucket
 * alike), both checked against the manifest (`backup.rules.ts`).
 */

type Deps = { db: Db; config: Config };

/** The portal's version (package.json), as the manifest records it. */
function portalVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** The SHA-256 and size of what the store holds under `sha256`, read through; null when it holds nothing. */
async function storedFile(store: ContentStore, sha256: string): Promise<FoundFile> {
  const stream = await store.stream(sha256);
  return stream ? streamDigest(stream) : null;
}

export type BackupResult =
  | { ok: false; refusal: string }
  | { ok: true; manifest: Manifest; damaged: string[]; missing: string[]; gone: string[] };

/**
 * Backs up the installation into `dir` (new or empty; made mode 0700) while it runs: the
 * database first, as one consistent state, then the stored files that state names (files are
 * never changed once stored, and a row is written after its file, so every one is there; a file
 * stored after the copy is named by no row of it, and left out), then the manifest. A file whose
 * content does not match its name is copied as it is and reported (`damaged`); one the copied
 * database names but the store lacks is reported `missing` when the live database still names
 * it, and `gone` when it no longer does (an export expired, a logo replaced meanwhile).
 */
export async function makeBackup({ db, config }: Deps, clock: Clock, dir: string): Promise<BackupResult> {
  if (existsSync(dir) && readdirSync(dir).length > 0) return { ok: false, refusal: `${dir} is not empty: a backup goes into a new or empty folder.` };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const copy = await copyDatabase(db, config.databaseUrl, dir, async (d) => ({
    tables: await countRows(d),
    migration: (await migrationState(d)).last,
    references: await referencedFiles(d),
  }));
  const { sha256, bytes } = await streamDigest(createReadStream(join(dir, copy.file)));

  const files: ManifestFile[] = [];
  const damaged: string[] = [];
  const missing: string[] = [];
  const gone: string[] = [];
  for (const k of CONTENT_KINDS) {
    const store = contentStore(config, k);
    for (const [sha256, by] of [...copy.counted.references[k]].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const stream = await store.stream(sha256);
      if (!stream) {
        if ((await referencedFiles(db))[k].has(sha256)) missing.push(`${fileProblem(k, sha256, null)} (${by.join(', ')})`);
        else gone.push(`${k}/${sha256}`);
        continue;
      }
      const file = join(dir, backupFilePath(k, sha256));
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      const copied = await copyDigesting(stream, createWriteStream(file, { flags: 'wx', mode: 0o640 }));
      if (copied.sha256 !== sha256) damaged.push(fileProblem(k, sha256, copied)!);
      files.push({ kind: k, sha256, bytes: copied.bytes });
    }
  }

  const manifest: Manifest = {
    format: 1,
    portal: { version: portalVersion() },
    database: copy.kind,
    databaseFile: { sha256, bytes },
    migration: copy.counted.migration,
    createdAt: clock.now().toISOString(),
    tables: copy.counted.tables,
    files,
    mandateKey: KEY_NOTICE,
  };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o640 });
  return { ok: true, manifest, damaged, missing, gone };
}

/** The manifest of the backup in `dir`, or why there is none. */
async function readManifest(dir: string): Promise<Manifest | string> {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return `${dir} holds no ${MANIFEST_FILE}: it is not a backup of the portal.`;
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    const sha256 = /^[0-9a-f]{64}$/;
    const wellFormed =
      manifest.format === 1 &&
      !!manifest.tables &&
      (manifest.database === 'sqlite' || manifest.database === 'postgres') &&
      typeof manifest.databaseFile?.sha256 === 'string' &&
      Array.isArray(manifest.files) &&
      manifest.files.every((f) => (CONTENT_KINDS as readonly string[]).includes(f.kind) && sha256.test(f.sha256));
    return wellFormed ? manifest : `${file} is not a manifest this portal reads.`;
  } catch {
    return `${file} is not valid JSON.`;
  }
}

/**
 * What is wrong with the backup in `dir` against its manifest, one line each: its database
 * file's SHA-256 and size, every stored file's. Read whole before anything is written.
 */
async function backupDamage(dir: string, manifest: Manifest): Promise<string[]> {
  const damage: string[] = [];
  const name = DATABASE_COPY_FILE[manifest.database];
  const database = join(dir, name);
  if (!existsSync(database)) damage.push(`${name}: missing from the backup`);
  else {
    const found = await streamDigest(createReadStream(database));
    if (found.sha256 !== manifest.databaseFile.sha256 || found.bytes !== manifest.databaseFile.bytes) {
      damage.push(`${name}: its content does not match the manifest's SHA-256 and size (altered or damaged: ${found.sha256}, ${found.bytes} bytes)`);
    }
  }
  for (const f of manifest.files) {
    const file = join(dir, backupFilePath(f.kind, f.sha256));
    const found = existsSync(file) ? await streamDigest(createReadStream(file)) : null;
    const problem = found ? fileProblem(f.kind, f.sha256, found, f.bytes) : `${f.kind}/${f.sha256}: missing from the backup`;
    if (problem) damage.push(problem);
  }
  return damage;
}

export type RestoreResult =
  | { ok: false; refusal: string }
  | { ok: true; manifest: Manifest; differences: string[] };

/**
 * Restores the backup in `dir` into this configuration's database and storage, which must be
 * empty unless `force` (then replaced: the database's content, and the stored files the backup
 * does not hold deleted). Nothing is written unless the whole backup matches its manifest (the
 * database file's SHA-256, every file's). Then the files (stored by their hash: a database that
 * does not name them is unchanged), then the database in one transaction — when it fails, it is
 * as it was and the files added are removed —, then with `force` the files the backup does not
 * hold deleted. The result is checked against the manifest: every table's count, the last
 * migration, every file's SHA-256 and size; `differences` lists what does not match.
 */
export async function restoreBackup({ db, config }: Deps, dir: string, { force = false } = {}): Promise<RestoreResult> {
  const manifest = await readManifest(dir);
  if (typeof manifest === 'string') return { ok: false, refusal: manifest };
  const mismatch = copyMismatch(config.databaseUrl, manifest.database);
  if (mismatch) return { ok: false, refusal: mismatch };
  const { applied, pending } = await migrationState(db);
  const known = [...applied, ...pending];
  const tooNew = unknownMigration(manifest, known);
  if (tooNew) return { ok: false, refusal: `${tooNew}.` };
  const damage = await backupDamage(dir, manifest);
  if (damage.length) return { ok: false, refusal: `the backup does not match its manifest, nothing was restored: ${damage.join('; ')}.` };

  const stores = CONTENT_KINDS.map((k) => ({ kind: k, store: contentStore(config, k) }));
  if (!force) {
    if (await hasTables(db)) return { ok: false, refusal: 'the target database is not empty: restore into an empty one, or add --force to replace its content.' };
    for (const { kind: k, store } of stores) {
      for await (const _ of store.list()) return { ok: false, refusal: `the target storage already holds files (${k}): restore into an empty one, or add --force to replace them.` };
    }
  }

  const differences: string[] = [];
  const inBackup = new Set(manifest.files.map((f) => `${f.kind}/${f.sha256}`));
  const added: { kind: ContentKind; sha256: string }[] = [];
  for (const f of manifest.files) {
    const store = contentStore(config, f.kind);
    const before = await store.stream(f.sha256);
    before?.destroy();
    const put = await store.putStream(createReadStream(join(dir, backupFilePath(f.kind, f.sha256))));
    if (!before) added.push({ kind: f.kind, sha256: f.sha256 });
    if (put.sha256 !== f.sha256) {
      differences.push(`${f.kind}/${f.sha256}: altered in the backup during the restore (its content's SHA-256 is ${put.sha256}), not restored`);
      if (!inBackup.has(`${f.kind}/${put.sha256}`)) await store.delete(put.sha256);
    }
  }
  try {
    await restoreDatabase(config.databaseUrl, join(dir, DATABASE_COPY_FILE[manifest.database]), force);
  } catch (e) {
    for (const a of added) await contentStore(config, a.kind).delete(a.sha256);
    return { ok: false, refusal: `the database could not be restored and is as it was (the files this restore added are removed): ${e instanceof Error ? e.message : String(e)}` };
  }
  if (force) {
    for (const { kind: k, store } of stores) {
      const extra: string[] = [];
      for await (const sha256 of store.list()) if (!inBackup.has(`${k}/${sha256}`)) extra.push(sha256);
      for (const sha256 of extra) await store.delete(sha256);
    }
  }

  // The check, on what is now there: a connection of its own, as the portal will open it.
  const restored = openDatabase(config.databaseUrl);
  try {
    differences.push(...tableDifferences(manifest.tables, await countRows(restored)));
    const level = (await migrationState(restored)).last;
    if (level !== manifest.migration) differences.push(`migration level ${level ?? 'none'}, ${manifest.migration ?? 'none'} in the backup`);
  } finally {
    await restored.destroy();
  }
  for (const f of manifest.files) {
    const problem = fileProblem(f.kind, f.sha256, await storedFile(contentStore(config, f.kind), f.sha256), f.bytes);
    if (problem) differences.push(problem);
  }
  return { ok: true, manifest, differences };
}

export interface VerifyReport {
  problems: string[];
  /** Files read and checked, by kind. */
  files: Record<string, number>;
  /** Rows that name a file, by kind. */
  references: Record<string, number>;
}

/**
 * Checks a live installation: every file the database names is stored, every stored file's
 * content matches its SHA-256 (its name), and every stored file is named by a row (none
 * orphaned). Each problem names the file (`<kind>/<sha256>`) and what refers to it.
 */
export async function verifyInstallation({ db, config }: Deps): Promise<VerifyReport> {
  const refs = await referencedFiles(db);
  const problems: string[] = [];
  const files: Record<string, number> = {};
  const references: Record<string, number> = {};
  for (const kind of CONTENT_KINDS) {
    const store = contentStore(config, kind);
    const named = refs[kind];
    const stored = new Set<string>();
    for await (const sha256 of store.list()) stored.add(sha256);
    files[kind] = stored.size;
    references[kind] = [...named.values()].reduce((n, by) => n + by.length, 0);
    const by = (sha256: string) => (named.has(sha256) ? ` (${named.get(sha256)!.join(', ')})` : '');
    for (const sha256 of [...stored].sort()) {
      const problem = fileProblem(kind, sha256, await storedFile(store, sha256));
      if (problem) problems.push(`${problem}${by(sha256)}`);
      if (!named.has(sha256)) problems.push(`${kind}/${sha256}: orphaned: no row refers to it`);
    }
    for (const sha256 of [...named.keys()].sort()) if (!stored.has(sha256)) problems.push(`${fileProblem(kind, sha256, null)}${by(sha256)}`);
  }
  return { problems, files, references };
}
