import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, type Config, loadConfig } from './config.ts';
import { type Db, migrateToLatest, openDatabase } from './db/database.ts';
import { systemClock } from './lib/clock.ts';
import { publicUrl } from './lib/links.ts';
import { progressLine } from './lib/progress.ts';

/*
 * Each command imports what it uses when it runs (`await import`): the whole app is several
 * hundred modules, which `--help`, a configuration error or `migrate` do not need.
 */

const HELP = `Mon espace client — the customer portal for parking operators

Usage: npm run portal -- <command> [options]
       (or: npx tsx src/main.ts <command> [options];
        built for production: npm run build, then npm run portal:prod -- <command>
        or node dist/main.js <command>; npm run start:prod serves)

Commands:
  serve [--demo] [--workers <n>]      Apply pending migrations and start the web server.
                                      --demo loads the demo data when the database has
                                      no customer yet (this is what \`npm start\` does).
                                      With MAIL_WORKER=in-process (the default) it also
                                      runs the background jobs, e-mail delivery included.
                                      --workers <n> (default 1: this process serves):
                                      n processes (Node's cluster) serve on the same
                                      port; this one migrates, then only supervises them
                                      (a worker that dies is replaced; SIGTERM/SIGINT
                                      stop them all, each finishing its requests). With
                                      MAIL_WORKER=in-process every worker runs the jobs
                                      too: their leases keep them from doing anything twice.
  worker [--once]                     Run the background jobs (src/jobs/: e-mail delivery,
                                      "new document" notices, expired payments,
                                      housekeeping, the sandbox's webhooks) in a process
                                      of its own; --once runs them until nothing is due
                                      and exits.
  migrate                             Apply pending database migrations and exit.
  seed --demo                         Load the demo data into an empty database.
  customers issue-password <number>   Issue a new temporary password for customer <number>
                                      (e.g. CLT013261), print it once, and invalidate the
                                      previous one.
  staff create --email <address> --role admin|agent [--name <name>]
                                      Invite a member of staff to the back office
                                      (/gestion) and print their one-time enrolment link
                                      (valid 24 h): how the first admin is created; admins
                                      invite the others from the back office.
  api-clients create --name <name> --scopes <scope,scope…> [--rate-limit <n>]
                                      Create a client of the operator's API (/api/v1) and
                                      print its key once (only its hash is kept). Scopes:
                                      customers:read, customers:write, car_parks:read,
                                      car_parks:write, credentials:write, contracts:read,
                                      contracts:write, exits:read, exits:write,
                                      documents:read, documents:write,
                                      payments:read (also the online payments' feed),
                                      payments:write; the feeds: mandates:read,
                                      mandates:iban (the full IBAN, each read audited),
                                      contact_requests:read, customer_changes:read,
                                      vehicle_changes:read, access:read, terminations:read,
                                      e_invoices:read (the e-invoices feed and files).
                                      Rate limit: requests per minute (default 600).
  api-clients list                    The clients, their scopes, state and keys (prefixes).
  api-clients new-key --name <name>   A second key for a client (two at most): install it,
                                      then revoke the old one. Printed once.
  api-clients revoke-key <prefix>     Revoke the key of this prefix (pk_live_ab12cd34):
                                      it stops working at once.
  import <kind> <file.csv> [--pdfs <folder>] [--skip-invalid]
                                      Import a CSV file from the operator's billing
                                      system; <kind>: customers, car-parks, contracts,
                                      documents, payments, exits (docs/import.md gives
                                      each kind's columns; samples in docs/import-samples/).
                                      Every line is checked and every bad one reported
                                      (line, column, reason); written as checked in one
                                      transaction, rolled back unless all are good.
                                      --skip-invalid writes the good ones and lists the
                                      others with their reasons in <file.csv>.rejected.csv.
                                      --pdfs: the folder of the PDFs a documents file names.
                                      Importing the same file again changes nothing.
                                      Exit status: 0 done, 1 nothing written, 2 written
                                      with lines rejected (--skip-invalid).
  backup <dir>                        Back up the installation while it runs into <dir>
                                      (new or empty, mode 0700): the database (SQLite through
                                      its online backup API, PostgreSQL through pg_dump), every
                                      stored file it names (documents, signed mandates,
                                      attachments, logo, exports) and manifest.json (version,
                                      migration, the database file's and each file's SHA-256,
                                      rows per table). Never the MANDATE_ENCRYPTION_KEY: keep
                                      it apart.
  restore <dir> [--force]             Restore a backup into an empty database and storage
                                      (--force replaces what they hold), the database in one
                                      transaction; refused, nothing written, unless every
                                      file matches the manifest's SHA-256. Then check every
                                      table's count and every file's SHA-256 against the
                                      manifest; exit status 1 with the differences if any.
  verify                              Check the installation: every file the database names
                                      is stored, every file matches its SHA-256, none is
                                      orphaned; exit status 1 naming each problem.

Options:
  -h, --help                          Show this help.

Configuration comes from environment variables (see .env.example); with none,
the portal uses a SQLite file under data/ and listens on http://127.0.0.1:3000.
`;

