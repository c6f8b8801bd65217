import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Browser, type TestApp, csrfToken, databaseKinds, useTestApp } from '../../tests/support/app.ts';
import { activeSubscriber, createCarPark, createContract, emailColumns, newSubscriber } from '../../tests/support/factories.ts';
import { hasPdftotext, pdfText } from '../../tests/support/pdf.ts';
import { loggedInStaff, totpCode } from '../../tests/support/staff.ts';
import { MINUTE, newId, nowIso } from '../lib/clock.ts';
import { hashToken } from '../lib/tokens.ts';
import { createMandate, signMandate } from '../features/direct-debit/direct-debit.service.ts';
import { friendlyIban } from '../features/direct-debit/direct-debit.rules.ts';
import { inviteMember } from '../features/staff/team.service.ts';

/*
 * The back office against the security bar (A8, S1, S3, L1, M1) and the issue: what staff may
 * reach of a customer (the full IBAN: admins only), what the audit log says of each staff
 * action (who, on whom), what a staff logout ends, and that no secret of a staff login — its
 * password, TOTP secret or codes, recovery codes, enrolment link — nor a customer's temporary
 * password is kept in the audit log, the outbox or the request log.
 */

const IBAN = 'FR7630006000011234567890189';
/** Every way the full IBAN could be written down. */
const ibanForms = (iban: string) => [iban, friendlyIban(iban), iban.slice(4, -4)];

/** The TOTP key shown beside the QR code, without its spaces. */
const shownSecret = (html: string) => /class="totp-secret"><code>([A-Z2-7 ]+)<\/code>/.exec(html)?.[1]?.replaceAll(' ', '');
/** The recovery codes shown after enrolment. */
const shownCodes = (html: string) => [...html.matchAll(/<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/code>/g)].map((m) => m[1]!);

/** Every row of every table a secret must never reach, as one text. */
async function everythingKept(t: TestApp): Promise<string> {
  const tables = ['audit_log', 'outbox', 'staff_members', 'staff_sessions', 'staff_recovery_codes', 'customer_logins', 'sessions', 'letter_batches'] as const;
  const rows = await Promise.all(tables.map((table) => t.db.selectFrom(table).selectAll().execute()));
  return JSON.stringify(rows);
}

