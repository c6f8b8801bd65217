import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type DbKind, databaseKinds, freshDatabase } from '../../tests/support/app.ts';
import { createCarPark, createContract, createCustomer, insertMandateRow } from '../../tests/support/factories.ts';
import type { Db } from '../db/database.ts';
import { DAY, newId, systemClock } from '../lib/clock.ts';

/*
 * The hourly purge of mandates never signed, run by two worker processes at the same instant
 * (issue 12: "jobs run safely with several workers"). The collision is made certain rather
 * than hoped for: the test holds what the purge needs — on PostgreSQL the stale mandates'
 * rows (`for update`), on SQLite the write lock — while both processes start their run, and
 * lets go only once both are in it (on PostgreSQL: once the server shows both waiting on a
 * lock). Each mandate must be deleted once, audited once with the right count, and neither
 * process may log a failed job.
 */

/** A process running the mandate purge, as `portal worker` runs its jobs, each time it reads `go`. */
const PURGER = `
import { createInterface } from 'node:readline';
import { loadConfig } from './src/config.ts';
import { openDatabase } from './src/db/database.ts';
import { systemClock } from './src/lib/clock.ts';
import { mandatePurge } from './src/jobs/mandate-purge.ts';
import { createJobRunner } from './src/jobs/runner.ts';
const config = loadConfig();
const db = openDatabase(config.databaseUrl);
const log = (msg, data) => console.log(JSON.stringify({ msg, ...data }));
console.log('ready');
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'go') break;
  console.log('purging');
  const { counts } = await createJobRunner(db, systemClock, config, log, [mandatePurge]).runOnce();
  console.log(JSON.stringify({ msg: 'purged', deleted: counts['mandate-purge']?.deleted ?? null }));
}
await db.destroy();
`;

interface Purger {
  child: ChildProcess;
  lines: string[];
}

function startPurger(env: Record<string, string>): Purger {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', PURGER], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const purger: Purger = { child, lines: [] };
  let partial = '';
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      purger.lines.push(...parts);
    });
  }
  return purger;
}

/** How many times `line` has been printed by `p`. */
const printed = (p: Purger, line: (l: string) => boolean) => p.lines.filter(line).length;

/** Polls until `done()` holds, or fails after `ms`. */
async function until(what: string, done: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`still waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `n` mandates filled in `days` ago and never signed, each with a signing code and a contract link. */
async function staleMandates(db: Db, n: number, days = 8): Promise<string[]> {
  const then = new Date(Date.now() - days * DAY).toISOString();
  const park = await createCarPark(db, systemClock);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const customer = await createCustomer(db, systemClock);
    const contract = await createContract(db, systemClock, customer.id, park.id);
    const id = await insertMandateRow(db, customer.id, then);
    await db.insertInto('sepa_mandate_contracts').values({ mandate_id: id, contract_id: contract.id }).execute();
    await db
      .insertInto('sepa_signing_codes')
      .values({ id: newId(), mandate_id: id, code_hash: 'x'.repeat(64), sent_to: '+33600000000', expires_at: then, tries: 0, used_at: null, created_at: then })
      .execute();
    ids.push(id);
  }
  return ids;
}

/**
 * Holds what the purge needs until `release` is called: on PostgreSQL the rows of `ids`
 * (`for update`), on SQLite the database's write lock.
 */
async function holdPurge(kind: DbKind, db: Db, url: string, ids: string[]): Promise<{ release(): Promise<void> }> {
  if (kind === 'sqlite') {
    const lock = new SQLite(url.slice('sqlite:'.length));
    lock.exec('begin immediate');
    return {
      release: async () => {
        lock.exec('rollback');
        lock.close();
      },
    };
  }
  const trx = await db.startTransaction().execute();
  await trx.selectFrom('sepa_mandates').select('id').where('id', 'in', ids).forUpdate().execute();
  return {
    release: async () => {
      await trx.rollback().execute();
    },
  };
}

/** Both purgers are in their run: on PostgreSQL, two sessions wait on a row lock; on SQLite (which cannot show it), a moment after both started. */
async function bothInTheirRun(kind: DbKind, db: Db): Promise<void> {
  if (kind === 'sqlite') {
    // Well within the processes' busy timeout (5 s): they wait for the write lock meanwhile.
    await new Promise((r) => setTimeout(r, 500));
    return;
  }
  await until('both purgers waiting on a lock', async () => {
    const { rows } = await sql<{ n: number }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    return Number(rows[0]!.n) >= 2;
  });
}

describe.each(databaseKinds())('two workers purging the same stale mandates at the same instant (%s)', (kind: DbKind) => {
  it('delete each once and audit it once, with the count deleted, and fail no job', async () => {
    const { db, url } = await freshDatabase(kind);
    const env = { DATABASE_URL: url, DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-purge-race-')) };
    const purgers = [startPurger(env), startPurger(env)];
    try {
      await until('both purgers ready', () => purgers.every((p) => p.lines.includes('ready')));
      const rounds = 2;
      const sizes = [5, 3];
      for (let round = 0; round < rounds; round++) {
        const ids = await staleMandates(db, sizes[round]!);
        const hold = await holdPurge(kind, db, url, ids);
        try {
          for (const p of purgers) p.child.stdin!.write('go\n');
          await until('both purgers started', () => purgers.every((p) => printed(p, (l) => l === 'purging') === round + 1));
          await bothInTheirRun(kind, db);
        } finally {
          await hold.release();
        }
        await until('both purgers done', () => purgers.every((p) => printed(p, (l) => l.includes('"msg":"purged"')) === round + 1));

        const failures = purgers.flatMap((p) => p.lines).filter((l) => l.includes('worker job failed'));
        expect(failures, `round ${round}: no job failed`).toEqual([]);
        // Between them, the two deleted each mandate once: one deleted them all, the other none.
        const deleted = purgers.map((p) => (JSON.parse(p.lines.filter((l) => l.includes('"msg":"purged"'))[round]!) as { deleted: number | null }).deleted);
        expect(deleted.slice().sort(), `round ${round}: what each process deleted`).toEqual([0, ids.length]);
        expect(await db.selectFrom('sepa_mandates').select('id').where('id', 'in', ids).execute()).toEqual([]);
        expect(await db.selectFrom('sepa_signing_codes').select('id').where('mandate_id', 'in', ids).execute()).toEqual([]);
        expect(await db.selectFrom('sepa_mandate_contracts').select('mandate_id').where('mandate_id', 'in', ids).execute()).toEqual([]);
      }

      // One audit line per round, each with what that round deleted; none for the run that found nothing.
      const audited = await db.selectFrom('audit_log').select(['details', 'at']).where('action', '=', 'mandate.purge_unsigned').orderBy('at').execute();
      expect(audited.map((a) => (JSON.parse(a.details!) as { count: number }).count)).toEqual(sizes);
    } finally {
      for (const p of purgers) p.child.stdin!.end();
      await Promise.all(purgers.map((p) => (p.child.exitCode !== null ? undefined : new Promise((r) => p.child.on('exit', r)))));
      await db.destroy();
    }
  }, 120_000);
});