async function countCustomers(db: Db): Promise<number> {
  const row = await db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function loadDemo(db: Db, config: Config): Promise<void> {
  const { contentStore } = await import('./lib/content-store.ts');
  const { findCustomerByNumber } = await import('./features/customers/customers.service.ts');
  const { publishPendingPdfs } = await import('./features/documents/documents.service.ts');
  const { DEMO_TEMP_PASSWORD, seedDemo } = await import('./features/demo/demo.seed.ts');
  const started = performance.now();
  const { customers, documents } = await seedDemo(db, systemClock, {
    tempPasswordDays: config.TEMP_PASSWORD_DAYS,
    mandateKey: config.mandateKey,
    attachments: contentStore(config, 'attachments'),
  });
  console.log(`Demo data loaded: ${customers} customers, ${documents} documents (${Math.round(performance.now() - started)} ms). Rendering their PDFs…`);
  // The manual's customer keeps the documented demo password on his invoices.
  const durand = await findCustomerByNumber(db, 'CLT013261');
  const progress = progressLine('PDFs');
  const pdfs = await publishPendingPdfs(db, contentStore(config, 'documents'), systemClock, config, {
    temporaryPasswords: new Map(durand ? [[durand.id, DEMO_TEMP_PASSWORD]] : []),
    onProgress: (p) => progress.update(p),
  });
  progress.end();
  console.log(
    `PDFs: ${pdfs.published} rendered (${progress.rate(pdfs.published)}/s), ${pdfs.failed.length} failed (${Math.round(performance.now() - started)} ms in all).`,
  );
}

async function printDemoLogin(config: Config, db: Db): Promise<void> {
  const { DEMO_ACTIVE_PASSWORD, DEMO_TEMP_PASSWORD } = await import('./features/demo/demo.seed.ts');
  const { DEMO_STAFF, DEMO_STAFF_PASSWORD } = await import('./features/demo/demo.staff.ts');
  const { DEMO_API_KEY } = await import('./features/demo/demo.api.ts');
  const { DEMO_ACCOUNTANT, DEMO_BUSINESS_NUMBER } = await import('./features/demo/demo.users.ts');
  const { totpUri } = await import('./features/staff/staff.totp.ts');
  const { operatorSettings } = await import('./features/settings/settings.queries.ts');
  const operator = await operatorSettings(db, config);
  const { groupByFour } = await import('./features/staff/staff.rules.ts');
  const staff = DEMO_STAFF.flatMap((m) => [
    `     ${m.role === 'admin' ? 'Admin:' : 'Agent:'}       ${m.email}, TOTP secret ${groupByFour(m.totpSecret)}`,
    `                  ${totpUri(operator, m.email, m.totpSecret)}`,
  ]);
  console.log(`
  ┌──────────────────────────────────────────────────────────────────┐
   Demo login (demo data only — never in production)
     Portal:      ${publicUrl(config, '/connexion')}
     First login: IDENTIFIANT CLT013261, temporary password ${DEMO_TEMP_PASSWORD}
     Active demo customers (e.g. CLT013262): password « ${DEMO_ACTIVE_PASSWORD} »
     Accountant of ${DEMO_BUSINESS_NUMBER}: ${DEMO_ACCOUNTANT.email}, the same password

     Back office: ${publicUrl(config, '/gestion/connexion')}, password « ${DEMO_STAFF_PASSWORD} »
${staff.join('\n')}
     The code: add the secret (or open its otpauth:// URI) in any authenticator app.

     API:         ${publicUrl(config, '/api/docs')}, client erp-demo (every scope), key
                  Authorization: Bearer ${DEMO_API_KEY}
  └──────────────────────────────────────────────────────────────────┘
`);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      demo: { type: 'boolean' },
      once: { type: 'boolean' },
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      'rate-limit': { type: 'string' },
      pdfs: { type: 'string' },
      'skip-invalid': { type: 'boolean' },
      workers: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(HELP);
    return command || values.help ? 0 : 1;
  }

  // A `.env` file beside the project, when present, fills in the environment (never overrides it).
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const db = openDatabase(config.databaseUrl);
  try {
    // The demo publishes its passwords and the staff's TOTP secrets: never on a real installation.
    if (values.demo && config.NODE_ENV === 'production') {
      console.error(`${command}: --demo is refused in production (NODE_ENV=production): the demo's passwords and second factors are public.`);
      return 1;
    }
    switch (command) {
      case 'migrate': {
        const applied = await migrateToLatest(db);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database already up to date.');
        return 0;
      }
      case 'seed': {
        if (!values.demo) {
          console.error('seed: only --demo is available.');
          return 1;
        }
        await migrateToLatest(db);
        if ((await countCustomers(db)) > 0) {
          console.error('seed: the database already has customers; demo data goes only into an empty database.');
          return 1;
        }
        await loadDemo(db, config);
        await printDemoLogin(config, db);
        return 0;
      }
      case 'customers': {
        const [sub, number] = rest;
        if (sub !== 'issue-password' || !number) {
          console.error('Usage: customers issue-password <number>');
          return 1;
        }
        await migrateToLatest(db);
        const { findCustomerByNumber, issueTemporaryPassword } = await import('./features/customers/customers.service.ts');
        const { audit } = await import('./lib/audit.ts');
        const customer = await findCustomerByNumber(db, number.trim().toUpperCase());
        if (!customer) {
          console.error(`No customer numbered ${number}.`);
          return 1;
        }
        const { password, expiresAt } = await issueTemporaryPassword(db, systemClock, customer.id, config.TEMP_PASSWORD_DAYS);
        await audit(db, systemClock, {
          actor_type: 'system',
          actor_id: 'cli',
          action: 'customer.issue_temporary_password',
          outcome: 'success',
          target_type: 'customer',
          target_id: customer.id,
        });
        console.log(`Temporary password for ${customer.number}: ${password}`);
        console.log(`Valid until ${expiresAt}. The previous temporary password no longer works. It is shown only once.`);
        return 0;
      }
      case 'staff': {
        if (rest[0] !== 'create' || rest.length > 1 || !values.email || !values.role) {
          console.error('Usage: staff create --email <address> --role admin|agent [--name <name>]');
          return 1;
        }
        await migrateToLatest(db);
        const { inviteMember } = await import('./features/staff/team.service.ts');
        const { translator } = await import('./lib/i18n.ts');
        const result = await inviteMember(db, systemClock, config, { email: values.email, role: values.role, name: values.name ?? '' }, { kind: 'cli' });
        if (!result.ok) {
          const t = translator('en');
          for (const [field, errors] of Object.entries(result.errors)) for (const e of errors ?? []) console.error(`--${field}: ${t(e.key, e.params)}`);
          return 1;
        }
        console.log(`Invited ${result.member.email} (${result.member.role}) to the back office. Their enrolment link, shown only now, works once until ${result.link.expiresAt}:`);
        console.log(result.link.url);
        return 0;
      }
      case 'api-clients': {
        const [sub, arg] = rest;
        await migrateToLatest(db);
        const { createApiClient, addApiKey, revokeApiKey } = await import('./features/api-clients/api-clients.service.ts');
        const { listApiClients, apiClientIdByName } = await import('./features/api-clients/api-clients.queries.ts');
        const { shownKey, typedPrefix } = await import('./features/api-clients/api-clients.rules.ts');
        const { translator } = await import('./lib/i18n.ts');
        const t = translator('en');
        const cli = { kind: 'cli' } as const;
        if (sub === 'create' && values.name && values.scopes !== undefined && !arg) {
          const scopes = values.scopes.split(',').map((s) => s.trim()).filter(Boolean);
          const result = await createApiClient(db, systemClock, { name: values.name, scopes, rateLimit: values['rate-limit'] ?? '' }, cli);
          if (!result.ok) {
            for (const [field, errors] of Object.entries(result.errors)) for (const e of errors ?? []) console.error(`--${field.replace('_', '-')}: ${t(e.key, e.params)}`);
            return 1;
          }
          console.log(`API client ${result.client.name} created (${result.client.scopes.join(', ')}). Its key, shown only now (only its hash is kept):`);
          console.log(result.key.key);
          return 0;
        }
        if (sub === 'list' && !arg) {
          const clients = await listApiClients(db);
          if (clients.length === 0) console.log('No API client.');
          for (const c of clients) {
            const keys = c.keys.map((k) => `${shownKey(k.prefix)} ${k.revoked_at ? `revoked ${k.revoked_at}` : `active, last used ${k.last_used_at ?? 'never'}`}`);
            console.log(`${c.name} (${c.state}, ${c.rate_limit_per_minute}/min): ${c.scopes.join(', ')}`);
            for (const k of keys) console.log(`  ${k}`);
          }
          return 0;
        }
        if (sub === 'new-key' && values.name && !arg) {
          const id = await apiClientIdByName(db, values.name);
          const result = id ? await addApiKey(db, systemClock, id, cli) : { ok: false as const, notFound: true as const };
          if (!result.ok) {
            console.error('notFound' in result ? `No API client named ${values.name}.` : t(result.refusal));
            return 1;
          }
          console.log(`A new key for ${values.name}, shown only now; revoke the old one once it is installed:`);
          console.log(result.key?.key);
          return 0;
        }
        if (sub === 'revoke-key' && arg) {
          const result = await revokeApiKey(db, systemClock, { prefix: typedPrefix(arg) }, cli);
          if (!result.ok) {
            console.error('notFound' in result ? `No API key begins with ${arg}.` : t(result.refusal));
            return 1;
          }
          console.log(`Key ${shownKey(typedPrefix(arg))} revoked: it no longer works.`);
          return 0;
        }
        console.error('Usage: api-clients create --name <name> --scopes <scope,…> [--rate-limit <n>] | list | new-key --name <name> | revoke-key <prefix>');
        return 1;
      }
      case 'import': {
        const [kindName, file, ...more] = rest;
        const usage = 'Usage: import <customers|car-parks|contracts|documents|payments|exits> <file.csv> [--pdfs <folder>] [--skip-invalid]';
        const { importKinds, isImportKind } = await import('./features/import/import.kinds.ts');
        if (!kindName || !file || more.length > 0 || !isImportKind(kindName)) {
          console.error(usage);
          return 1;
        }
        const kind = importKinds[kindName];
        if (values.pdfs !== undefined && !kind.columns.some((c) => c.format === 'pdf')) {
          console.error(`import ${kindName}: --pdfs is for a file that names PDFs (documents).`);
          return 1;
        }
        if (!existsSync(file)) {
          console.error(`import ${kindName}: no file ${file}.`);
          return 1;
        }
        await migrateToLatest(db);
        const { importFile, describeProblem, describeRowError } = await import('./features/import/import.service.ts');
        const { contentStore } = await import('./lib/content-store.ts');
        const started = performance.now();
        const progress = progressLine(`${kindName}:`);
        const result = await importFile({ db, clock: systemClock, config, storage: contentStore(config, 'documents') }, kind, file, {
          pdfs: values.pdfs ?? null,
          skipInvalid: values['skip-invalid'] ?? false,
          onProgress: (p) => progress.update(p),
        });
        progress.end();
        if (!result.ok) {
          for (const p of result.problems) console.error(`${file}: ${describeProblem(p)}`);
          console.error('Nothing written.');
          return 1;
        }
        const r = result.report;
        for (const e of r.errors) console.error(`${file}: ${describeRowError(e)}`);
        const bad = new Set(r.errors.map((e) => e.line)).size;
        if (!r.written) {
          console.error(`Nothing written: ${bad} bad line${bad === 1 ? '' : 's'} of ${r.lines}. Correct them, or run again with --skip-invalid to write the others.`);
          return 1;
        }
        const seconds = (performance.now() - started) / 1000;
        const written = r.counts.created + r.counts.updated + r.counts.unchanged;
        console.log(
          `${kindName}: ${r.lines} line${r.lines === 1 ? '' : 's'} read, ${written} written: ${r.counts.created} created, ${r.counts.updated} updated, ${r.counts.unchanged} unchanged (${seconds.toFixed(2)} s, ${Math.round(written / seconds)}/s).`,
        );
        if (r.rejected.file) {
          console.log(`${r.rejected.items} rejected (${r.rejected.lines} line${r.rejected.lines === 1 ? '' : 's'}), listed with their reasons in ${r.rejected.file}.`);
          return 2;
        }
        if (r.rejected.staleRemoved) console.log(`None rejected: the earlier ${r.rejected.staleRemoved} was removed.`);
        return 0;
      }
      case 'backup': {
        const [dir, ...more] = rest;
        if (!dir || more.length > 0) {
          console.error('Usage: backup <dir>');
          return 1;
        }
        await (await import('./lib/content-store.ts')).assertStorageReachable(config);
        const { makeBackup } = await import('./features/backup/backup.service.ts');
        const { KEY_NOTICE } = await import('./features/backup/backup.rules.ts');
        const started = performance.now();
        const result = await makeBackup({ db, config }, systemClock, dir);
        if (!result.ok) {
          console.error(`backup: ${result.refusal}`);
          return 1;
        }
        const m = result.manifest;
        const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
        const bytes = m.files.reduce((a, f) => a + f.bytes, 0);
        console.log(
          `Backup of the ${m.database} database (migration ${m.migration ?? 'none'}, ${Object.keys(m.tables).length} tables, ${rows} rows) and ${m.files.length} files (${bytes} bytes) in ${dir} (${((performance.now() - started) / 1000).toFixed(2)} s).`,
        );
        console.log(KEY_NOTICE);
        for (const g of result.gone) console.log(`${g}: deleted while the backup ran (an export expired, a logo replaced), left out: the database copied still names it.`);
        for (const d of result.damaged) console.error(`backup: ${d}; copied as it is: run verify.`);
        for (const d of result.missing) console.error(`backup: ${d}: not in the backup; run verify.`);
        return result.damaged.length || result.missing.length ? 1 : 0;
      }
      case 'restore': {
        const [dir, ...more] = rest;
        if (!dir || more.length > 0) {
          console.error('Usage: restore <dir> [--force]');
          return 1;
        }
        await (await import('./lib/content-store.ts')).assertStorageReachable(config);
        const { restoreBackup } = await import('./features/backup/backup.service.ts');
        const result = await restoreBackup({ db, config }, dir, { force: values.force ?? false });
        if (!result.ok) {
          console.error(`restore: ${result.refusal}`);
          return 1;
        }
        const m = result.manifest;
        for (const d of result.differences) console.error(`restore: ${d}`);
        if (result.differences.length) {
          console.error(`restore: ${result.differences.length} difference${result.differences.length === 1 ? '' : 's'} with the backup's manifest.`);
          return 1;
        }
        console.log(`Restored the backup of ${m.createdAt} (portal ${m.portal.version}, migration ${m.migration ?? 'none'}): ${Object.keys(m.tables).length} tables and ${m.files.length} files, every count and SHA-256 as in the manifest.`);
        return 0;
      }
      case 'verify': {
        if (rest.length > 0) {
          console.error('Usage: verify');
          return 1;
        }
        await (await import('./lib/content-store.ts')).assertStorageReachable(config);
        const { verifyInstallation } = await import('./features/backup/backup.service.ts');
        const report = await verifyInstallation({ db, config });
        const checked = Object.entries(report.files).map(([kind, n]) => `${n} ${kind}`).join(', ');
        for (const p of report.problems) console.error(`verify: ${p}`);
        if (report.problems.length) {
          console.error(`verify: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} (files checked: ${checked}).`);
          return 1;
        }
        console.log(`Every file the database names is stored and intact, none orphaned (files checked: ${checked}).`);
        return 0;
      }
      case 'worker': {
        await (await import('./lib/content-store.ts')).assertStorageReachable(config);
        await migrateToLatest(db);
        const { createJobRunner } = await import('./jobs/runner.ts');
        const { mailDelivery } = await import('./jobs/mail-delivery.ts');
        const worker = createJobRunner(db, systemClock, config, (msg, data) => console.log(JSON.stringify({ msg, ...data })));
        // Its metrics (job runs, statements, the outbox, payments booked) on METRICS_PORT, if set.
        const metrics = config.METRICS_PORT && !values.once ? await workerMetrics(config, db, worker) : null;
        if (values.once) {
          const counts = await worker.drain();
          const mail = counts[mailDelivery.name];
          console.log(`Outbox: ${mail?.sent ?? 0} sent, ${mail?.failed ?? 0} failed (will be retried).`);
          return 0;
        }
        console.log(`Worker ${worker.id}: ${worker.describe()}.`);
        const shutdown = async () => {
          await worker.stop();
          metrics?.close();
          await db.destroy();
          process.exit(0);
        };
        process.once('SIGTERM', () => void shutdown());
        process.once('SIGINT', () => void shutdown());
        worker.start();
        return -1;
      }
      case 'serve': {
        const workers = values.workers === undefined ? 1 : /^\d{1,3}$/.test(values.workers) ? Number(values.workers) : 0;
        if (workers < 1 || workers > 64) {
          console.error('serve: --workers takes a number of processes from 1 to 64.');
          return 1;
        }
        // A worker of `serve --workers`: the primary migrated (and loaded the demo) before forking it.
        if (cluster.isWorker) return serve(config, db);
        // Checked once, before any worker starts.
        await (await import('./lib/content-store.ts')).assertStorageReachable(config);
        await migrateToLatest(db);
        if (values.demo && (await countCustomers(db)) === 0) await loadDemo(db, config);
        if (workers === 1) return serve(config, db, { demoBanner: values.demo });
        const { superviseWorkers } = await import('./lib/cluster.ts');
        if (values.demo) await printDemoLogin(config, db);
        await db.destroy();
        // METRICS_PORT is the primary's: every worker's metrics, summed.
        await (await import('./features/ops/ops.server.ts')).publishMetrics(config, 'workers', (msg, err) => console.error(msg, err));
        return superviseWorkers(workers, { onListening: () => console.log(`Listening on ${publicUrl(config, '/')} (${workers} workers).`) });
      }
      default:
        console.error(`Unknown command: ${command}\n`);
        console.error(HELP);
        return 1;
    }
  } finally {
    if (command !== 'serve' && command !== 'worker') await db.destroy();
  }
}

