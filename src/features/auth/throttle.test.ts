import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber } from '../../../tests/support/factories.ts';
import { ipClient, ipKey } from './throttle.ts';

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

  it('counts the failures of every address of one IPv6 /64 together, and no other (A4)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      // Alternating between two addresses of 2001:db8:a4:64::/64, one compressed, one written in full.
      const ip = i % 2 === 0 ? '2001:db8:a4:64::1' : '2001:0db8:00a4:0064:8f3e:12ab:0000:0002';
      const res = await new Browser(t.app, ip).submit('/connexion', '/connexion', { identifiant: `CLT${600000 + i}`, password: 'Summer2026!!' });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    // A third address of the same /64 waits too; the next /64 and an IPv4 client do not.
    const attempt = (ip: string) => new Browser(t.app, ip).submit('/connexion', '/connexion', { identifiant: 'CLT600099', password: 'Summer2026!!' });
    expect((await attempt('2001:db8:a4:64:ffff:ffff:ffff:ffff')).statusCode).toBe(429);
    expect((await attempt('2001:db8:a4:65::1')).statusCode).toBe(401);
    expect((await attempt('192.0.2.64')).statusCode).toBe(401);
  });
});

describe('the client a per-IP counter counts (ipClient)', () => {
  it('counts an IPv6 address by its /64, whatever its spelling', () => {
    const full = ipClient('2001:0db8:85a3:0000:0000:8a2e:0370:7334');
    expect(full).toBe('2001:db8:85a3:0::/64');
    for (const same of ['2001:db8:85a3::8a2e:370:7334', '2001:DB8:85A3:0:ffff:ffff:ffff:ffff', '2001:db8:85a3::', '2001:db8:85a3::1%eth0', '2001:db8:85a3::192.0.2.1']) {
      expect(ipClient(same), same).toBe(full);
    }
    expect(ipClient('2001:db8:85a3:1::7334')).not.toBe(full);
    expect(ipClient('::1')).toBe('0:0:0:0::/64');
    expect(ipClient('fe80::1')).toBe('fe80:0:0:0::/64');
    expect(ipClient('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
  });

  it('keeps an IPv4 address alone, also written IPv4-mapped', () => {
    expect(ipClient('192.0.2.1')).toBe('192.0.2.1');
    expect(ipClient('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(ipClient('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(ipClient('0:0:0:0:0:ffff:c000:201')).toBe('192.0.2.1');
    expect(ipClient('::ffff:192.0.2.2')).not.toBe(ipClient('::ffff:192.0.2.1'));
  });

  it('keeps what is not an address as it is, and names the counter in the key', () => {
    expect(ipClient('unknown')).toBe('unknown');
    expect(ipClient('2001:db8::g')).toBe('2001:db8::g');
    expect(ipKey('::ffff:192.0.2.1')).toBe('ip:192.0.2.1');
    expect(ipKey('2001:db8::1', 'reset-ip')).toBe('reset-ip:2001:db8:0:0::/64');
  });
});
