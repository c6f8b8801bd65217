import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateToLatest, openDatabase } from '../../src/db/database.ts';

/*
 * Runs once per `npm test`. Builds migrated template databases that each test file clones:
 * a SQLite file always, a PostgreSQL database when TEST_DATABASE_URL names a server.
 * Says plainly which suites will be skipped, and why.
 */

declare module 'vitest' {
  export interface ProvidedContext {
    sqliteTemplate: string;
    postgresAdminUrl: string | null;
    postgresTemplate: string | null;
    chromiumPath: string | null;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'portal-test-'));
  const sqliteTemplate = join(dir, 'template.sqlite');
  const sqlite = openDatabase(`sqlite:${sqliteTemplate}`);
  await migrateToLatest(sqlite);
  await sqlite.destroy();
  project.provide('sqliteTemplate', sqliteTemplate);

  const adminUrl = process.env.TEST_DATABASE_URL || null;
  let pgTemplate: string | null = null;
  if (adminUrl) {
    pgTemplate = `portal_tpl_${process.pid}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${pgTemplate}`);
    await admin.query(`create database ${pgTemplate}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${pgTemplate}`;
    const db = openDatabase(url.toString());
    await migrateToLatest(db);
    await db.destroy();
  }
  project.provide('postgresAdminUrl', adminUrl);
  project.provide('postgresTemplate', pgTemplate);

  // Debian's headless shell (package chromium-headless-shell: the same Chromium, built for
  // headless use only, as Playwright runs headless by default) takes about a third less time
  // than the full browser started headless; either runs the suites.
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const chromiumPath = candidates.find((p) => existsSync(p)) ?? null;
  project.provide('chromiumPath', chromiumPath);

  const lines = [
    'Test suites:',
    '  unit + integration on SQLite: run',
    adminUrl
      ? `  integration on PostgreSQL: run (${new URL(adminUrl).host})`
      : '  integration on PostgreSQL: SKIPPED — set TEST_DATABASE_URL=postgres://user:pass@host/db to run it',
    chromiumPath
      ? `  end-to-end in Chromium: run (${chromiumPath})`
      : '  end-to-end in Chromium: SKIPPED — install Debian chromium or set CHROMIUM_PATH to run it',
  ];
  console.log(lines.join('\n'));

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (adminUrl && pgTemplate) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      const { rows } = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like $1`,
        [`portal_t_${process.pid}_%`],
      );
      for (const r of rows) await admin.query(`drop database if exists "${r.datname}" with (force)`);
      await admin.query(`drop database if exists ${pgTemplate} with (force)`);
      await admin.end();
    }
  };
}