/** A worker process's metrics on METRICS_PORT: what it runs, in a registry of its own. */
async function workerMetrics(config: Config, db: Db, worker: import('./jobs/runner.ts').JobRunner) {
  const { createMetrics } = await import('./features/ops/ops.metrics.ts');
  const metrics = createMetrics(db, systemClock);
  worker.observe(metrics.jobRun);
  const stop = await (await import('./features/ops/ops.server.ts')).publishMetrics(config, metrics, (msg, err) => console.error(msg, err));
  return {
    close: () => {
      stop();
      metrics.close();
    },
  };
}

/**
 * The web server in this process, and the background jobs with MAIL_WORKER=in-process; on
 * SIGTERM or SIGINT it refuses new requests, answers those in flight, stops the jobs and exits 0.
 */
async function serve(config: Config, db: Db, opts: { demoBanner?: boolean | undefined } = {}): Promise<number> {
  const { buildApp } = await import('./app.tsx');
  const { createJobRunner } = await import('./jobs/runner.ts');
  const app = await buildApp({ config, db });
  const worker = config.MAIL_WORKER === 'in-process' ? createJobRunner(db, systemClock, config, (msg, data) => app.log.warn(data, msg)) : null;
  if (worker) worker.observe(app.metrics.jobRun);
  // On METRICS_PORT, or (a worker of `serve --workers`) to the primary, which sums them there.
  const stopMetrics = await (await import('./features/ops/ops.server.ts')).publishMetrics(config, app.metrics, (msg, err) => app.log.error({ err }, msg));
  let closing: Promise<void> | null = null;
  // Once: a worker of `serve --workers` may get the terminal's SIGINT and the primary's SIGTERM.
  const shutdown = (signal: string) =>
    (closing ??= (async () => {
      // SIGTERM is the orchestrator's or the load balancer's: first out of rotation, still serving.
      if (signal === 'SIGTERM' && config.SHUTDOWN_DRAIN_SECONDS > 0) {
        app.log.info({ signal, seconds: config.SHUTDOWN_DRAIN_SECONDS }, 'shutting down: not ready, still serving');
        app.lifecycle.state = 'draining';
        await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_DRAIN_SECONDS * 1000));
      }
      app.log.info({ signal }, 'shutting down: finishing in-flight requests');
      app.lifecycle.state = 'closing';
      stopMetrics();
      await app.close();
      await worker?.stop();
      await db.destroy();
      process.exit(0);
    })());
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ host: config.HOST, port: config.PORT });
  worker?.start();
  if (opts.demoBanner) await printDemoLogin(config, db);
  return -1; // keep running
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(err);
    process.exit(1);
  },
);
