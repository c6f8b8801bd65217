import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { createCustomer } from '../../../tests/support/factories.ts';
import { createStaffMember, loggedInStaff } from '../../../tests/support/staff.ts';
import { type AuditEntry, audit } from '../../lib/audit.ts';
import { manualClock } from '../../lib/clock.ts';
import { parisDayStart } from './audit.rules.ts';

/*
 * The audit log as admins read it: newest first, each filter on its own and together, pages
 * that keep the filters, and the entries that staff actions write.
 */

let ipCounter = 0;
const nextIp = () => `203.0.113.${(++ipCounter % 250) + 1}`;

/** The `mark` detail of each row of the page, in the page's order. */
const marks = (html: string) => [...html.matchAll(/<li>mark : (\w+)<\/li>/g)].map((m) => m[1]);

describe('Paris days', () => {
  it('start at 23:00 UTC in winter and 22:00 UTC in summer', () => {
    expect(parisDayStart('2026-11-27')).toBe('2026-11-26T23:00:00.000Z');
    expect(parisDayStart('2026-07-14')).toBe('2026-07-13T22:00:00.000Z');
    expect(parisDayStart('2026-03-29')).toBe('2026-03-28T23:00:00.000Z'); // the day the clocks go forward
    expect(parisDayStart('2026-10-25')).toBe('2026-10-24T22:00:00.000Z'); // and back
    expect(parisDayStart('2026-02-30')).toBeNull();
    expect(parisDayStart('27/11/2026')).toBeNull();
  });
});