describe.each(databaseKinds())('the back office’s security (%s)', (kind) => {
  const t = useTestApp(kind);
  let ipSeq = 0;
  const ip = () => `10.95.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
  const audits = (action: string, targetId: string) =>
    t.db.selectFrom('audit_log').select(['actor_type', 'actor_id', 'outcome', 'target_type', 'ip', 'details']).where('action', '=', action).where('target_id', '=', targetId).orderBy('at').execute();

  /** A customer whose mandate is signed online (its PDF prints the full IBAN) and waits for customer service. */
  async function signedMandate() {
    const { customer } = await activeSubscriber(t.db, t.clock);
    const email = `sec-${customer.number.toLowerCase()}@example.test`;
    await t.db.updateTable('customers').set(emailColumns(email, null, nowIso(t.clock))).where('id', '=', customer.id).execute();
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    const c = { db: t.db, clock: t.clock, config: t.config, customerId: customer.id, meta: { ip: '10.95.255.1', user_agent: null } };
    const created = await createMandate(
      c,
      { holderName: 'DURAND FRANCOIS', holderAddress: '1 RUE DE LA PAIX\n75008 PARIS\nFrance', iban: IBAN, ibanCountry: 'FR', bic: 'BNPAFRPP', contractIds: [contract.id], place: 'Paris' },
      '',
    );
    if (!created.ok) throw new Error(created.reason);
    const mail = await t.db.selectFrom('outbox').select('text_body').where('recipient', '=', email).where('template', '=', 'mandate-code').executeTakeFirstOrThrow();
    const code = /:\s*(\d{6})\s*$/m.exec(mail.text_body)![1]!;
    expect((await signMandate({ ...c, storage: t.app.storage, lang: 'fr' }, created.mandateId, code)).ok).toBe(true);
    return { customer, id: created.mandateId, rum: created.rum };
  }

  /** A member's browser that opened the read-only view of this customer. */
  async function viewing(role: 'agent' | 'admin', number: string) {
    const { b, staff } = await loggedInStaff(t, ip(), role);
    const page = await b.get(`/gestion/clients/${number}`);
    const res = await b.post(`/gestion/clients/${number}/vue-client`, { _csrf: csrfToken(page.body) });
    expect(res.statusCode).toBe(303);
    return { b, staff };
  }

  it.skipIf(!hasPdftotext)('keeps the full IBAN to admins: the signed mandate, which prints it, downloads for an admin only, never through the customer view', async () => {
    const m = await signedMandate();
    const { b: agent } = await loggedInStaff(t, ip(), 'agent');
    const { b: admin, staff: adminMember } = await loggedInStaff(t, ip(), 'admin');

    // What an admin downloads does hold the full IBAN.
    const pdf = await admin.get(`/gestion/mandats/${m.id}/mandat.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdfText(pdf.rawPayload).replace(/\s/g, '')).toContain(IBAN);
    expect(await audits('mandate.pdf_download', m.rum)).toMatchObject([{ actor_id: adminMember.id, outcome: 'success' }]);
    expect((await admin.get(`/gestion/mandats/${m.id}`)).body).toContain(`href="/gestion/mandats/${m.id}/mandat.pdf"`);

    // An agent gets neither the file nor a link to it; the refusal is audited.
    const refused = await agent.get(`/gestion/mandats/${m.id}/mandat.pdf`);
    expect(refused.statusCode).toBe(403);
    for (const form of ibanForms(IBAN)) expect(refused.rawPayload.toString('latin1').replace(/\s/g, '')).not.toContain(form);
    const page = await agent.get(`/gestion/mandats/${m.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('mandat.pdf');
    expect(page.body).toContain('Le mandat signé porte l’IBAN complet : il est réservé aux administrateurs.');

    // Nor through "voir comme le client", whoever looks.
    for (const role of ['agent', 'admin'] as const) {
      const { b } = await viewing(role, m.customer.number);
      expect((await b.get('/prelevement')).statusCode).toBe(200);
      const res = await b.get(`/prelevement/mandat/${m.id}.pdf`);
      expect(res.statusCode, role).toBe(403);
      expect(res.headers['content-type'], role).toMatch(/^text\/html/);
      expect(res.body).toContain('Vue du conseiller — lecture seule');
    }
    expect(await audits('mandate.pdf_download', m.rum)).toHaveLength(1);
  });

  it('audits each new temporary password of a batch of letters on its customer: who, on whom, from where', async () => {
    const from = ip();
    const { b, staff } = await loggedInStaff(t, from);
    const first = await newSubscriber(t.db, t.clock);
    const second = await newSubscriber(t.db, t.clock);
    const res = await b.submit('/gestion/courriers', '/gestion/courriers', { selection: 'liste', numbers: `${first.customer.number}\n${second.customer.number}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const batch = await t.db.selectFrom('letter_batches').select('id').where('staff_id', '=', staff.id).executeTakeFirstOrThrow();
    for (const { customer } of [first, second]) {
      const entries = await audits('customer.issue_temporary_password', customer.id);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor_type: 'staff', actor_id: staff.id, outcome: 'success', target_type: 'customer', ip: from });
      expect(JSON.parse(entries[0]!.details!)).toEqual({ letter: true, batch: batch.id });
    }
    expect(await audits('letters.batch', batch.id)).toHaveLength(1);
  });

  it('ends the read-only customer views a member opened when they log out of the back office', async () => {
    const { customer } = await activeSubscriber(t.db, t.clock);
    const { b, staff } = await viewing('agent', customer.number);
    expect((await b.get('/profil')).statusCode).toBe(200);
    // The same member's view in a second browser of theirs ends too; another member's lives on.
    const second = new Browser(t.app, ip());
    second.cookies.set(t.app.staffCookie.name, b.cookies.get(t.app.staffCookie.name)!);
    const record = await second.get(`/gestion/clients/${customer.number}`);
    expect((await second.post(`/gestion/clients/${customer.number}/vue-client`, { _csrf: csrfToken(record.body) })).statusCode).toBe(303);
    expect((await second.get('/contrats')).statusCode).toBe(200);
    const other = await viewing('agent', customer.number);
    const home = await b.get('/gestion');
    expect((await b.post('/gestion/deconnexion', { _csrf: csrfToken(home.body) })).statusCode).toBe(303);
    const after = await b.get('/profil');
    expect(after.statusCode).toBe(302);
    expect(after.headers.location).toMatch(/^\/connexion/);
    expect((await second.get('/contrats')).headers.location).toMatch(/^\/connexion/);
    expect(await t.db.selectFrom('sessions').select('kind').where('staff_id', '=', staff.id).execute()).toEqual([]);
    expect((await audits('customer.staff_view.end', customer.id)).filter((e) => e.actor_id === staff.id).map((e) => JSON.parse(e.details!))).toEqual([{ ended: 'staff_logout' }, { ended: 'staff_logout' }]);
    expect((await other.b.get('/profil')).statusCode).toBe(200);
  });

  it('audits a logout from the customer view as the member leaving it, never as the customer logging out', async () => {
    const { customer } = await activeSubscriber(t.db, t.clock);
    const { b, staff } = await viewing('agent', customer.number);
    const profile = await b.get('/profil');
    expect((await b.post('/deconnexion', { _csrf: csrfToken(profile.body) })).statusCode).toBe(303);
    expect((await b.get('/profil')).headers.location).toMatch(/^\/connexion/);
    expect(await audits('auth.logout', customer.id)).toEqual([]);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'auth.logout').where('actor_id', '=', customer.id).execute()).toEqual([]);
    expect(await audits('customer.staff_view.end', customer.id)).toMatchObject([{ actor_type: 'staff', actor_id: staff.id, outcome: 'success' }]);
  });

  it('ends a staff session 8 hours after the login, however busy (S1)', async () => {
    expect(t.config.STAFF_SESSION_ABSOLUTE_HOURS).toBeLessThanOrEqual(8);
    const { b } = await loggedInStaff(t, ip());
    for (let i = 0; i < 8 * 6 - 1; i++) {
      t.clock.advance(10 * MINUTE);
      expect((await b.get('/gestion')).statusCode, `after ${(i + 1) * 10} min`).toBe(200);
    }
    t.clock.advance(10 * MINUTE);
    const res = await b.get('/gestion');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/gestion/connexion?expire&suite=/gestion');
  });

  it('keeps no secret of a staff member’s enrolment and logins — password, TOTP secret and codes, recovery codes, link — anywhere', async () => {
    const invited = await inviteMember(t.db, t.clock, t.config, { email: `secrets-${newId().slice(-8)}@operator.example`, role: 'admin', name: '' }, { kind: 'cli' });
    if (!invited.ok) throw new Error('invite');
    const path = new URL(invited.link.url).pathname;
    const token = path.split('/').pop()!;
    const b = new Browser(t.app, ip());
    const page = await b.get(path);
    const secret = shownSecret(page.body)!;
    const password = 'phare boussole lanterne violette';
    const enrolCode = await totpCode(secret, t.clock.now());
    const done = await b.submit(path, '/gestion/inscription', { token, name: 'Admin Secrets', password, password_confirm: password, code: enrolCode });
    expect(done.statusCode).toBe(200);
    const recovery = shownCodes(done.body);
    expect(recovery).toHaveLength(10);

    // A login with the app's code, a wrong code, and one with a recovery code.
    t.clock.advance(MINUTE);
    const used: string[] = [];
    const login = async (code: string, status: number) => {
      const x = new Browser(t.app, ip());
      expect((await x.submit('/gestion/connexion', '/gestion/connexion', { email: invited.member.email, password })).statusCode).toBe(303);
      expect((await x.submit('/gestion/verification', '/gestion/verification', { code })).statusCode).toBe(status);
      used.push(code);
    };
    await login(await totpCode(secret, t.clock.now()), 303);
    await login('000000', 401);
    await login(recovery[0]!, 303);
    // A wrong password, and a password typed where the e-mail goes.
    const wrong = 'pas le bon mot de passe du tout';
    await new Browser(t.app, ip()).submit('/gestion/connexion', '/gestion/connexion', { email: invited.member.email, password: wrong });
    const misplaced = 'violette phare lanterne boussole';
    await new Browser(t.app, ip()).submit('/gestion/connexion', '/gestion/connexion', { email: misplaced, password: misplaced });

    const kept = await everythingKept(t);
    const secrets = [password, wrong, misplaced, secret, token, hashToken(token), enrolCode, ...used.filter((c) => c !== '000000'), ...recovery, ...recovery.map((c) => c.replaceAll('-', ''))];
    for (const s of secrets) expect(kept, s).not.toContain(s);
    // The audit log says who did what, when and from where.
    const entries = await t.db.selectFrom('audit_log').select(['action', 'outcome', 'ip', 'at']).where('target_id', '=', invited.member.id).orderBy('at').orderBy('id').execute();
    expect(entries.map((e) => `${e.action}:${e.outcome}`)).toEqual(
      expect.arrayContaining(['staff.enrol:success', 'staff.login:success', 'staff.second_factor:success', 'staff.second_factor:failure', 'staff.login:failure']),
    );
    // From where: every entry but the invitation, which the command line made.
    expect(entries.filter((e) => e.action !== 'staff.invite').every((e) => e.ip !== null && e.at !== null)).toBe(true);
  });

  it.skipIf(!hasPdftotext)('keeps a letter’s temporary password in its PDF only: not in the audit log, the outbox, the batch or the login row', async () => {
    const { b } = await loggedInStaff(t, ip());
    const { customer } = await newSubscriber(t.db, t.clock, emailColumns(`letter-${newId().slice(-8)}@example.test`, null, nowIso(t.clock)));
    const res = await b.submit(`/gestion/clients/${customer.number}`, `/gestion/clients/${customer.number}/courrier-mot-de-passe`, {});
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const password = /Mot de passe provisoire :\s+(\S+)/.exec(pdfText(res.rawPayload))![1]!;
    const batch = await b.submit('/gestion/courriers', '/gestion/courriers', { selection: 'liste', numbers: customer.number });
    const again = /Mot de passe provisoire :\s+(\S+)/.exec(pdfText(batch.rawPayload))![1]!;
    const kept = await everythingKept(t);
    for (const s of [password, again]) expect(kept).not.toContain(s);
  });
});

