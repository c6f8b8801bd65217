import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../tests/support/factories.ts';
import { migrateToLatest, openDatabase } from './db/database.ts';
import { systemClock } from './lib/clock.ts';
import { verifyPassword } from './lib/passwords.ts';
import { hashToken } from './lib/tokens.ts';
import { API_SCOPES } from './features/api-clients/api-clients.rules.ts';

const run = promisify(execFile);
const portal = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { PATH: process.env.PATH ?? '', ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

// Each step starts the command line as its own process (tsx compiling the sources: seconds each
// on a loaded 2-core machine); a test of six commands gets two minutes.
describe('command line', { timeout: 120_000 }, () => {
  it('prints its help', async () => {
    const r = await portal(['--help'], {});
    expect(r.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'seed --demo', 'customers issue-password <number>', 'staff create --email <address> --role admin|agent', 'backup <dir>', 'restore <dir> [--force]', 'verify']) expect(r.stdout).toContain(cmd);
  });

  it('stops at start on an invalid variable, naming it', async () => {
    const r = await portal(['migrate'], { PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PORT');
  });

  it('refuses the demo data in production, whose passwords and second factors are public', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'portal-cli-')), 'prod.sqlite');
    const env = { DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent', NODE_ENV: 'production', PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x', MANDATE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'), PUBLIC_URL: 'https://portal.example' };
    for (const args of [['seed', '--demo'], ['serve', '--demo']]) {
      const r = await portal(args, env);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('--demo is refused in production');
    }
  });

  it('migrates, then issues a temporary password that replaces the previous one', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'portal-cli-')), 'cli.sqlite');
    const env = { DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' };
    const m = await portal(['migrate'], env);
    expect(m.code).toBe(0);
    expect(m.stdout).toContain('001_initial');

    const db = openDatabase(`sqlite:${file}`);
    await migrateToLatest(db);
    const customer = await createCustomer(db, systemClock, { number: 'CLT013261' });

    const first = await portal(['customers', 'issue-password', 'clt013261'], env);
    expect(first.code).toBe(0);
    const p1 = /Temporary password for CLT013261: (\S+)/.exec(first.stdout)?.[1];
    expect(p1).toMatch(/^[2-9A-HJ-NP-Za-km-z]{12}$/);
    const second = await portal(['customers', 'issue-password', 'CLT013261'], env);
    const p2 = /Temporary password for CLT013261: (\S+)/.exec(second.stdout)?.[1];
    expect(p2).not.toBe(p1);

    const account = await db.selectFrom('customer_logins').selectAll().where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(account.state).toBe('not_activated');
    expect(await verifyPassword(account.temp_password_hash!, p2!)).toBe(true);
    expect(await verifyPassword(account.temp_password_hash!, p1!)).toBe(false);
    expect(JSON.stringify(account)).not.toContain(p2!);
    const audited = await db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.issue_temporary_password').execute();
    expect(audited).toHaveLength(2);
    expect(JSON.stringify(audited)).not.toContain(p2!);

    const unknown = await portal(['customers', 'issue-password', 'CLT000000'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No customer numbered CLT000000');
    await db.destroy();
  });

  it('creates an invited member of staff and prints their one-time enrolment link; refuses a second with the same address', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'portal-cli-')), 'cli.sqlite');
    const env = { DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://portail.example' };
    const r = await portal(['staff', 'create', '--email', 'Premier.Admin@Operator.example', '--role', 'admin', '--name', 'Premier Admin'], env);
    expect(r.code, r.stderr).toBe(0);
    const url = /^(http:\/\/portail\.example\/gestion\/inscription\/[A-Za-z0-9_-]{43})$/m.exec(r.stdout)?.[1];
    expect(url).toBeDefined();

    const db = openDatabase(`sqlite:${file}`);
    const member = await db.selectFrom('staff_members').selectAll().executeTakeFirstOrThrow();
    expect(member).toMatchObject({ email: 'premier.admin@operator.example', role: 'admin', state: 'invited', display_name: 'Premier Admin', password_hash: null });
    expect(member.enrolment_token_hash).toBe(hashToken(url!.split('/').pop()!));
    const hours = (Date.parse(member.enrolment_expires_at!) - Date.parse(member.created_at)) / 3600_000;
    expect(hours).toBe(24);
    const audited = await db.selectFrom('audit_log').selectAll().where('action', '=', 'staff.invite').execute();
    expect(audited.map((a) => [a.actor_type, a.actor_id, a.target_id])).toEqual([['system', 'cli', member.id]]);
    expect(JSON.stringify(audited)).not.toContain(url!.split('/').pop()!);
    // Printed, not e-mailed.
    expect(await db.selectFrom('outbox').select('id').execute()).toEqual([]);

    const again = await portal(['staff', 'create', '--email', 'premier.admin@operator.example', '--role', 'agent'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('A team member already has this e-mail address.');
    const badRole = await portal(['staff', 'create', '--email', 'second@operator.example', '--role', 'boss'], env);
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toContain('--role');
    const usage = await portal(['staff', 'create', '--email', 'second@operator.example'], env);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('Usage: staff create');
    expect(await db.selectFrom('staff_members').select('id').execute()).toHaveLength(1);
    await db.destroy();
  });

  it('manages the API’s clients: creates one and prints its key once, lists them, adds a key, revokes one by its prefix', async () => {
    const help = await portal(['--help'], {});
    for (const cmd of ['api-clients create --name <name> --scopes', 'api-clients list', 'api-clients new-key --name <name>', 'api-clients revoke-key <prefix>']) expect(help.stdout).toContain(cmd);
    // Every scope is named in the help (a new scope is added there too).
    for (const scope of API_SCOPES) expect(help.stdout).toContain(scope);

    const file = join(mkdtempSync(join(tmpdir(), 'portal-cli-')), 'cli.sqlite');
    const env = { DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' };
    const created = await portal(['api-clients', 'create', '--name', 'erp', '--scopes', 'customers:read,customers:write', '--rate-limit', '120'], env);
    expect(created.code, created.stderr).toBe(0);
    const key = /^(pk_live_[A-Za-z0-9_-]{43})$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    const db = openDatabase(`sqlite:${file}`);
    const client = await db.selectFrom('api_clients').selectAll().executeTakeFirstOrThrow();
    expect(client).toMatchObject({ name: 'erp', scopes: '["customers:read","customers:write"]', rate_limit_per_minute: 120, state: 'active', created_by: null });
    expect((await db.selectFrom('api_keys').select('key_hash').executeTakeFirstOrThrow()).key_hash).toBe(hashToken(key!));

    const wrong = await portal(['api-clients', 'create', '--name', 'erp', '--scopes', 'everything'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--scopes');
    const taken = await portal(['api-clients', 'create', '--name', 'erp', '--scopes', 'customers:read'], env);
    expect(taken.stderr).toContain('A client already has this name.');

    const added = await portal(['api-clients', 'new-key', '--name', 'erp'], env);
    expect(added.code, added.stderr).toBe(0);
    const second = /^(pk_live_[A-Za-z0-9_-]{43})$/m.exec(added.stdout)?.[1];
    expect(second).not.toBe(key);
    const third = await portal(['api-clients', 'new-key', '--name', 'erp'], env);
    expect(third.code).toBe(1);
    expect(third.stderr).toContain('two active keys');

    const revoked = await portal(['api-clients', 'revoke-key', `${key!.slice(0, 16)}…`], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    const list = await portal(['api-clients', 'list'], env);
    expect(list.stdout).toContain('erp (active, 120/min): customers:read, customers:write');
    expect(list.stdout).toMatch(new RegExp(`${key!.slice(0, 16)}… revoked`));
    expect(list.stdout).toMatch(new RegExp(`${second!.slice(0, 16)}… active`));
    expect(list.stdout).not.toContain(second);
    const audited = await db.selectFrom('audit_log').select(['action', 'actor_type', 'actor_id', 'details']).where('target_type', '=', 'api_client').execute();
    expect(audited.map((a) => a.action).sort()).toEqual(['api_client.create', 'api_client.key_create', 'api_client.key_revoke']);
    expect(audited.every((a) => a.actor_type === 'system' && a.actor_id === 'cli')).toBe(true);
    expect(JSON.stringify(audited)).not.toContain(key!.slice(16));
    await db.destroy();
  });

  it('imports a file: the samples, then again unchanged; a bad line named and nothing written (exit 1); --skip-invalid writes the others and lists the rejected (exit 2)', async () => {
    const help = await portal(['--help'], {});
    expect(help.stdout).toContain('import <kind> <file.csv> [--pdfs <folder>] [--skip-invalid]');
    for (const kind of ['customers', 'car-parks', 'contracts', 'documents', 'payments', 'exits']) expect(help.stdout).toContain(kind);

    const dir = mkdtempSync(join(tmpdir(), 'portal-cli-'));
    const env = { DATABASE_URL: `sqlite:${join(dir, 'cli.sqlite')}`, LOG_LEVEL: 'silent' };
    const first = await portal(['import', 'customers', 'docs/import-samples/customers.csv'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^customers: 4 lines read, 4 written: 4 created, 0 updated, 0 unchanged \(/m);
    const again = await portal(['import', 'customers', 'docs/import-samples/customers.csv'], env);
    expect(again.stdout).toContain('4 written: 0 created, 0 updated, 4 unchanged');

    const bad = join(dir, 'clients.csv');
    writeFileSync(bad, '\uFEFFnumber;kind;last_name;address_line1;postal_code;city\r\nCLT9001;individual;PETIT;1 RUE;75011;PARIS\r\nCLT9002;individual;GRAND;2 RUE;7501;PARIS\r\n');
    const refused = await portal(['import', 'customers', bad], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${bad}: line 3, postal_code: Expected a French postal code (5 digits).`);
    expect(refused.stderr).toContain('Nothing written: 1 bad line of 2.');
    const db = openDatabase(env.DATABASE_URL);
    const numbers = async () => (await db.selectFrom('customers').select('number').where('number', 'like', 'CLT900%').execute()).map((c) => c.number);
    expect(await numbers()).toEqual([]);

    const skipped = await portal(['import', 'customers', bad, '--skip-invalid'], env);
    expect(skipped.code, skipped.stderr).toBe(2);
    expect(skipped.stdout).toContain('1 written: 1 created');
    expect(skipped.stdout).toContain(`1 rejected (1 line), listed with their reasons in ${bad}.rejected.csv.`);
    expect(await numbers()).toEqual(['CLT9001']);
    expect(readFileSync(`${bad}.rejected.csv`, 'utf8')).toContain('CLT9002;individual;GRAND;2 RUE;7501;PARIS;3;postal_code: Expected a French postal code (5 digits).');

    // The samples of docs/import.md, in their order: each kind goes in through the command.
    for (const kind of ['customers', 'car-parks', 'contracts', 'exits', 'documents', 'payments']) {
      const r = await portal(['import', kind, `docs/import-samples/${kind}.csv`, ...(kind === 'documents' ? ['--pdfs', 'docs/import-samples/pdfs'] : [])], env);
      expect(r.code, `${kind}: ${r.stderr}`).toBe(0);
    }
    await db.destroy();
  });
});
