import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../tests/support/factories.ts';
import { migrateToLatest, openDatabase } from './db/database.ts';
import { systemClock } from './lib/clock.ts';
import { verifyPassword } from './lib/passwords.ts';
import { hashToken } from './lib/tokens.ts';

const run = promisify(execFile);
const portal = (args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { PATH: process.env.PATH ?? '', ...env } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('command line', () => {
  it('prints its help', async () => {
    const r = await portal(['--help'], {});
    expect(r.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'seed --demo', 'customers issue-password <number>', 'staff create --email <address> --role admin|agent']) expect(r.stdout).toContain(cmd);
  });

  it('stops at start on an invalid variable, naming it', async () => {
    const r = await portal(['migrate'], { PORT: 'eighty' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PORT');
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
});
