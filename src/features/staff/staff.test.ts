import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, useTestApp, withoutCsrfTokens } from '../../../tests/support/app.ts';
import { enrolledStaffMember, staffLoginThroughForms, totpCode } from '../../../tests/support/staff.ts';
import { hashToken } from '../../lib/tokens.ts';
import { verifyPassword } from '../../lib/passwords.ts';
import { openTotpSecret } from './staff.totp.ts';
import { inviteMember } from './team.service.ts';

/** The TOTP key shown beside the QR code (groups of four), without its spaces. */
const shownSecret = (html: string) => /class="totp-secret"><code>([A-Z2-7 ]+)<\/code>/.exec(html)?.[1]?.replaceAll(' ', '');
/** The recovery codes of the page shown after enrolment. */
const shownCodes = (html: string) => [...html.matchAll(/<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/code>/g)].map((m) => m[1]!);

describe.each(databaseKinds())('the staff login (%s)', (kind) => {
  const t = useTestApp(kind);

  const auditOf = (staffId: string, action: string) =>
    t.db.selectFrom('audit_log').select(['outcome', 'details', 'actor_type']).where('target_id', '=', staffId).where('action', '=', action).orderBy('at').execute();

  it('asks the password, then the code, and opens the full session under a new token', async () => {
    const member = await enrolledStaffMember(t, 'admin');
    const b = new Browser(t.app, '198.51.100.1');
    const page = await b.get('/gestion/connexion');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Connexion à la gestion');

    const first = await b.submit('/gestion/connexion', '/gestion/connexion', { email: ` ${member.staff.email.toUpperCase()} `, password: member.password });
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/gestion/verification');
    const halfToken = b.cookies.get(t.app.staffCookie.name)!;
    const half = await t.db.selectFrom('staff_sessions').select(['stage']).where('token_hash', '=', hashToken(halfToken)).executeTakeFirstOrThrow();
    expect(half.stage).toBe('second_factor');
    // A half-open session is not logged in: the team page sends it to the code.
    expect((await b.get('/gestion/equipe')).headers.location).toBe('/gestion/verification');

    const codePage = await b.get('/gestion/verification');
    expect(codePage.statusCode).toBe(200);
    const second = await b.post('/gestion/verification', { _csrf: /name="_csrf" value="([^"]+)"/.exec(codePage.body)![1]!, code: await totpCode(member.secret, t.clock.now()) });
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe('/gestion');
    const fullToken = b.cookies.get(t.app.staffCookie.name)!;
    expect(fullToken).not.toBe(halfToken);
    expect(await t.db.selectFrom('staff_sessions').select('stage').where('token_hash', '=', hashToken(halfToken)).executeTakeFirst()).toBeUndefined();
    const full = await t.db.selectFrom('staff_sessions').select(['stage', 'staff_id']).where('token_hash', '=', hashToken(fullToken)).executeTakeFirstOrThrow();
    expect(full).toEqual({ stage: 'full', staff_id: member.staff.id });
    expect((await b.get('/gestion/equipe')).statusCode).toBe(200);

    const row = await t.db.selectFrom('staff_members').select(['last_login_at']).where('id', '=', member.staff.id).executeTakeFirstOrThrow();
    expect(row.last_login_at).toBe(t.clock.now().toISOString());
    expect((await auditOf(member.staff.id, 'staff.login')).map((a) => a.outcome)).toEqual(['success']);
    const factor = await auditOf(member.staff.id, 'staff.second_factor');
    expect(factor.map((a) => [a.outcome, JSON.parse(a.details!).via])).toEqual([['success', 'totp']]);
    expect(JSON.stringify(await t.db.selectFrom('audit_log').selectAll().execute())).not.toContain(member.password);
  });

  it('goes on to the page asked for (?suite=), through the code', async () => {
    const { b, landing } = await staffLoginThroughForms(t, '198.51.100.2', 'admin', '/gestion/equipe');
    expect(landing).toBe('/gestion/equipe');
    expect((await b.get(landing)).statusCode).toBe(200);
  });

  it('says one thing for an unknown address, a wrong password, an invited or a disabled member, and audits why (no enumeration)', async () => {
    const wrong = await enrolledStaffMember(t);
    const invited = await enrolledStaffMember(t);
    const disabled = await enrolledStaffMember(t);
    await t.db.updateTable('staff_members').set({ state: 'invited' }).where('id', '=', invited.staff.id).execute();
    await t.db.updateTable('staff_members').set({ state: 'disabled' }).where('id', '=', disabled.staff.id).execute();
    const tries = [
      { email: 'nobody-here@operator.example', password: 'lanterne violette boussole' },
      { email: wrong.staff.email, password: 'not the password at all' },
      { email: invited.staff.email, password: invited.password },
      { email: disabled.staff.email, password: disabled.password },
    ];
    const bodies: string[] = [];
    for (const [i, fields] of tries.entries()) {
      const res = await new Browser(t.app, `198.51.100.${10 + i}`).submit('/gestion/connexion', '/gestion/connexion', fields);
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('E-mail ou mot de passe incorrect');
      expect(res.cookies.find((c) => c.name === t.app.staffCookie.name && c.value)).toBeUndefined();
      bodies.push(withoutCsrfTokens(res.body).replace(/id="email"[^>]*value="[^"]*"/, ''));
    }
    expect(new Set(bodies).size).toBe(1);
    const reasons = await t.db.selectFrom('audit_log').select(['details', 'outcome']).where('action', '=', 'staff.login').where('ip', 'in', ['198.51.100.10', '198.51.100.11', '198.51.100.12', '198.51.100.13']).orderBy('ip').execute();
    expect(reasons.map((r) => [r.outcome, JSON.parse(r.details!).reason])).toEqual([
      ['failure', 'unknown_email'],
      ['failure', 'wrong_password'],
      ['failure', 'member_invited'],
      ['failure', 'member_disabled'],
    ]);
  });

  it('asks for both fields, keeping the address typed', async () => {
    const res = await new Browser(t.app, '198.51.100.15').submit('/gestion/connexion', '/gestion/connexion', { email: 'someone@operator.example', password: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Saisissez votre adresse e-mail et votre mot de passe.');
    expect(res.body).toContain('value="someone@operator.example"');
  });

  it('refuses a code replayed, and accepts one step of drift either way but not two', async () => {
    const member = await enrolledStaffMember(t, 'admin');
    const { b } = await staffLoginThroughForms(t, '198.51.100.20', member);
    const used = await totpCode(member.secret, t.clock.now());
    await b.submit('/gestion/equipe', '/gestion/deconnexion', {});

    // The same code again, in the same 30 seconds: refused.
    const again = new Browser(t.app, '198.51.100.20');
    await again.submit('/gestion/connexion', '/gestion/connexion', { email: member.staff.email, password: member.password });
    const replayed = await again.submit('/gestion/verification', '/gestion/verification', { code: used });
    expect(replayed.statusCode).toBe(401);
    expect(replayed.body).toContain('Ce code est incorrect ou a déjà servi.');
    const reasons = (await auditOf(member.staff.id, 'staff.second_factor')).map((a) => JSON.parse(a.details!).reason);
    expect(reasons).toContain('replayed_code');

    // Two steps later, the code of two steps ago is too old; the previous step's (drift) passes.
    t.clock.advance(60_000);
    const tooOld = await again.submit('/gestion/verification', '/gestion/verification', { code: await totpCode(member.secret, new Date(t.clock.now().getTime() - 60_000)) });
    expect(tooOld.statusCode).toBe(401);
    const drifted = await again.submit('/gestion/verification', '/gestion/verification', { code: await totpCode(member.secret, new Date(t.clock.now().getTime() - 30_000)) });
    expect(drifted.statusCode).toBe(303);
    // …and the step it was accepted at cannot serve again, even as the "next" step's neighbour.
    const step = await t.db.selectFrom('staff_members').select('totp_last_step').where('id', '=', member.staff.id).executeTakeFirstOrThrow();
    expect(step.totp_last_step).toBe(Math.floor(t.clock.now().getTime() / 30_000) - 1);
  });

  it('accepts a code only once when two requests race with it', async () => {
    const member = await enrolledStaffMember(t);
    const browsers = [new Browser(t.app, '198.51.100.21'), new Browser(t.app, '198.51.100.22')];
    for (const b of browsers) await b.submit('/gestion/connexion', '/gestion/connexion', { email: member.staff.email, password: member.password });
    const code = await totpCode(member.secret, t.clock.now());
    const pages = await Promise.all(browsers.map((b) => b.get('/gestion/verification')));
    const answers = await Promise.all(
      browsers.map((b, i) => b.post('/gestion/verification', { _csrf: /name="_csrf" value="([^"]+)"/.exec(pages[i]!.body)![1]!, code })),
    );
    expect(answers.map((r) => r.statusCode).sort()).toEqual([303, 401]);
  });

  it('holds the e-mail after too many wrong codes: the half-open session ends, and even the password waits', async () => {
    const member = await enrolledStaffMember(t);
    const b = new Browser(t.app, '198.51.100.30');
    await b.submit('/gestion/connexion', '/gestion/connexion', { email: member.staff.email, password: member.password });
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 5; i++) {
      last = await b.submit('/gestion/verification', '/gestion/verification', { code: String(100000 + i) });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.body).toContain('Trop de tentatives');
    expect(await t.db.selectFrom('staff_sessions').select('token_hash').where('staff_id', '=', member.staff.id).execute()).toEqual([]);
    expect(b.cookies.has(t.app.staffCookie.name)).toBe(false);
    // The page answered is the login's, and its form works (its token no longer bound to the dead session).
    const retry = await b.post('/gestion/connexion', { _csrf: /name="_csrf" value="([^"]+)"/.exec(last!.body)![1]!, email: member.staff.email, password: member.password });
    expect(retry.statusCode).toBe(429);
    // Another address is not held by it; this one is free again once the wait is over.
    t.clock.advance(61_000);
    await staffLoginThroughForms(t, '198.51.100.31', member);
    const denied = await t.db.selectFrom('audit_log').select('outcome').where('action', 'in', ['staff.login', 'staff.second_factor']).where('outcome', '=', 'denied').where('ip', '=', '198.51.100.30').execute();
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });

  it('counts wrong passwords apart from the customers’ login', async () => {
    const member = await enrolledStaffMember(t);
    for (let i = 0; i < 5; i++) {
      await new Browser(t.app, `198.51.100.${40 + i}`).submit('/gestion/connexion', '/gestion/connexion', { email: member.staff.email, password: `wrong ${i} wrong wrong` });
    }
    const keys = (await t.db.selectFrom('login_throttle').select('key').where('key', 'like', '%198.51.100.4%').execute()).map((r) => r.key);
    expect(keys.every((k) => k.startsWith('staff:'))).toBe(true);
    const held = await new Browser(t.app, '198.51.100.46').submit('/gestion/connexion', '/gestion/connexion', { email: member.staff.email, password: member.password });
    expect(held.statusCode).toBe(429);
    expect((await t.db.selectFrom('login_throttle').select('key').where('key', '=', `staff:${member.staff.email}`).execute()).length).toBe(1);
  });

  it('says a session ran out (?expire)', async () => {
    const page = await new Browser(t.app, '198.51.100.50').get('/gestion/connexion?expire');
    expect(page.body).toContain('Votre session a expiré');
  });

  it('logs out: the session ends, the login page says so', async () => {
    const { b } = await staffLoginThroughForms(t, '198.51.100.51', 'admin');
    const token = b.cookies.get(t.app.staffCookie.name)!;
    const out = await b.submit('/gestion/equipe', '/gestion/deconnexion', {});
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/gestion/connexion?deconnecte');
    expect(await t.db.selectFrom('staff_sessions').select('token_hash').where('token_hash', '=', hashToken(token)).executeTakeFirst()).toBeUndefined();
    expect((await b.get('/gestion/connexion?deconnecte')).body).toContain('Vous êtes déconnecté');
  });
});

describe.each(databaseKinds())('staff enrolment (%s)', (kind) => {
  const t = useTestApp(kind);

  const invite = async (email: string, role: 'agent' | 'admin' = 'agent', name = '') => {
    const r = await inviteMember(t.db, t.clock, t.config, { email, role, name }, { kind: 'cli' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return { ...r, path: new URL(r.link.url).pathname };
  };

  it('enrols by the link: password, QR code and a first code; shows ten recovery codes once and logs in', async () => {
    const { member, path } = await invite('new.admin@operator.example', 'admin', 'Nouvelle Admin');
    const b = new Browser(t.app, '198.51.100.60');
    const page = await b.get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<img src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="QR code à scanner[^"]*"/);
    const secret = shownSecret(page.body)!;
    const stored = await t.db.selectFrom('staff_members').selectAll().where('id', '=', member.id).executeTakeFirstOrThrow();
    expect(openTotpSecret(t.config, stored.totp_secret_encrypted!)).toBe(secret);
    expect(stored.totp_secret_encrypted).not.toContain(secret);
    expect(page.body).toMatch(/<code>([A-Z2-7]{4} ){7}[A-Z2-7]{4}<\/code>/);
    // The QR code holds the otpauth URI of this secret.
    const svg = Buffer.from(/data:image\/svg\+xml;base64,([^"]+)"/.exec(page.body)![1]!, 'base64').toString();
    expect(svg).toMatch(/^<svg/);

    const password = 'lanterne violette boussole phare';
    const done = await b.submit(path, '/gestion/inscription', {
      token: path.split('/').pop()!,
      name: 'Nouvelle Admin',
      password,
      password_confirm: password,
      code: await totpCode(secret, t.clock.now()),
    });
    expect(done.statusCode).toBe(200);
    const codes = shownCodes(done.body);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(done.body).toContain('ne seront plus jamais affichés');

    const row = await t.db.selectFrom('staff_members').selectAll().where('id', '=', member.id).executeTakeFirstOrThrow();
    expect(row.state).toBe('active');
    expect(row.enrolment_token_hash).toBeNull();
    expect(await verifyPassword(row.password_hash!, password)).toBe(true);
    const kept = await t.db.selectFrom('staff_recovery_codes').select(['code_hash']).where('staff_id', '=', member.id).execute();
    expect(kept).toHaveLength(10);
    expect(JSON.stringify(kept)).not.toContain(codes[0]!);
    // Logged in, fully: the team page opens.
    expect((await b.get('/gestion/equipe')).statusCode).toBe(200);
    // The link is spent; the code it was confirmed with cannot log in.
    expect((await new Browser(t.app, '198.51.100.61').get(path)).statusCode).toBe(410);
    const other = new Browser(t.app, '198.51.100.62');
    await other.submit('/gestion/connexion', '/gestion/connexion', { email: member.email, password });
    expect((await other.submit('/gestion/verification', '/gestion/verification', { code: await totpCode(secret, t.clock.now()) })).statusCode).toBe(401);
    const audited = await t.db.selectFrom('audit_log').select(['outcome', 'details']).where('action', '=', 'staff.enrol').where('target_id', '=', member.id).execute();
    expect(audited.map((a) => a.outcome)).toEqual(['success']);
    expect(JSON.stringify(audited)).not.toContain(password);
  });

  it('takes each recovery code once', async () => {
    const { member, path } = await invite('recovery@operator.example');
    const b = new Browser(t.app, '198.51.100.63');
    const page = await b.get(path);
    const password = 'boussole lanterne phare violette';
    const done = await b.submit(path, '/gestion/inscription', {
      token: path.split('/').pop()!,
      name: 'Agent Secours',
      password,
      password_confirm: password,
      code: await totpCode(shownSecret(page.body)!, t.clock.now()),
    });
    const [code] = shownCodes(done.body);

    const login = async (ip: string, typed: string) => {
      const x = new Browser(t.app, ip);
      await x.submit('/gestion/connexion', '/gestion/connexion', { email: member.email, password });
      return x.submit('/gestion/verification', '/gestion/verification', { code: typed });
    };
    expect((await login('198.51.100.64', code!.toUpperCase().replaceAll('-', ' '))).statusCode).toBe(303);
    expect((await login('198.51.100.65', code!)).statusCode).toBe(401);
    const entries = await t.db.selectFrom('audit_log').select(['outcome', 'details']).where('action', '=', 'staff.second_factor').where('target_id', '=', member.id).orderBy('at').execute();
    expect(entries.map((e) => [e.outcome, JSON.parse(e.details!)])).toEqual([
      ['success', { via: 'recovery_code', recovery_codes_left: 9 }],
      ['failure', { reason: 'wrong_recovery_code' }],
    ]);
  });

  it('says what is wrong and keeps what was typed, but the passwords', async () => {
    const { path } = await invite('typed@operator.example', 'agent', 'Prénom Nom');
    const b = new Browser(t.app, '198.51.100.66');
    const page = await b.get(path);
    expect(page.body).toContain('value="Prénom Nom"');
    const res = await b.submit(path, '/gestion/inscription', {
      token: path.split('/').pop()!,
      name: 'Prénom Nom Modifié',
      password: 'short one',
      password_confirm: 'short one',
      code: '000000',
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('value="Prénom Nom Modifié"');
    expect(res.body).toContain('au moins 16 caractères');
    expect(res.body).toContain('Ce code ne correspond pas');
    expect(res.body).not.toContain('short one');
    // The same secret is shown again: the app already holds it.
    expect(shownSecret(res.body)).toBe(shownSecret(page.body));

    const common = await b.submit(path, '/gestion/inscription', { token: path.split('/').pop()!, name: 'X', password: 'passwordpassword', password_confirm: 'passwordpassword', code: '' });
    expect(common.statusCode).toBe(422);
    expect(common.body).toMatch(/trop courant|trop facile/);
    expect(common.body).toContain('Saisissez le code à 6 chiffres');
  });

  it('refuses an unknown, expired or malformed link', async () => {
    const { path } = await invite('late@operator.example');
    const b = new Browser(t.app, '198.51.100.67');
    expect((await b.get('/gestion/inscription/not-a-token')).statusCode).toBe(410);
    expect((await b.get(`/gestion/inscription/${'A'.repeat(43)}`)).statusCode).toBe(410);
    t.clock.advance(24 * 3600_000 + 1000);
    const late = await b.get(path);
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('Lien d’inscription non valable');
  });
});
