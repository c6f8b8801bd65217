import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { newSubscriber } from '../../../tests/support/factories.ts';
import { issueTemporaryPassword } from './customers.service.ts';

describe.each(databaseKinds())('issuing a temporary password (%s)', (kind) => {
  const t = useTestApp(kind);

  it('ends the first-login session opened with the previous one (A1)', async () => {
    const { customer, tempPassword } = await newSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '192.0.2.200');
    await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: tempPassword });
    expect((await b.get('/premiere-connexion')).statusCode).toBe(200);

    await issueTemporaryPassword(t.db, t.clock, customer.id, 120);
    const page = await b.get('/premiere-connexion');
    expect(page.statusCode).toBe(302);
    expect(page.headers.location).toBe('/connexion');
    const account = await t.db.selectFrom('customer_logins').select('state').where('customer_id', '=', customer.id).executeTakeFirstOrThrow();
    expect(account.state).toBe('not_activated');
  });
});
