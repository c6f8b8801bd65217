import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInBrowser } from '../../../tests/support/app.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { activeSubscriber, createCarPark, createContract } from '../../../tests/support/factories.ts';
import { createStaffMember } from '../../../tests/support/staff.ts';
import { nowIso } from '../../lib/clock.ts';
import { currentMandate } from './direct-debit.queries.ts';
import { friendlyIban } from './direct-debit.rules.ts';
import { rejectMandate, validateMandate } from './direct-debit.backoffice.ts';

/*
 * A change of bank account online (issue 13): a new mandate, new RUM, for the same contracts,
 * signed with a one-time code; the old one stays active until customer service validates the
 * new one, then is revoked (end reason `replaced`); the customer sees both meanwhile.
 */

const OLD_IBAN = 'FR7630006000011234567890189';
const NEW_IBAN = 'DE89370400440532013000';

describe.each(databaseKinds())('change of bank account (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);
  let ipSeq = 0;

  async function customer(lang: 'fr' | 'en' = 'fr') {
    const { customer, password } = await activeSubscriber(t.db, t.clock, undefined, { language: lang });
    const email = `chg-${customer.number.toLowerCase()}@example.test`;
    await t.db.updateTable('customers').set({ email_primary: email, email_primary_verified_at: nowIso(t.clock) }).where('id', '=', customer.id).execute();
    const park = await createCarPark(t.db, t.clock, { name: 'CARDINET' });
    const k1 = await createContract(t.db, t.clock, customer.id, park.id);
    const k2 = await createContract(t.db, t.clock, customer.id, park.id);
    const other = await createContract(t.db, t.clock, customer.id, park.id);
    const b = await loggedInBrowser(t.app, `10.78.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`, customer.number, password);
    return { b, customer, email, contracts: [k1, k2], other };
  }
  type Who = Awaited<ReturnType<typeof customer>>;

  const postPairs = (b: Browser, url: string, pairs: string[][]) => b.post(url, pairs as unknown as Record<string, string>);
  const mandateIdOf = (location: unknown) => /\/prelevement\/mandat\/([0-9a-f-]{36})\/signature/.exec(String(location))?.[1] ?? '';
  const fields = (iban: string) => ({ holder: 'DURAND FRANCOIS', street: '1 RUE DE LA PAIX', postal_code: '75008', city: 'PARIS', country: 'France', iban: friendlyIban(iban), bic: '', place: 'Paris' });

  async function lastCode(email: string): Promise<string> {
    await mb.deliver();
    const mails = mb.smtp.to(email).filter((m) => /code/i.test(m.subject));
    const code = /:\s*(\d{6})\s*$/m.exec(mails[mails.length - 1]?.text ?? '')?.[1];
    if (!code) throw new Error('no code');
    return code;
  }

  async function sign(who: Who, location: unknown) {
    const id = mandateIdOf(location);
    const code = await lastCode(who.email);
    const page = await who.b.get(`/prelevement/mandat/${id}/signature`);
    const done = await who.b.post(`/prelevement/mandat/${id}/signature`, { _csrf: csrfToken(page.body), code });
    expect(done.statusCode).toBe(303);
    return id;
  }

  /** A customer whose mandate (old IBAN, two of their three contracts) is active. */
  async function withActiveMandate(lang: 'fr' | 'en' = 'fr') {
    const who = await customer(lang);
    const page = await who.b.get('/prelevement/mandat');
    const rum = /name="rum" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const res = await postPairs(who.b, '/prelevement/mandat', [['_csrf', csrfToken(page.body)], ['rum', rum], ...Object.entries(fields(OLD_IBAN)), ...who.contracts.map((k) => ['contracts', k.id])]);
    const oldId = await sign(who, res.headers.location);
    const staff = await createStaffMember(t.db, t.clock);
    const by = { staffId: staff.id, meta: { ip: '10.78.255.1', user_agent: null } };
    await validateMandate(t.db, t.clock, t.config, oldId, by);
    return { ...who, oldId, by };
  }

  const row = (id: string) => t.db.selectFrom('sepa_mandates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const events = (type: string) => t.db.selectFrom('integration_events').select(['type', 'subject_id', 'origin', 'payload']).where('type', '=', type).orderBy('id').execute();

  async function startChange(who: Who & { oldId: string }, over: Record<string, string> = {}, extra: string[][] = []) {
    const form = await who.b.get(`/prelevement/mandat/${who.oldId}/changement`);
    expect(form.statusCode).toBe(200);
    const rum = /name="rum" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    return postPairs(who.b, `/prelevement/mandat/${who.oldId}/changement`, [
      ['_csrf', csrfToken(form.body)],
      ['rum', rum],
      ...Object.entries({ ...fields(NEW_IBAN), ...over }),
      ...extra,
    ]);
  }

  it('signs a new mandate for the same contracts; the old one stays active until the new one is validated, then is revoked as replaced', async () => {
    const who = await withActiveMandate();
    const state = await who.b.get('/prelevement');
    expect(state.body).toContain(`href="/prelevement/mandat/${who.oldId}/changement"`);
    expect(state.body).toContain('Changer de compte bancaire');

    // Another contract id sent with the form does not count: the new mandate covers the old one's.
    const res = await startChange(who, {}, [['contracts', who.other.id]]);
    expect(res.statusCode).toBe(303);
    const newId = await sign(who, res.headers.location);
    const fresh = await row(newId);
    expect(fresh).toMatchObject({ status: 'to_validate', replaces_mandate_id: who.oldId, iban_last4: '3000' });
    expect(fresh.rum).not.toBe((await row(who.oldId)).rum);
    const covered = await t.db.selectFrom('sepa_mandate_contracts').select('contract_id').where('mandate_id', '=', newId).execute();
    expect(covered.map((c) => c.contract_id).sort()).toEqual(who.contracts.map((k) => k.id).sort());
    expect((await row(who.oldId)).status).toBe('active');

    // Both states shown; the active one is the current one.
    const both = await who.b.get('/prelevement');
    expect(both.body).toContain('Votre nouveau compte bancaire');
    expect(both.body).toContain('Signé, en cours de validation par le service client');
    expect(both.body).toContain('Actif');
    expect(both.body).not.toContain(`/prelevement/mandat/${who.oldId}/changement"`);
    expect((await currentMandate(t.db, who.customer.id))?.id).toBe(who.oldId);
    // A second change while this one waits: back to the state page.
    const again = await who.b.get(`/prelevement/mandat/${who.oldId}/changement`);
    expect(again.statusCode).toBe(303);

    const signedEvent = (await events('mandate.signed')).find((e) => e.subject_id === newId)!;
    expect(JSON.parse(signedEvent.payload)).toMatchObject({ replaces_rum: (await row(who.oldId)).rum, end_reason: null });

    await validateMandate(t.db, t.clock, t.config, newId, who.by);
    expect(await row(newId)).toMatchObject({ status: 'active' });
    expect(await row(who.oldId)).toMatchObject({ status: 'revoked', end_reason: 'replaced', revoked_at: nowIso(t.clock) });
    const contracts = await t.db.selectFrom('contracts').select(['id', 'direct_debit']).where('id', 'in', who.contracts.map((k) => k.id)).execute();
    expect(contracts.every((k) => k.direct_debit === 1)).toBe(true);
    const revoked = (await events('mandate.revoked')).find((e) => e.subject_id === who.oldId)!;
    expect(revoked.origin).toBe('staff');
    expect(JSON.parse(revoked.payload)).toMatchObject({ status: 'revoked', end_reason: 'replaced', previous_status: 'active' });
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', '=', 'mandate.replace').where('target_id', '=', (await row(who.oldId)).rum).execute();
    expect(audit).toHaveLength(1);

    await mb.deliver();
    const subjects = mb.smtp.to(who.email).map((m) => m.subject);
    expect(subjects).toContain(`Votre mandat de prélèvement ${(await row(who.oldId)).rum} est remplacé`);
    expect(subjects).toContain(`Votre mandat de prélèvement ${fresh.rum} est actif`);
    expect((await currentMandate(t.db, who.customer.id))?.id).toBe(newId);
  });

  it('keeps the old mandate active when the new one is rejected; English e-mail for an English customer', async () => {
    const who = await withActiveMandate('en');
    const newId = await sign(who, (await startChange(who)).headers.location);
    await rejectMandate(t.db, t.clock, t.config, newId, who.by, 'Account closed');
    expect((await row(who.oldId)).status).toBe('active');
    expect((await row(newId)).status).toBe('rejected');
    const page = await who.b.get('/prelevement');
    expect(page.body).toContain('Change bank account');
    // The replaced mandate's e-mail in English, once validated.
    const second = await sign(who, (await startChange(who)).headers.location);
    await validateMandate(t.db, t.clock, t.config, second, who.by);
    await mb.deliver();
    expect(mb.smtp.to(who.email).map((m) => m.subject)).toContain(`Your direct debit mandate ${(await row(who.oldId)).rum} is replaced`);
  });

  it('keeps what was typed and says what is wrong; refuses a mandate that is not active or not the customer’s', async () => {
    const who = await withActiveMandate();
    const bad = await startChange(who, { iban: 'FR76 0000', holder: 'MARTIN PAUL' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('value="MARTIN PAUL"');
    expect(bad.body).toContain('FR76 0000');
    expect(bad.body).toContain('class="error-summary');
    expect(await t.db.selectFrom('sepa_mandates').select('id').where('replaces_mandate_id', '=', who.oldId).execute()).toHaveLength(0);

    const stranger = await customer();
    const foreign = await stranger.b.get(`/prelevement/mandat/${who.oldId}/changement`);
    expect(foreign.statusCode).toBe(404);

    await t.db.updateTable('sepa_mandates').set({ status: 'revoked' }).where('id', '=', who.oldId).execute();
    const gone = await who.b.get(`/prelevement/mandat/${who.oldId}/changement`);
    expect(gone.statusCode).toBe(303);
    expect(gone.headers.location).toBe('/prelevement');
  });
});