describe.each(databaseKinds())('the audit log (%s)', (kind) => {
  const t = useTestApp(kind);

  /** Writes an entry at `at`, as `audit()` does for every action. */
  const entry = (at: string, e: AuditEntry) => audit(t.db, manualClock(new Date(at)), e);

  it('is the admins’: an agent is refused (403), a visitor and a customer go to the staff login', async () => {
    const { b: agent } = await loggedInStaff(t, nextIp(), 'agent');
    const { b: admin } = await loggedInStaff(t, nextIp(), 'admin');
    const { b: customer } = await loggedInCustomer(t, nextIp());
    expect((await agent.get('/gestion/journal')).statusCode).toBe(403);
    for (const b of [new Browser(t.app, nextIp()), customer]) {
      const res = await b.get('/gestion/journal?action=customer.');
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/gestion/connexion?suite=/gestion/journal%3Faction%3Dcustomer.');
    }
    const page = await admin.get('/gestion/journal');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a href="/gestion/journal" aria-current="page">Journal</a>');
  });

  it('filters by staff member, customer, action and Paris dates, newest first', async () => {
    const p = `t${randomBytes(4).toString('hex')}`;
    const a = await createStaffMember(t.db, t.clock, { displayName: 'Alice Martin' });
    const b = await createStaffMember(t.db, t.clock, { displayName: 'Bruno Petit' });
    const c1 = await createCustomer(t.db, t.clock);
    const c2 = await createCustomer(t.db, t.clock);
    await entry('2026-11-20T10:00:00.000Z', { actor_type: 'staff', actor_id: a.id, action: `${p}.customer.unlock`, outcome: 'success', target_type: 'customer', target_id: c1.id, ip: '192.0.2.1', details: { mark: 'e1' } });
    await entry('2026-11-21T10:00:00.000Z', { actor_type: 'staff', actor_id: b.id, action: `${p}.customer.unlock`, outcome: 'success', target_type: 'customer', target_id: c2.id, ip: '192.0.2.2', details: { mark: 'e2' } });
    // 00:30 on the 27th in Paris, 23:30 on the 26th in UTC.
    await entry('2026-11-26T23:30:00.000Z', { actor_type: 'customer', actor_id: c1.id, action: `${p}.login`, outcome: 'failure', ip: '192.0.2.3', details: { mark: 'e3' } });
    // 23:30 on the 26th in Paris.
    await entry('2026-11-26T22:30:00.000Z', { actor_type: 'staff', actor_id: a.id, action: `${p}.settings.update`, outcome: 'success', details: { mark: 'e4', changes: { name: ['Ancien', 'Nouveau'] } } });
    await entry('2026-11-27T09:00:00.000Z', { actor_type: 'system', action: `${p}.job`, outcome: 'denied', details: { mark: 'e5' } });

    const { b: admin } = await loggedInStaff(t, nextIp(), 'admin');
    const read = async (query: string) => {
      const res = await admin.get(`/gestion/journal?${query}`);
      expect(res.statusCode).toBe(200);
      return res.body;
    };

    const all = await read(`action=${p}.`);
    expect(marks(all)).toEqual(['e5', 'e3', 'e4', 'e2', 'e1']);
    expect(marks(await read(`action=${p}.&membre=${a.id}`))).toEqual(['e4', 'e1']);
    expect(marks(await read(`action=${p}.&client=${c1.number.toLowerCase()}`))).toEqual(['e3', 'e1']);
    expect(marks(await read(`action=${p}.customer`))).toEqual(['e2', 'e1']);
    expect(marks(await read(`action=${p}.&du=2026-11-27`))).toEqual(['e5', 'e3']);
    expect(marks(await read(`action=${p}.&au=2026-11-26`))).toEqual(['e4', 'e2', 'e1']);
    expect(marks(await read(`action=${p}.&du=2026-11-21&au=2026-11-26&membre=${a.id}`))).toEqual(['e4']);

    // The columns: when (Paris time), who, action, outcome, on whom (the customer's page), from where, details.
    expect(all).toContain('<time datetime="2026-11-26T23:30:00.000Z">27/11/2026 à 00:30</time>');
    expect(all).toContain('Alice Martin (personnel)');
    expect(all).toContain(`client ${c1.number}`);
    expect(all).toContain('système');
    expect(all).toContain(`<a href="/gestion/clients/${c2.number}" aria-label="Fiche du client ${c2.number}">${c2.number}</a>`);
    expect(all).toContain('192.0.2.2');
    expect(all).toContain('<li>name : Ancien → Nouveau</li>');
    for (const outcome of ['réussie', 'échouée', 'refusée']) expect(all).toContain(`>${outcome}</td>`);
    // The filters are shown as chosen.
    const filtered = await read(`action=${p}.&membre=${a.id}&du=2026-11-21`);
    expect(filtered).toContain(`<option value="${a.id}" selected>Alice Martin (${a.email})</option>`);
    expect(filtered).toContain('id="f-du" name="du" type="date" value="2026-11-21"');
    expect(filtered).toContain(`id="f-action" name="action" type="text" value="${p}."`);

    const unknown = await read(`action=${p}.&client=CLT0000000`);
    expect(unknown).toContain('Aucun client ne porte le n° CLT0000000.');
    expect(marks(unknown)).toEqual([]);
  });

  it('goes back a page at a time, keeping the filters', async () => {
    const p = `t${randomBytes(4).toString('hex')}`;
    const base = Date.parse('2026-10-01T08:00:00.000Z');
    for (let i = 0; i < 55; i++) {
      await entry(new Date(base + i * 60_000).toISOString(), { actor_type: 'system', action: `${p}.tick`, outcome: 'success', details: { mark: `m${i}` } });
    }
    const { b: admin } = await loggedInStaff(t, nextIp(), 'admin');
    const first = await admin.get(`/gestion/journal?action=${p}.`);
    expect(marks(first.body)).toEqual(Array.from({ length: 50 }, (_, i) => `m${54 - i}`));
    const older = /<a href="([^"]+)" rel="next">Entrées plus anciennes<\/a>/.exec(first.body)![1]!.replaceAll('&amp;', '&');
    expect(older).toMatch(new RegExp(`^/gestion/journal\\?action=${p}\\.&avant=2026-10-01T08%3A05%3A00\\.000Z%7E`));
    const second = await admin.get(older);
    expect(marks(second.body)).toEqual(['m4', 'm3', 'm2', 'm1', 'm0']);
    expect(second.body).not.toContain('Entrées plus anciennes');
    expect(second.body).toContain(`<a href="/gestion/journal?action=${p}.">Revenir aux plus récentes</a>`);
  });

  it('shows what staff actions wrote: a settings change, a refused admin page', async () => {
    const { b: admin, staff } = await loggedInStaff(t, nextIp(), 'admin');
    const { b: agent, staff: agentMember } = await loggedInStaff(t, nextIp(), 'agent');
    const form = await admin.get('/gestion/parametres');
    const phone = /id="phone" name="phone" type="tel" value="([^"]*)"/.exec(form.body)![1]!;
    const other = phone === '01 02 03 04 05' ? '01 02 03 04 06' : '01 02 03 04 05';
    const fields = Object.fromEntries([...form.body.matchAll(/<input id="([a-z_0-9]+)" name="\1"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replaceAll('&amp;', '&')]));
    const hours = Object.fromEntries([...form.body.matchAll(/<select id="(hours_\d_\w+)" name="\1">[\s\S]*?<\/select>/g)].map((m) => [m[1]!, /<option value="([^"]*)" selected>/.exec(m[0])?.[1] ?? '']));
    const saved = await admin.submit('/gestion/parametres', '/gestion/parametres', { ...fields, ...hours, phone: other });
    expect(saved.statusCode).toBe(303);
    expect((await agent.get('/gestion/journal')).statusCode).toBe(403);

    const byAdmin = await admin.get(`/gestion/journal?membre=${staff.id}`);
    expect(byAdmin.body).toContain('<code>settings.update</code>');
    expect(byAdmin.body).toContain(`<li>phone : ${phone} → ${other}</li>`);
    const byAgent = await admin.get(`/gestion/journal?membre=${agentMember.id}&action=staff.admin_page`);
    expect(byAgent.body).toContain('<code>staff.admin_page</code>');
    expect(byAgent.body).toContain('>refusée</td>');
    expect(byAgent.body).toContain('<li>route : /gestion/journal</li>');
  });
});
