import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInCustomer, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber, createCarPark, createContract, emailColumns } from '../../../tests/support/factories.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { MINUTE, newId, nowIso } from '../../lib/clock.ts';
import { friendlyIban, paperRum } from './direct-debit.rules.ts';
import { openIban } from './direct-debit.secrets.ts';
import { createMandate, signMandate } from './direct-debit.service.ts';

const IBAN = 'FR7630006000011234567890189';
/** Every way the full IBAN could be written down. */
const ibanForms = (iban: string) => [iban, friendlyIban(iban), iban.slice(4, -4), friendlyIban(iban).slice(5, -5)];

describe.each(databaseKinds())('the mandates in the back office (%s)', (kind) => {
  const t = useTestApp(kind);
  let ipSeq = 0;
  const ip = () => `10.91.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

  /** A customer with a verified address and two current contracts. */
  async function customer() {
    const { customer } = await activeSubscriber(t.db, t.clock);
    const email = `bo-${customer.number.toLowerCase()}@example.test`;
    await t.db.updateTable('customers').set(emailColumns(email, null, nowIso(t.clock))).where('id', '=', customer.id).execute();
    const park = await createCarPark(t.db, t.clock, { name: 'CARDINET' });
    const contracts = [await createContract(t.db, t.clock, customer.id, park.id), await createContract(t.db, t.clock, customer.id, park.id)];
    return { customer, email, contracts };
  }

  /** A customer whose mandate is signed online and waits for customer service. */
  async function signed() {
    const who = await customer();
    const c = { db: t.db, clock: t.clock, config: t.config, customerId: who.customer.id, meta: { ip: '10.91.255.1', user_agent: null } };
    const created = await createMandate(
      c,
      { holderName: 'DURAND FRANCOIS', holderAddress: '1 RUE DE LA PAIX\n75008 PARIS\nFrance', iban: IBAN, ibanCountry: 'FR', bic: 'BNPAFRPP', contractIds: who.contracts.map((k) => k.id), place: 'Paris' },
      '',
    );
    if (!created.ok) throw new Error(created.reason);
    // The code is in the outbox until it is delivered.
    const mail = await t.db.selectFrom('outbox').select('text_body').where('recipient', '=', who.email).where('template', '=', 'mandate-code').executeTakeFirstOrThrow();
    const code = /:\s*(\d{6})\s*$/m.exec(mail.text_body)![1]!;
    const done = await signMandate({ ...c, storage: t.app.storage, lang: 'fr' }, created.mandateId, code);
    expect(done.ok).toBe(true);
    return { ...who, id: created.mandateId, rum: created.rum };
  }

  const mandateRow = (id: string) => t.db.selectFrom('sepa_mandates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const mails = (to: string) => t.db.selectFrom('outbox').select(['template', 'subject', 'text_body']).where('recipient', '=', to).orderBy('created_at').execute();
  const audits = (action: string, target: string) =>
    t.db.selectFrom('audit_log').select(['actor_type', 'actor_id', 'outcome', 'ip', 'details']).where('action', '=', action).where('target_id', '=', target).execute();

  it('lets only staff in: a visitor or a customer goes to the staff login, an agent and an admin get every page, the full IBAN (and the signed PDF, which prints it) to admins only', async () => {
    const m = await signed();
    const visitor = new Browser(t.app, ip());
    const { b: customerBrowser } = await loggedInCustomer(t, ip());
    const { b: agent } = await loggedInStaff(t, ip(), 'agent');
    const { b: admin } = await loggedInStaff(t, ip(), 'admin');
    const pages = ['/gestion/mandats', '/gestion/mandats?etat=active', `/gestion/mandats/${m.id}`, `/gestion/mandats/${m.id}/mandat.pdf`, '/gestion/mandats/papier', `/gestion/mandats/papier?client=${m.customer.number}`];
    const posts = [`/gestion/mandats/${m.id}/validation`, `/gestion/mandats/${m.id}/refus`, `/gestion/mandats/${m.id}/iban`, '/gestion/mandats/papier'];
    for (const b of [visitor, customerBrowser]) {
      for (const url of pages) {
        const res = await b.get(url);
        expect(res.statusCode, url).toBe(302);
        expect(res.headers.location, url).toMatch(/^\/gestion\/connexion/);
      }
      for (const url of posts) {
        const res = await b.post(url, { reason: 'x' });
        expect(res.statusCode, url).toBe(302);
        expect(res.headers.location, url).toMatch(/^\/gestion\/connexion/);
      }
    }
    for (const b of [agent, admin]) {
      for (const url of pages) expect((await b.get(url)).statusCode, url).toBe(b === agent && url.endsWith('/mandat.pdf') ? 403 : 200);
    }
    const page = await agent.get(`/gestion/mandats/${m.id}`);
    expect((await agent.post(`/gestion/mandats/${m.id}/iban`, { _csrf: csrfToken(page.body) })).statusCode).toBe(403);
    const adminPage = await admin.get(`/gestion/mandats/${m.id}`);
    expect((await admin.post(`/gestion/mandats/${m.id}/iban`, { _csrf: csrfToken(adminPage.body) })).statusCode).toBe(200);
    expect((await mandateRow(m.id)).status).toBe('to_validate');
  });

  it('lists the mandates to validate oldest first, with the customer, the masked IBAN and a link to each', async () => {
    const older = await signed();
    t.clock.advance(5 * MINUTE);
    const newer = await signed();
    const { b } = await loggedInStaff(t, ip());
    const res = await b.get('/gestion/mandats');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const at = (s: string) => res.body.indexOf(s);
    expect(at(older.rum)).toBeGreaterThan(0);
    expect(at(older.rum)).toBeLessThan(at(newer.rum));
    for (const text of [`href="/gestion/mandats/${older.id}"`, `href="/gestion/clients/${older.customer.number}"`, 'FR•• •••• •••• 0189', 'Signé en ligne', 'aria-current="page"', '<caption>', 'scope="col"', 'href="/gestion/mandats/papier"']) {
      expect(res.body, text).toContain(text);
    }
    for (const form of ibanForms(IBAN)) expect(res.body).not.toContain(form);
    const active = await b.get('/gestion/mandats?etat=active');
    expect(active.body).not.toContain(older.rum);
  });

  it('shows a mandate with its customer, masked IBAN, contracts, signature, PDF and history; the PDF downloads as an attachment, audited', async () => {
    const m = await signed();
    const { b, staff } = await loggedInStaff(t, ip(), 'admin');
    const res = await b.get(`/gestion/mandats/${m.id}`);
    expect(res.statusCode).toBe(200);
    // Reading it is audited, on its customer.
    const read = await t.db.selectFrom('audit_log').select(['target_id', 'details']).where('actor_id', '=', staff.id).where('action', '=', 'mandate.view').execute();
    expect(read).toEqual([{ target_id: m.customer.id, details: JSON.stringify({ rum: m.rum }) }]);
    for (const text of [
      `Mandat ${m.rum}`,
      `href="/gestion/clients/${m.customer.number}"`,
      'DURAND FRANCOIS',
      '1 RUE DE LA PAIX',
      'FR•• •••• •••• 0189',
      'BNPAFRPP',
      `Contrat n° ${m.contracts[0]!.number} — CARDINET`,
      '27/11/2026',
      `href="/gestion/mandats/${m.id}/mandat.pdf"`,
      'Mandat rempli en ligne',
      'Mandat signé en ligne',
      'Valider le mandat',
      'Refuser le mandat',
    ]) {
      expect(res.body, text).toContain(text);
    }
    for (const form of ibanForms(IBAN)) expect(res.body).not.toContain(form);
    expect(res.body).toContain('Afficher l’IBAN complet'); // to an admin only
    // An agent sees the same page but for the full IBAN: neither offered, nor on the signed PDF.
    const { b: agent } = await loggedInStaff(t, ip());
    const asAgent = await agent.get(`/gestion/mandats/${m.id}`);
    expect(asAgent.body).toContain('DURAND FRANCOIS');
    expect(asAgent.body).not.toContain('Afficher l’IBAN complet');
    expect(asAgent.body).not.toContain('mandat.pdf');

    const pdf = await b.get(`/gestion/mandats/${m.id}/mandat.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="mandat-${m.rum}.pdf"`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await audits('mandate.pdf_download', m.rum)).toEqual([expect.objectContaining({ actor_type: 'staff', actor_id: staff.id, outcome: 'success' })]);

    for (const url of [`/gestion/mandats/${newId()}`, '/gestion/mandats/pas-un-id', `/gestion/mandats/${newId()}/mandat.pdf`]) expect((await b.get(url)).statusCode, url).toBe(404);
  });

  it('validates a signed mandate: active, its contracts on direct debit, the customer told by e-mail, audited', async () => {
    const m = await signed();
    const from = ip();
    const { b, staff } = await loggedInStaff(t, from);
    const page = await b.get(`/gestion/mandats/${m.id}`);
    t.clock.advance(MINUTE);
    const res = await b.post(`/gestion/mandats/${m.id}/validation`, { _csrf: csrfToken(page.body) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/gestion/mandats/${m.id}?ok=valide`);
    expect(await mandateRow(m.id)).toMatchObject({ status: 'active', decided_by: staff.id, decided_at: t.clock.now().toISOString() });
    const contracts = await t.db.selectFrom('contracts').select('direct_debit').where('customer_id', '=', m.customer.id).execute();
    expect(contracts.every((k) => k.direct_debit === 1)).toBe(true);
    expect((await mails(m.email)).map((x) => x.subject)).toContain(`Votre mandat de prélèvement ${m.rum} est actif`);
    expect(await audits('mandate.validate', m.rum)).toEqual([expect.objectContaining({ actor_type: 'staff', actor_id: staff.id, outcome: 'success', ip: from })]);
    const after = await b.get(res.headers.location as string);
    expect(after.body).toContain('Le mandat est validé. Le client en est informé par e-mail.');
    expect(after.body).toContain('Mandat validé');
    expect(after.body).not.toContain('Valider le mandat');
    // Twice: it is no longer waiting; nothing more is sent.
    const again = await b.post(`/gestion/mandats/${m.id}/validation`, { _csrf: csrfToken(after.body) });
    expect(again.headers.location).toBe(`/gestion/mandats/${m.id}?deja`);
    expect((await audits('mandate.validate', m.rum)).length).toBe(1);
  });

  it('rejects a signed mandate only with a reason: the form keeps what was typed and says what is wrong; then the customer is told why and what to do', async () => {
    const m = await signed();
    const { b, staff } = await loggedInStaff(t, ip());
    const page = await b.get(`/gestion/mandats/${m.id}`);
    const token = csrfToken(page.body);

    const empty = await b.post(`/gestion/mandats/${m.id}/refus`, { _csrf: token, reason: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('class="error-summary"');
    expect(empty.body).toContain('Motif du refus : Saisissez le motif du refus : il est envoyé au client.');
    expect(empty.body).toContain('aria-invalid="true"');
    const long = `Le RIB joint ne correspond pas. ${'x'.repeat(500)}`;
    const tooLong = await b.post(`/gestion/mandats/${m.id}/refus`, { _csrf: token, reason: long });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Le motif ne peut pas dépasser 500 caractères.');
    expect(tooLong.body).toContain(`>${long}</textarea>`);
    expect((await mandateRow(m.id)).status).toBe('to_validate');
    expect(await audits('mandate.reject', m.rum)).toEqual([]);

    const reason = 'Le titulaire du compte ne correspond pas au RIB joint.';
    const res = await b.post(`/gestion/mandats/${m.id}/refus`, { _csrf: token, reason: `  ${reason}\n` });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/gestion/mandats/${m.id}?ok=refuse`);
    expect(await mandateRow(m.id)).toMatchObject({ status: 'rejected', rejection_reason: reason, decided_by: staff.id });
    const mail = (await mails(m.email)).find((x) => x.template === 'mandate-rejected')!;
    expect(mail.subject).toBe(`Votre mandat de prélèvement ${m.rum} n’a pas pu être accepté`);
    expect(mail.text_body).toContain(reason);
    expect(mail.text_body).toContain('Vous pouvez signer un nouveau mandat depuis votre espace client, ou nous contacter.');
    expect(await audits('mandate.reject', m.rum)).toEqual([expect.objectContaining({ actor_type: 'staff', actor_id: staff.id, outcome: 'success' })]);
    const after = await b.get(res.headers.location as string);
    expect(after.body).toContain(reason);
    expect(after.body).toContain('Mandat refusé');
  });

  it('shows the full IBAN to an admin only, each viewing audited, never on the page otherwise', async () => {
    const m = await signed();
    const { b: agent, staff: agentMember } = await loggedInStaff(t, ip(), 'agent');
    const { b: admin, staff: adminMember } = await loggedInStaff(t, ip(), 'admin');
    const agentPage = await agent.get(`/gestion/mandats/${m.id}`);
    const refused = await agent.post(`/gestion/mandats/${m.id}/iban`, { _csrf: csrfToken(agentPage.body) });
    expect(refused.statusCode).toBe(403);
    for (const form of ibanForms(IBAN)) expect(refused.body).not.toContain(form);
    expect(await audits('mandate.iban_view', m.rum)).toEqual([]);
    expect(await t.db.selectFrom('audit_log').select('action').where('actor_id', '=', agentMember.id).where('outcome', '=', 'denied').execute()).toEqual([{ action: 'staff.admin_page' }]);

    const page = await admin.get(`/gestion/mandats/${m.id}`);
    expect(page.body).toContain('Afficher l’IBAN complet');
    for (const form of ibanForms(IBAN)) expect(page.body).not.toContain(form);
    const shown = await admin.post(`/gestion/mandats/${m.id}/iban`, { _csrf: csrfToken(page.body) });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.body).toContain(friendlyIban(IBAN));
    expect(shown.body).toContain('Affichage enregistré dans le journal d’audit.');
    await admin.post(`/gestion/mandats/${m.id}/iban`, { _csrf: csrfToken(shown.body) });
    const viewed = await audits('mandate.iban_view', m.rum);
    expect(viewed).toHaveLength(2);
    expect(viewed[0]).toMatchObject({ actor_type: 'staff', actor_id: adminMember.id, outcome: 'success' });
    for (const v of viewed) for (const form of ibanForms(IBAN)) expect(v.details ?? '').not.toContain(form);
    // The page asked for again is masked again.
    const again = await admin.get(`/gestion/mandats/${m.id}`);
    for (const form of ibanForms(IBAN)) expect(again.body).not.toContain(form);
  });

  describe('a paper mandate received by post', () => {
    /** The paper form of `number`, posted with these fields over good ones. */
    async function record(b: Browser, number: string, fields: Record<string, string>, contracts: string[]) {
      const page = await b.get(`/gestion/mandats/papier?client=${number}`);
      expect(page.statusCode).toBe(200);
      const good: Record<string, string> = {
        holder: 'DURAND FRANCOIS',
        street: '1 RUE DE LA PAIX',
        postal_code: '75008',
        city: 'PARIS',
        country: 'France',
        iban: friendlyIban(IBAN),
        bic: 'BNPAFRPP',
        place: 'Paris',
        signed_on: '20/11/2026',
        rum: '',
        ...fields,
      };
      const pairs = [['_csrf', csrfToken(page.body)], ['client', number], ...Object.entries(good), ...contracts.map((c) => ['contracts', c])];
      return b.post('/gestion/mandats/papier', pairs as unknown as Record<string, string>);
    }

    it('asks for the customer first, and says when the number is nobody’s', async () => {
      const { b } = await loggedInStaff(t, ip());
      const first = await b.get('/gestion/mandats/papier');
      expect(first.statusCode).toBe(200);
      expect(first.body).toContain('Numéro client');
      const unknown = await b.get('/gestion/mandats/papier?client=CLT000000X');
      expect(unknown.statusCode).toBe(400);
      expect(unknown.body).toContain('Aucun client n’a le numéro CLT000000X.');
      expect(unknown.body).toContain('value="CLT000000X"');
      const who = await customer();
      const form = await b.get(`/gestion/mandats/papier?client=${who.customer.number.toLowerCase()}`);
      expect(form.body).toContain(`value="${who.customer.number}"`);
      expect(form.body).toContain('DURAND FRANCOIS');
      expect(form.body).toContain(`Contrat n° ${who.contracts[0]!.number}`);
    });

    it('refuses an invalid IBAN naming the field, keeping what was typed', async () => {
      const who = await customer();
      const { b } = await loggedInStaff(t, ip());
      const res = await record(b, who.customer.number, { iban: 'FR76 3000 6000 0112 3456 7890 188', holder: 'DURAND F.' }, [who.contracts[0]!.id]);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('<a href="#iban">IBAN : ');
      expect(res.body).toContain('id="iban-error"');
      expect(res.body).toContain('value="FR76 3000 6000 0112 3456 7890 188"');
      expect(res.body).toContain('value="DURAND F."');
      expect(res.body).toContain('value="20/11/2026"');
      const bad = await record(b, who.customer.number, { signed_on: '2026-12-25', iban: 'XX00' }, []);
      expect(bad.body).toContain('La date de signature ne peut pas être postérieure à aujourd’hui.');
      expect(bad.body).toContain('Cochez au moins un contrat à régler par prélèvement.');
      expect(bad.body).toContain('<a href="#iban">IBAN : ');
      expect(await t.db.selectFrom('sepa_mandates').select('id').where('customer_id', '=', who.customer.id).execute()).toEqual([]);
    });

    it('records it active with a unique RUM, the IBAN encrypted, the contracts on direct debit, the customer told, audited', async () => {
      const one = await customer();
      const two = await customer();
      const { b, staff } = await loggedInStaff(t, ip());
      const res = await record(b, one.customer.number, {}, one.contracts.map((k) => k.id));
      expect(res.statusCode).toBe(303);
      const id = /\/gestion\/mandats\/([0-9a-f-]{36})\?ok=papier$/.exec(String(res.headers.location))![1]!;
      const row = await mandateRow(id);
      expect(row).toMatchObject({ status: 'active', source: 'paper', decided_by: staff.id, signed_at: '2026-11-20T00:00:00.000Z', signature_place: 'Paris', iban_last4: '0189', pdf_sha256: null });
      expect(row.rum).toMatch(new RegExp(`^RUM-${one.customer.number}-20261127-[A-Z0-9]{4}$`));
      expect(row.iban_encrypted).not.toContain('0189');
      expect(openIban(t.config, row.iban_encrypted)).toBe(IBAN);
      expect((await t.db.selectFrom('contracts').select('direct_debit').where('customer_id', '=', one.customer.id).execute()).every((k) => k.direct_debit === 1)).toBe(true);
      const told = (await mails(one.email)).find((x) => x.template === 'mandate-validated')!;
      expect(told.subject).toBe(`Votre mandat de prélèvement ${row.rum} est actif`);
      for (const form of ibanForms(IBAN)) expect(told.text_body).not.toContain(form);
      const audited = await audits('mandate.paper_record', row.rum);
      expect(audited).toEqual([expect.objectContaining({ actor_type: 'staff', actor_id: staff.id, outcome: 'success' })]);
      for (const form of ibanForms(IBAN)) expect(audited[0]!.details).not.toContain(form);
      const page = await b.get(String(res.headers.location));
      expect(page.body).toContain('Le mandat papier est enregistré et actif.');
      expect(page.body).toContain('Papier, reçu par courrier');
      expect(page.body).toContain('20/11/2026, à Paris');
      expect(page.body).toContain('Mandat papier enregistré');

      // Another customer's: another RUM. The same customer again: one mandate in force at a time.
      const other = await record(b, two.customer.number, {}, [two.contracts[0]!.id]);
      const otherRum = (await mandateRow(/([0-9a-f-]{36})\?/.exec(String(other.headers.location))![1]!)).rum;
      expect(otherRum).not.toBe(row.rum);
      const twice = await record(b, one.customer.number, {}, [one.contracts[0]!.id]);
      expect(twice.statusCode).toBe(409);
      expect(twice.body).toContain(`Ce client a déjà un mandat en vigueur (${row.rum}).`);
    });

    it('records it under the RUM printed on the customer’s form, once: a RUM already recorded or not this customer’s is refused', async () => {
      const who = await customer();
      const { b } = await loggedInStaff(t, ip());
      const printed = paperRum(who.customer.number, new Date('2026-11-02T09:30:00Z'));
      const res = await record(b, who.customer.number, { rum: printed.toLowerCase() }, [who.contracts[0]!.id]);
      expect(res.statusCode).toBe(303);
      const id = /([0-9a-f-]{36})\?/.exec(String(res.headers.location))![1]!;
      expect((await mandateRow(id)).rum).toBe(printed);
      expect((await audits('mandate.paper_record', printed))[0]!.details).toContain('"rum_from":"form"');

      // The customer revokes it; the same paper form cannot be recorded a second time.
      await t.db.updateTable('sepa_mandates').set({ status: 'revoked' }).where('id', '=', id).execute();
      const again = await record(b, who.customer.number, { rum: printed }, [who.contracts[0]!.id]);
      expect(again.statusCode).toBe(400);
      expect(again.body).toContain('Un mandat est déjà enregistré sous cette RUM.');
      const stranger = await customer();
      const foreign = await record(b, who.customer.number, { rum: paperRum(stranger.customer.number, new Date('2026-11-02T09:30:00Z')) }, [who.contracts[0]!.id]);
      expect(foreign.statusCode).toBe(400);
      expect(foreign.body).toContain('Cette RUM n’est pas celle d’un formulaire de ce client');
      expect((await t.db.selectFrom('sepa_mandates').select('id').where('customer_id', '=', who.customer.id).execute()).length).toBe(1);
    });
  });
});
