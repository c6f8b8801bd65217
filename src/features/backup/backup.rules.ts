import type { DialectName } from '../../db/dialect.ts';
import type { ContentKind } from '../../lib/content-store.ts';

/*
 * What a backup is (`npm run portal -- backup <dir>`): a folder (mode 0700) holding the
 * database — a SQLite file made by SQLite's online backup API, or PostgreSQL's `pg_dump` in its
 * custom format (mode 0600, `db/copy.ts`) —, every stored file the copied database names under
 * `files/<kind>/<sha256>`, and `manifest.json`, which says what the folder should hold: the
 * portal's version, the last migration applied, the database file's SHA-256 and size, the
 * number of rows of each table and the SHA-256 and size of each file. `restore` and the operator
 * check a backup against it. The mandates' key (MANDATE_ENCRYPTION_KEY) is never part of it.
 */

export const MANIFEST_FILE = 'manifest.json';

/** Where a stored file goes within a backup. */
export const backupFilePath = (kind: ContentKind, sha256: string) => `files/${kind}/${sha256}`;

export interface ManifestFile {
  kind: ContentKind;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  format: 1;
  portal: { version: string };
  database: DialectName;
  /** The database's file (`DATABASE_COPY_FILE`): its SHA-256 and size. */
  databaseFile: { sha256: string; bytes: number };
  /** The last migration applied to the database backed up (e.g. `032_data_exports`). */
  migration: string | null;
  createdAt: string;
  /** Rows per table, at the instant the database was copied. */
  tables: Record<string, number>;
  files: ManifestFile[];
  /** Says, to whoever opens the manifest, that the key is not here and where it belongs. */
  mandateKey: string;
}

/** Printed by `backup` and written into the manifest: the key is not in the backup, and where to keep it. */
export const KEY_NOTICE =
  'MANDATE_ENCRYPTION_KEY is not in this backup (never): without it the stored IBANs and signed mandates cannot be read. ' +
  'Keep it apart from the backups, e.g. in the password manager or secret store of the installation, never beside them.';

/** The differences between the counts a manifest gives and those found, one line each, by table. */
export function tableDifferences(expected: Record<string, number>, found: Record<string, number>): string[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(found)])].sort();
  return names.flatMap((name) => {
    const want = expected[name];
    const got = found[name];
    if (want === got) return [];
    if (want === undefined) return [`table ${name}: not in the backup, ${got} rows restored`];
    if (got === undefined) return [`table ${name}: missing (${want} rows in the backup)`];
    return [`table ${name}: ${got} rows, ${want} in the backup`];
  });
}

/** A stored file as found: its content's SHA-256 and size, or null when there is none. */
export type FoundFile = { sha256: string; bytes: number } | null;

/** What is wrong with a stored file that should hold `sha256`, or null when nothing is. */
export function fileProblem(kind: ContentKind, sha256: string, found: FoundFile, expectedBytes?: number): string | null {
  const name = `${kind}/${sha256}`;
  if (!found) return `${name}: missing`;
  if (found.sha256 !== sha256) return `${name}: its content does not match its SHA-256 (altered or damaged: ${found.sha256})`;
  if (expectedBytes !== undefined && found.bytes !== expectedBytes) return `${name}: ${found.bytes} bytes, ${expectedBytes} in the backup`;
  return null;
}

/** A backup made by a later portal, whose last migration this one does not know, cannot be restored by it. */
export function unknownMigration(manifest: Pick<Manifest, 'migration' | 'portal'>, known: string[]): string | null {
  return manifest.migration !== null && !known.includes(manifest.migration)
    ? `the backup was made at migration ${manifest.migration}, which this version of the portal does not know: restore it with the version that made it (${manifest.portal.version}) or a later one`
    : null;
}
