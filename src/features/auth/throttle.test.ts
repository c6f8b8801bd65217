import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber } from '../../../tests/support/factories.ts';

/** The body with what legitimately differs between two responses removed. */
const normalise = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, '').replace(/id="identifiant"[^>]*value="[^"]*"/g, '');

describe.each(databaseKinds())('brute force and enumeration (%s)', (kind) => {
  const t = useTestApp(kind);

  it('holds an account back after 5 failures with 429 and Retry-After, then lets the customer in (A4)', async () => {
    const { customer, password } = await activeSubscriber(t.db, t.clock);
    const b = new Browser(t.app, '192.0.2.1');
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 11; i++) {
      const res = await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: `wrong password ${i}` });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) retryAfter ??= String(res.headers['retry-after']);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.indexOf(429)).toBeLessThanOrEqual(9);
    expect(statuses.slice(5)).toEqual(Array(6).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);

    // Even the right password waits: the throttle does not reveal it.
    const blocked = await b.submit('/connexion', '/connexion', { identifiant: customer.number, password });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('Trop de tentatives');

    const audited = await t.db.selectFrom('audit_log').select(['outcome']).where('ip', '=', '192.0.2.1').where('action', '=', 'auth.login').execute();
    expect(audited.filter((a) => a.outcome === 'failure')).toHaveLength(5);
    expect(audited.filter((a) => a.outcome === 'denied')).toHaveLength(7);

    // Never locked out for long: a minute later the real customer gets in.
    t.clock.advance(61_000);
    const ok = await new Browser(t.app, '192.0.2.2').submit('/connexion', '/connexion', { identifiant: customer.number, password });
    expect(ok.statusCode).toBe(303);
  });

  it('caps the hold on an account at LOGIN_LOCK_MAX_MINUTES', async () => {
    const { customer } = await activeSubscriber(t.db, t.clock);
    let last = 0;
    for (let i = 0; i < 12; i++) {
      const b = new Browser(t.app, `192.0.2.${100 + i}`);
      const res = await b.submit('/connexion', '/connexion', { identifiant: customer.number, password: 'wrong wrong wrong' });
      if (res.statusCode === 429) last = Number(res.headers['retry-after']);
      t.clock.advance(last * 1000 + 1000);
    }
    expect(last).toBeGreaterThan(60);
    expect(last).toBeLessThanOrEqual(15 * 60);
  });

  it('stops one IP trying one password on each of 100 accounts (A4)', async () => {
    const b = new Browser(t.app, '192.0.2.50');
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await b.submit('/connexion', '/connexion', { identifiant: `CLT${String(500000 + i)}`, password: 'Summer2026!!' });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    const failures = await t.db.selectFrom('audit_log').select('id').where('ip', '=', '192.0.2.50').execute();
    expect(failures).toHaveLength(100);
  });

  it('answers an unknown customer, a wrong password and a locked account identically (A5)', async () => {
    const { customer } = await activeSubscriber(t.db, t.clock);
    const locked = await activeSubscriber(t.db, t.clock);
    await t.db.updateTable('customer_logins').set({ state: 'locked' }).where('customer_id', '=', locked.customer.id).execute();

    const attempt = async (identifiant: string, password: string, ip: string) =>
      new Browser(t.app, ip).submit('/connexion', '/connexion', { identifiant, password });
    const unknown = await attempt('CLT999999', 'some password here', '192.0.2.60');
    const wrong = await attempt(customer.number, 'some password here', '192.0.2.61');
    const isLocked = await attempt(locked.customer.number, locked.password, '192.0.2.62');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(isLocked.statusCode).toBe(401);
    expect(normalise(wrong.body)).toBe(normalise(unknown.body));
    expect(normalise(isLocked.body)).toBe(normalise(unknown.body));
    expect(unknown.body).toContain('Identifiant ou mot de passe incorrect.');
  });
});