describe('the request log of the back office (L1)', () => {
  it('never holds a staff member’s enrolment link, password, codes or recovery codes, while it logs the back office’s URLs', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'portal-staff-log-'));
    // The app at LOG_LEVEL=info in a process of its own, whose standard output is the log; the
    // secrets it used are written last on its standard error.
    const code = `
      const { generate } = await import('otplib');
      const { buildApp } = await import('./src/app.tsx');
      const { testConfig } = await import('./src/config.ts');
      const { openDatabase, migrateToLatest } = await import('./src/db/database.ts');
      const { inviteMember } = await import('./src/features/staff/team.service.ts');
      const db = openDatabase('sqlite::memory:');
      await migrateToLatest(db);
      const config = testConfig({ LOG_LEVEL: 'info', DATA_DIR: ${JSON.stringify(dataDir)}, MAIL_WORKER: 'off' });
      const app = await buildApp({ config, db });
      await app.ready();
      const jar = new Map();
      const send = async (method, url, fields) => {
        const headers = { cookie: [...jar].map(([k, v]) => k + '=' + v).join('; ') };
        if (fields) headers['content-type'] = 'application/x-www-form-urlencoded';
        const res = await app.inject({ method, url, headers, payload: fields ? new URLSearchParams(fields).toString() : undefined });
        for (const c of res.cookies) { if (c.value === '') jar.delete(c.name); else jar.set(c.name, c.value); }
        return res;
      };
      const csrf = (html) => /name="_csrf" value="([^"]+)"/.exec(html)[1];
      const invited = await inviteMember(db, app.clock, config, { email: 'log@operator.example', role: 'admin', name: '' }, { kind: 'cli' });
      const path = new URL(invited.link.url).pathname;
      const token = path.split('/').pop();
      const page = await send('GET', path);
      const secret = /class="totp-secret"><code>([A-Z2-7 ]+)<\\/code>/.exec(page.body)[1].replaceAll(' ', '');
      const password = 'phare boussole lanterne violette';
      const at = () => Math.floor(app.clock.now().getTime() / 1000);
      const enrolCode = await generate({ secret, epoch: at() });
      const done = await send('POST', '/gestion/inscription', { _csrf: csrf(page.body), token, name: 'Log', password, password_confirm: password, code: enrolCode });
      const recovery = [...done.body.matchAll(/<code>([a-z2-9-]{19})<\\/code>/g)].map((m) => m[1]);
      await send('POST', '/gestion/deconnexion', { _csrf: csrf((await send('GET', '/gestion?log-marker')).body) });
      const login = await send('GET', '/gestion/connexion');
      await send('POST', '/gestion/connexion', { _csrf: csrf(login.body), email: 'log@operator.example', password });
      const verify = await send('GET', '/gestion/verification');
      await send('POST', '/gestion/verification', { _csrf: csrf(verify.body), code: recovery[0] });
      await send('GET', '/gestion/inscription/' + token);
      await app.close();
      await db.destroy();
      process.stderr.write('\\nSECRETS ' + JSON.stringify([token, secret, password, enrolCode, ...recovery]) + '\\n');
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 40_000 });
    expect(run.status, run.stderr).toBe(0);
    const secrets = JSON.parse(/SECRETS (.*)/.exec(run.stderr)![1]!) as string[];
    expect(secrets.length).toBe(14);
    expect(run.stdout).toContain('/gestion?log-marker');
    expect(run.stdout).toContain('/gestion/verification');
    for (const s of secrets) expect(run.stdout, s).not.toContain(s);
  });
});
