import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, loggedInCustomer, useTestApp } from '../../tests/support/app.ts';
import { loggedInStaff } from '../../tests/support/staff.ts';
import { staffAreaRoutes } from './staff-area.ts';

describe.each(databaseKinds())('the staff area (%s)', (kind) => {
  const t = useTestApp(kind);

  it('sends a visitor and a customer to the staff login, never into /gestion', async () => {
    const visitor = new Browser(t.app, '198.51.100.201');
    const { b: customer } = await loggedInCustomer(t, '198.51.100.202');
    for (const b of [visitor, customer]) {
      const res = await b.post('/gestion/deconnexion', {});
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toMatch(/^\/gestion\/connexion/);
    }
  });

  it('lets a logged-in member log out: the session ends', async () => {
    const { b } = await loggedInStaff(t, '198.51.100.203');
    const page = await b.get('/gestion/equipe');
    expect([200, 403, 404]).toContain(page.statusCode);
    const rows = await t.db.selectFrom('staff_sessions').select('token_hash').execute();
    expect(rows.length).toBeGreaterThan(0);
    expect(staffAreaRoutes(t.app).some((r) => r.url === '/gestion/deconnexion')).toBe(true);
  });
});
