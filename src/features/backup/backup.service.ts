import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../../config.ts';
import { type Db, migrator, openDatabase } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect.ts';
import type { Clock } from '../../lib/clock.ts';
import { CONTENT_KINDS, type ContentStore, contentStore } from '../../lib/content-store.ts';
import { copyDatabase, countRows, hasTables, migrationLevel, restoreDatabase } from './backup.database.ts';
import { referencedFiles } from './backup.queries.ts';
import {
  DATABASE_FILE,
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
 * `backup.database.ts`, the stored files through the content store of each kind (a folder or a
 * bucket alike), both checked against the manifest (`backup.rules.ts`).
 */

type Deps = { db: Db; config: Config };

/** The portal's version (package.json), as the manifest records it. */
function portalVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}

/** Copies `source` into `out`, returning the SHA-256 and size of what went through. */
async function copyDigesting(source: NodeJS.ReadableStream, out: NodeJS.WritableStream): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(source, tap, out);
  return { sha256: hash.digest('hex'), bytes };
}

/** The SHA-256 and size of what the store holds under `sha256`, read through; null when it holds nothing. */
async function storedFile(store: ContentStore, sha256: string): Promise<FoundFile> {
  const stream = await store.stream(sha256);
  if (!stream) return null;
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export type BackupResult =
  | { ok: false; refusal: string }
  | { ok: true; manifest: Manifest; damaged: string[]; gone: string[] };

/**
 * Backs up the installation into `dir` (new or empty) while it runs: the database first, as one
 * consistent state, then every stored file of every kind (files are never changed once stored,
 * and a row is written after its file, so every file the copied rows name is there), then the
 * manifest. A file whose content does not match its name is copied as it is and reported
 * (`damaged`); one deleted between the listing and the copy (an expired export) is reported
 * (`gone`) and left out.
 */
export async function makeBackup({ db, config }: Deps, clock: Clock, dir: string): Promise<BackupResult> {
  if (existsSync(dir) && readdirSync(dir).length > 0) return { ok: false, refusal: `${dir} is not empty: a backup goes into a new or empty folder.` };
  await mkdir(dir, { recursive: true });
  const kind = dialectOf(config.databaseUrl);
  const { counted } = await copyDatabase(db, config.databaseUrl, join(dir, DATABASE_FILE[kind]), async (d) => ({ tables: await countRows(d), migration: await migrationLevel(d) }));

  const files: ManifestFile[] = [];
  const damaged: string[] = [];
  const gone: string[] = [];
  for (const k of CONTENT_KINDS) {
    const store = contentStore(config, k);
    for await (const sha256 of store.list()) {
      const stream = await store.stream(sha256);
      if (!stream) {
        gone.push(`${k}/${sha256}`);
        continue;
      }
      const file = join(dir, backupFilePath(k, sha256));
      await mkdir(dirname(file), { recursive: true });
      const copied = await copyDigesting(stream, createWriteStream(file, { flags: 'wx', mode: 0o640 }));
      if (copied.sha256 !== sha256) damaged.push(fileProblem(k, sha256, copied)!);
      files.push({ kind: k, sha256, bytes: copied.bytes });
    }
  }

  const manifest: Manifest = {
    format: 1,
    portal: { version: portalVersion() },
    database: kind,
    migration: counted.migration,
    createdAt: clock.now().toISOString(),
    tables: counted.tables,
    files,
    mandateKey: KEY_NOTICE,
  };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o640 });
  return { ok: true, manifest, damaged, gone };
}

/** The manifest of the backup in `dir`, or why there is none. */
async function readManifest(dir: string): Promise<Manifest | string> {
  const file = join(dir, MANIFEST_FILE);
  if (!existsSync(file)) return `${dir} holds no ${MANIFEST_FILE}: it is not a backup of the portal.`;
  try {
    const manifest = JSON.parse(await readFile(file, 'utf8')) as Manifest;
    if (manifest.format !== 1 || !manifest.tables || !Array.isArray(manifest.files)) return `${file} is not a manifest this portal reads.`;
    return manifest;
  } catch {
    return `${file} is not valid JSON.`;
  }
}

export type RestoreResult =
  | { ok: false; refusal: string }
  | { ok: true; manifest: Manifest; differences: string[] };

/**
 * Restores the backup in `dir` into this configuration's database and storage, which must be
 * empty unless `force` (then replaced: the database's content, and the stored files the backup
 * does not hold deleted), and checks the result against the manifest: every table's count, the
 * last migration, every file's SHA-256 and size. `differences` lists what does not match.
 */
export async function restoreBackup({ db, config }: Deps, dir: string, { force = false } = {}): Promise<RestoreResult> {
  const manifest = await readManifest(dir);
  if (typeof manifest === 'string') return { ok: false, refusal: manifest };
  const kind = dialectOf(config.databaseUrl);
  if (manifest.database !== kind) return { ok: false, refusal: `the backup is of a ${manifest.database} database; DATABASE_URL names a ${kind} one.` };
  const databaseFile = join(dir, DATABASE_FILE[kind]);
  if (!existsSync(databaseFile)) return { ok: false, refusal: `${databaseFile} is missing from the backup.` };
  const known = (await migrator(db).getMigrations()).map((m) => m.name);
  const tooNew = unknownMigration(manifest, known);
  if (tooNew) return { ok: false, refusal: `${tooNew}.` };

  const stores = CONTENT_KINDS.map((k) => ({ kind: k, store: contentStore(config, k) }));
  if (!force) {
    if (await hasTables(db)) return { ok: false, refusal: 'the target database is not empty: restore into an empty one, or add --force to replace its content.' };
    for (const { kind: k, store } of stores) {
      for await (const _ of store.list()) return { ok: false, refusal: `the target storage already holds files (${k}): restore into an empty one, or add --force to replace them.` };
    }
  }

  await restoreDatabase(db, config.databaseUrl, databaseFile, force);

  const differences: string[] = [];
  const inBackup = new Set(manifest.files.map((f) => `${f.kind}/${f.sha256}`));
  for (const f of manifest.files) {
    const file = join(dir, backupFilePath(f.kind, f.sha256));
    if (!existsSync(file)) {
      differences.push(`${f.kind}/${f.sha256}: missing from the backup`);
      continue;
    }
    const store = contentStore(config, f.kind);
    const put = await store.putStream(createReadStream(file));
    if (put.sha256 !== f.sha256) {
      differences.push(`${f.kind}/${f.sha256}: altered in the backup (its content's SHA-256 is ${put.sha256}), not restored`);
      if (!inBackup.has(`${f.kind}/${put.sha256}`)) await store.delete(put.sha256);
    }
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
    const level = await migrationLevel(restored);
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
