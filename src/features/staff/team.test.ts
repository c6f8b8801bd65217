import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { createStaffMember, enrolledStaffMember, loggedInStaff, staffLoginThroughForms } from '../../../tests/support/staff.ts';
import { hashToken } from '../../lib/tokens.ts';
import { staffAreaRoutes } from '../../areas/staff-area.ts';

describe.each(databaseKinds())('the team page (%s)', (kind) => {
  const t = useTestApp(kind);

  const member = (id: string) => t.db.selectFrom('staff_members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const audits = (targetId: string, action: string) =>
    t.db.selectFrom('audit_log').select(['outcome', 'actor_type', 'actor_id', 'details', 'ip']).where('target_id', '=', targetId).where('action', '=', action).orderBy('at').execute();

  it('is for admins only, on every one of its routes: visitor and customer to the login, agent 403, admin through', async () => {
    const someone = await createStaffMember(t.db, t.clock);
    const routes = staffAreaRoutes(t.app).filter((r) => r.url.startsWith('/gestion/equipe'));
    expect(routes.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'GET /gestion/equipe',
      'GET /gestion/equipe/:id',
      'POST /gestion/equipe',
      'POST /gestion/equipe/:id/desactivation',
      'POST /gestion/equipe/:id/nouveau-lien',
      'POST /gestion/equipe/:id/reactivation',
      'POST /gestion/equipe/:id/role',
    ]);
    expect(routes.every((r) => r.access === 'admin')).toBe(true);
    const visitor = new Browser(t.app, '198.51.100.101');
    const { b: customer } = await loggedInCustomer(t, '198.51.100.102');
    const { b: agent } = await loggedInStaff(t, '198.51.100.103', 'agent');
    const { b: admin } = await loggedInStaff(t, '198.51.100.104', 'admin');
    for (const r of routes) {
      const url = r.url.replace(':id', someone.id);
      const call = (b: Browser) => (r.method === 'GET' ? b.get(url) : b.post(url, {}));
      for (const b of [visitor, customer]) {
        const res = await call(b);
        expect(res.statusCode, `${r.method} ${url}`).toBe(302);
        expect(res.headers.location).toMatch(/^\/gestion\/connexion/);
      }
      expect((await call(agent)).statusCode, `${r.method} ${url}`).toBe(403);
      if (r.method === 'GET') expect((await admin.get(url)).statusCode, url).toBe(200);
    }
    // The admin's POSTs go through the guard to the CSRF check (a form without its token is refused).
    expect((await admin.post('/gestion/equipe', {})).statusCode).toBe(403);
    const refusals = await t.db.selectFrom('audit_log').select('outcome').where('action', '=', 'staff.admin_page').where('ip', '=', '198.51.100.103').execute();
    expect(refusals.length).toBe(routes.length);
  });

  it('lists the members with their role, state and last login', async () => {
    const { b } = await staffLoginThroughForms(t, '198.51.100.105', 'admin');
    const disabled = await createStaffMember(t.db, t.clock, { displayName: 'Ancien Conseiller' });
    await t.db.updateTable('staff_members').set({ state: 'disabled' }).where('id', '=', disabled.id).execute();
    const page = await b.get('/gestion/equipe');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<caption>Membres de l’équipe \(\d+\)<\/caption>/);
    expect(page.body).toContain(`<a href="/gestion/equipe/${disabled.id}">Ancien Conseiller</a>`);
    expect(page.body).toContain('désactivé');
    expect(page.body).toContain('27/11/2026 à 11:00');
    expect(page.body).toContain('aria-current="page"');
  });

  it('invites a member: the link is e-mailed (in French) and shown once; the address is unique', async () => {
    const { b, staff: admin } = await loggedInStaff(t, '198.51.100.106', 'admin');
    const res = await b.submit('/gestion/equipe', '/gestion/equipe', { email: ' Nouveau.Agent@Operator.example ', name: 'Nouveau Agent', role: 'agent' });
    expect(res.statusCode).toBe(200);
    const url = /<p class="enrolment-link">(http[^<]+)<\/p>/.exec(res.body)?.[1];
    expect(url).toMatch(/^http:\/\/[^/]+\/gestion\/inscription\/[A-Za-z0-9_-]{43}$/);
    const invited = await t.db.selectFrom('staff_members').selectAll().where('email', '=', 'nouveau.agent@operator.example').executeTakeFirstOrThrow();
    expect(invited).toMatchObject({ state: 'invited', role: 'agent', display_name: 'Nouveau Agent', invited_by: admin.id, password_hash: null });
    expect(invited.enrolment_token_hash).toBe(hashToken(url!.split('/').pop()!));
    expect(invited.enrolment_expires_at).toBe(new Date(t.clock.now().getTime() + 24 * 3600_000).toISOString());
    const mail = await t.db.selectFrom('outbox').selectAll().where('recipient', '=', 'nouveau.agent@operator.example').executeTakeFirstOrThrow();
    expect(mail.template).toBe('staff-enrolment');
    expect(mail.subject).toContain('Votre accès à la gestion');
    expect(mail.text_body).toContain(url!);
    expect(mail.text_body).toContain('vous invite à rejoindre la gestion');
    expect(mail.text_body).toContain(admin.display_name);
    const entries = await audits(invited.id, 'staff.invite');
    expect(entries.map((e) => [e.outcome, e.actor_type, e.actor_id, e.ip])).toEqual([['success', 'staff', admin.id, '198.51.100.106']]);
    expect(JSON.stringify(entries)).not.toContain(url!.split('/').pop()!);

    const again = await b.submit('/gestion/equipe', '/gestion/equipe', { email: 'nouveau.agent@operator.example', name: 'Double', role: 'admin' });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('Un membre de l’équipe a déjà cette adresse e-mail.');
    expect(again.body).toContain('value="Double"');
    expect(again.body).toMatch(/value="admin" checked/);
  });

  it('says what is wrong with an invitation and keeps what was typed', async () => {
    const { b } = await loggedInStaff(t, '198.51.100.107', 'admin');
    const res = await b.submit('/gestion/equipe', '/gestion/equipe', { email: 'not an address', name: 'Quelqu’un', role: 'boss' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('class="error-summary"');
    expect(res.body).toContain('value="not an address"');
    expect(res.body).toContain('Saisissez une adresse e-mail valide');
    expect(res.body).toContain('Choisissez un rôle');
  });

  it('disables a member: every session of theirs ends at once and their next request goes to the login', async () => {
    const target = await enrolledStaffMember(t, 'agent');
    const { b: theirs } = await staffLoginThroughForms(t, '198.51.100.108', target);
    t.clock.advance(30_000);
    const { b: second } = await staffLoginThroughForms(t, '198.51.100.109', target);
    const { b: admin, staff } = await loggedInStaff(t, '198.51.100.110', 'admin');
    expect(await t.db.selectFrom('staff_sessions').select('token_hash').where('staff_id', '=', target.staff.id).execute()).toHaveLength(2);

    const res = await admin.submit(`/gestion/equipe/${target.staff.id}`, `/gestion/equipe/${target.staff.id}/desactivation`, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/gestion/equipe/${target.staff.id}?fait=desactive`);
    expect((await admin.get(String(res.headers.location))).body).toContain('Accès désactivé : ses sessions ont pris fin.');
    expect(await t.db.selectFrom('staff_sessions').select('token_hash').where('staff_id', '=', target.staff.id).execute()).toEqual([]);
    const row = await member(target.staff.id);
    expect(row.state).toBe('disabled');
    expect(row.disabled_at).toBe(t.clock.now().toISOString());
    for (const b of [theirs, second]) {
      const next = await b.get('/gestion/equipe');
      expect(next.statusCode).toBe(302);
      expect(next.headers.location).toMatch(/^\/gestion\/connexion(\?|$)/);
    }
    const login = await new Browser(t.app, '198.51.100.111').submit('/gestion/connexion', '/gestion/connexion', { email: target.staff.email, password: target.password });
    expect(login.statusCode).toBe(401);
    expect((await audits(target.staff.id, 'staff.disable')).map((e) => [e.outcome, e.actor_id])).toEqual([['success', staff.id]]);

    // Enabled again, they log in again.
    const back = await admin.submit(`/gestion/equipe/${target.staff.id}`, `/gestion/equipe/${target.staff.id}/reactivation`, {});
    expect(back.headers.location).toBe(`/gestion/equipe/${target.staff.id}?fait=reactive`);
    expect((await member(target.staff.id)).state).toBe('active');
    t.clock.advance(30_000);
    await staffLoginThroughForms(t, '198.51.100.112', target);
    expect((await audits(target.staff.id, 'staff.enable')).map((e) => e.outcome)).toEqual(['success']);
  });

  it('changes a role, but never removes the last active admin, and no admin disables or resets themselves', async () => {
    const { b: admin, staff: me } = await loggedInStaff(t, '198.51.100.113', 'admin');
    const agent = await createStaffMember(t.db, t.clock);
    const promoted = await admin.submit(`/gestion/equipe/${agent.id}`, `/gestion/equipe/${agent.id}/role`, { role: 'admin' });
    expect(promoted.headers.location).toBe(`/gestion/equipe/${agent.id}?fait=role`);
    expect((await member(agent.id)).role).toBe('admin');
    expect((await audits(agent.id, 'staff.role_change')).map((e) => JSON.parse(e.details!))).toEqual([{ email: agent.email, from: 'agent', to: 'admin' }]);

    for (const action of ['desactivation', 'nouveau-lien']) {
      const self = await admin.submit(`/gestion/equipe/${me.id}`, `/gestion/equipe/${me.id}/${action}`, {});
      expect(self.statusCode).toBe(409);
      expect(self.body).toContain('Vous ne pouvez pas désactiver ni réinitialiser votre propre accès');
    }
    expect((await member(me.id)).state).toBe('active');

    // Every other admin disabled: this one is the last, and cannot step down.
    const others = await t.db.selectFrom('staff_members').select('id').where('role', '=', 'admin').where('state', '=', 'active').where('id', '!=', me.id).execute();
    await t.db.updateTable('staff_members').set({ state: 'disabled' }).where('id', 'in', others.map((o) => o.id)).execute();
    const down = await admin.submit(`/gestion/equipe/${me.id}`, `/gestion/equipe/${me.id}/role`, { role: 'agent' });
    expect(down.statusCode).toBe(409);
    expect(down.body).toContain('Il doit rester au moins un administrateur actif.');
    expect((await member(me.id)).role).toBe('admin');
    expect((await audits(me.id, 'staff.role_change')).map((e) => e.outcome)).toEqual(['denied']);
    await t.db.updateTable('staff_members').set({ state: 'active' }).where('id', 'in', others.map((o) => o.id)).execute();
  });

  it('issues a new enrolment link: password and second factor erased, sessions ended, the link e-mailed and shown', async () => {
    const target = await enrolledStaffMember(t, 'agent');
    const { b: theirs } = await staffLoginThroughForms(t, '198.51.100.114', target);
    await t.db.insertInto('staff_recovery_codes').values({ id: crypto.randomUUID(), staff_id: target.staff.id, code_hash: 'x', used_at: null, created_at: t.clock.now().toISOString() }).execute();
    const { b: admin } = await loggedInStaff(t, '198.51.100.115', 'admin');
    const before = await member(target.staff.id);

    const res = await admin.submit(`/gestion/equipe/${target.staff.id}`, `/gestion/equipe/${target.staff.id}/nouveau-lien`, {});
    expect(res.statusCode).toBe(200);
    const url = /<p class="enrolment-link">(http[^<]+)<\/p>/.exec(res.body)?.[1];
    expect(url).toMatch(/\/gestion\/inscription\/[A-Za-z0-9_-]{43}$/);
    const after = await member(target.staff.id);
    expect(after).toMatchObject({ state: 'invited', password_hash: null, totp_last_step: null, enrolment_token_hash: hashToken(url!.split('/').pop()!) });
    expect(after.totp_secret_encrypted).not.toBe(before.totp_secret_encrypted);
    expect(await t.db.selectFrom('staff_recovery_codes').select('id').where('staff_id', '=', target.staff.id).execute()).toEqual([]);
    expect((await theirs.get('/gestion/equipe')).headers.location).toMatch(/^\/gestion\/connexion(\?|$)/);
    const old = await new Browser(t.app, '198.51.100.116').submit('/gestion/connexion', '/gestion/connexion', { email: target.staff.email, password: target.password });
    expect(old.statusCode).toBe(401);
    const mail = await t.db.selectFrom('outbox').selectAll().where('recipient', '=', target.staff.email).executeTakeFirstOrThrow();
    expect(mail.text_body).toContain(url!);
    expect(mail.text_body).toContain('a réinitialisé votre accès');
    expect((await new Browser(t.app, '198.51.100.117').get(new URL(url!).pathname)).statusCode).toBe(200);
    expect((await audits(target.staff.id, 'staff.enrolment_link')).map((e) => e.outcome)).toEqual(['success']);
  });

  it('answers 404 for a member who does not exist', async () => {
    const { b } = await loggedInStaff(t, '198.51.100.118', 'admin');
    expect((await b.get('/gestion/equipe/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await b.get('/gestion/equipe/nope')).statusCode).toBe(404);
  });
});
