import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { api, apiClientWith } from '../../../tests/support/api.ts';
import { Browser, csrfToken, databaseKinds, loggedInCustomer } from '../../../tests/support/app.ts';
import { createCarPark, createContract } from '../../../tests/support/factories.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { type Part, multipartBody } from '../../../tests/support/multipart.ts';
import { loggedInStaff } from '../../../tests/support/staff.ts';
import { DAY, newId, nowIso } from '../../lib/clock.ts';
import { findContracts } from '../contracts/contracts.queries.ts';

/*
 * Vehicles and plates (issue 13) through the real routes: the customer's page and request
 * (multipart, CSRF first, the certificate checked), the form kept on an error in the customer's
 * language, the back office's queue (certificate, approval, refusal with its reason), the
 * contract's vehicles from the date given, the e-mails, and the events of both feeds.
 */

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
const certificate = (content = PDF, filename = 'carte-grise.pdf'): Part => ({ name: 'certificate', filename, content, type: 'application/pdf' });

describe.each(databaseKinds())('vehicles and plates (%s)', (kind) => {
  let n = 0;
  const ip = () => `10.26.${Math.floor(++n / 200)}.${n % 200}`;
  const { t, mb } = useMailTestApp(kind, { DATA_DIR: mkdtempSync(join(tmpdir(), 'portal-vehicles-')), PUBLIC_URL: 'https://monespaceclient.example' });

  /** A logged-in customer with a verified address and one contract holding AB-123-CD since 2025. */
  async function subscriber(over: { language?: 'fr' | 'en'; maxVehicles?: number } = {}) {
    const email = `abonne${newId().slice(-12)}@example.fr`;
    const { b, customer } = await loggedInCustomer(t, ip(), { language: over.language ?? 'fr', email_primary: email, email_primary_verified_at: nowIso(t.clock) });
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    if (over.maxVehicles) await t.db.updateTable('contracts').set({ max_vehicles: over.maxVehicles }).where('id', '=', contract.id).execute();
    const vehicleId = newId();
    await t.db
      .insertInto('contract_vehicles')
      .values({ id: vehicleId, contract_id: contract.id, plate: 'AB-123-CD', plate_key: 'AB123CD', country: 'FR', description: 'Peugeot 208', valid_from: '2025-01-01', valid_to: null })
      .execute();
    return { b, customer, contract, park, vehicleId, email };
  }

  /** Posts the request form as the browser would: the form page's CSRF token first, then the fields and the files. */
  async function send(b: Browser, contractNumber: string, fields: Record<string, string>, files: Part[] = [certificate()], from = '') {
    const base = `/contrats/${contractNumber}/vehicules/demande`;
    const page = await b.get(`${base}${from}`);
    expect(page.statusCode).toBe(200);
    const { payload, contentType } = multipartBody([{ name: '_csrf', value: csrfToken(page.body) }, ...Object.entries(fields).map(([name, value]) => ({ name, value })), ...files]);
    return t.app.inject({
      method: 'POST',
      url: base,
      remoteAddress: '10.26.250.1',
      payload,
      headers: { 'content-type': contentType, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
  }

  const today = () => new Date(t.clock.now()).toISOString().slice(0, 10);
  const inDays = (d: number) => new Date(t.clock.now().getTime() + d * DAY).toISOString().slice(0, 10);

  async function events(customerId: string) {
    const rows = await t.db.selectFrom('integration_events').select(['feed', 'type', 'payload', 'origin']).where('customer_id', '=', customerId).orderBy('id').execute();
    return rows.map((r) => ({ feed: r.feed, type: r.type, origin: r.origin, ...(JSON.parse(r.payload) as Record<string, unknown>) }));
  }

  it('shows the contract’s vehicles from Contrats, with Remplacer, and Ajouter only within what the contract allows', async () => {
    const { b, contract } = await subscriber();
    expect((await b.get('/contrats')).body).toContain(`href="/contrats/${contract.number}/vehicules"`);
    const page = await b.get(`/contrats/${contract.number}/vehicules`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('AB-123-CD');
    expect(page.body).toContain('Votre contrat permet 1 véhicule(s) à la fois.');
    expect(page.body).toContain('Remplacer le véhicule AB-123-CD');
    expect(page.body).not.toContain('>Ajouter un véhicule<');
    expect(page.body).toContain('n’autorise pas de véhicule supplémentaire');

    const two = await subscriber({ maxVehicles: 2 });
    expect((await two.b.get(`/contrats/${two.contract.number}/vehicules`)).body).toContain('>Ajouter un véhicule<');
  });

  it('takes how many vehicles a contract allows from the ERP (API), and lets the customer add one within it', async () => {
    const { b, customer, contract, park } = await subscriber();
    const { key } = await apiClientWith(t, ['contracts:write', 'contracts:read']);
    const body = {
      customer: customer.number,
      car_park: park.code,
      product: 'resident',
      state: 'active',
      start_date: '2021-12-09',
      billing_period: 'monthly',
      price_ht_cents: 21667,
      vat_rate_bp: 2000,
      max_vehicles: 2,
      vehicles: [{ plate: 'AB-123-CD', description: 'Peugeot 208', valid_from: '2025-01-01' }],
    };
    const put = await api(t, key, 'PUT', `/api/v1/contracts/${contract.number}`, body);
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ max_vehicles: 2 });
    expect((await b.get(`/contrats/${contract.number}/vehicules`)).body).toContain('Votre contrat permet 2 véhicule(s) à la fois.');
    const added = await send(b, contract.number, { replaces: '', plate: 'EF-456-GH', country: 'FR', make: 'Renault', model: 'Zoé', valid_from: today() });
    expect(added.statusCode, added.body).toBe(303);
    // The addition pending counts: a third vehicle is refused.
    const third = await send(b, contract.number, { replaces: '', plate: 'JK-789-LM', country: 'FR', make: 'Fiat', model: '500', valid_from: today() });
    expect(third.statusCode).toBe(422);
    expect(third.body).toContain('Votre contrat permet 2 véhicule(s) à la fois : remplacez un véhicule');
  });

  it('answers 404 for another customer’s contract, audited', async () => {
    const other = await subscriber();
    const { b } = await subscriber();
    expect((await b.get(`/contrats/${other.contract.number}/vehicules`)).statusCode).toBe(404);
    expect((await b.get(`/contrats/${other.contract.number}/vehicules/demande`)).statusCode).toBe(404);
  });

  it('records a replacement pending, acknowledges it by e-mail, and tells the ERP', async () => {
    const { b, customer, contract, vehicleId, email } = await subscriber();
    const from = inDays(10);
    const res = await send(b, contract.number, { replaces: vehicleId, plate: 'ef 456 gh', country: 'FR', make: 'Renault', model: 'Clio', valid_from: from }, [certificate()], `?remplace=${vehicleId}`);
    expect(res.statusCode, res.body).toBe(303);
    expect(res.headers.location).toBe(`/contrats/${contract.number}/vehicules?demande`);
    const page = await b.get(res.headers.location as string);
    expect(page.body).toContain('Votre demande est enregistrée');
    expect(page.body).toContain('Remplacement de AB-123-CD par EF-456-GH (Renault Clio)');
    expect(page.body).toContain('en attente de vérification');
    // Pending: the contract's vehicles have not changed, and the vehicle cannot be asked for twice.
    expect(page.body).not.toContain('Remplacer le véhicule AB-123-CD');
    const held = await t.db.selectFrom('contract_vehicles').select(['plate', 'valid_to']).where('contract_id', '=', contract.id).execute();
    expect(held).toEqual([{ plate: 'AB-123-CD', valid_to: null }]);

    expect((await mb.deliver()).sent).toBeGreaterThanOrEqual(1);
    const mail = mb.last(email);
    expect(mail?.subject).toBe('Votre demande de changement de véhicule est enregistrée');
    expect(mail?.text).toContain('EF-456-GH');

    expect(await events(customer.id)).toEqual([
      expect.objectContaining({ feed: 'vehicle_changes', type: 'vehicle.change_requested', origin: 'customer', contract_number: contract.number, kind: 'replace', plate: 'EF-456-GH', country: 'FR', make: 'Renault', model: 'Clio', valid_from: from, replaced_plate: 'AB-123-CD', refusal_reason: null }),
    ]);
    const audited = await t.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'vehicle.change_request').where('actor_id', '=', customer.id).execute();
    expect(audited).toHaveLength(1);
  });

  it('keeps what was typed and says what is wrong: a bad plate, no certificate, a date past, too many vehicles', async () => {
    const { b, contract, vehicleId } = await subscriber();
    const bad = await send(b, contract.number, { replaces: vehicleId, plate: 'AB-1234-CD', country: 'FR', make: 'Citroën', model: 'C3', valid_from: inDays(-1) }, []);
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('value="AB-1234-CD"');
    expect(bad.body).toContain('value="Citroën"');
    expect(bad.body).toContain('value="C3"');
    expect(bad.body).toContain('Saisissez une immatriculation française au format AB-123-CD.');
    expect(bad.body).toContain('Joignez le certificat d’immatriculation du véhicule.');
    expect(bad.body).toContain('le changement ne peut pas s’appliquer dans le passé');
    expect(bad.body).toContain(`name="replaces" value="${vehicleId}"`);

    const tooMany = await send(b, contract.number, { replaces: '', plate: 'EF-456-GH', country: 'FR', make: 'Renault', model: 'Clio', valid_from: today() });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.body).toContain('Votre contrat permet 1 véhicule(s) à la fois : remplacez un véhicule');
    expect(await t.db.selectFrom('vehicle_changes').select('id').where('contract_id', '=', contract.id).execute()).toEqual([]);

    const notPdf = await send(b, contract.number, { replaces: vehicleId, plate: 'EF-456-GH', country: 'FR', make: 'Renault', model: 'Clio', valid_from: today() }, [certificate(Buffer.from('MZ-not-a-pdf'), 'x.exe')]);
    expect(notPdf.statusCode).toBe(422);
    expect(notPdf.body).toContain('n’est pas un fichier PDF, PNG ou JPEG');
  });

  it('says it in English to an English-speaking customer, and takes a foreign plate with its country', async () => {
    const { b, contract, vehicleId } = await subscriber({ language: 'en' });
    const bad = await send(b, contract.number, { replaces: vehicleId, plate: 'X', country: 'BE', make: 'VW', model: 'Golf', valid_from: today() });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter the plate as it is written');
    const ok = await send(b, contract.number, { replaces: vehicleId, plate: '1-abc-123', country: 'BE', make: 'VW', model: 'Golf', valid_from: today() });
    expect(ok.statusCode).toBe(303);
    expect(await t.db.selectFrom('vehicle_changes').select(['plate', 'country']).where('contract_id', '=', contract.id).execute()).toEqual([{ plate: '1-ABC-123', country: 'BE' }]);
  });

  it('back office: the queue, the certificate, the approval — the vehicles change from the date, the customer is told, both feeds follow', async () => {
    const { b, customer, contract, park, vehicleId, email } = await subscriber();
    const from = inDays(5);
    expect((await send(b, contract.number, { replaces: vehicleId, plate: 'EF-456-GH', country: 'FR', make: 'Renault', model: 'Clio', valid_from: from })).statusCode).toBe(303);
    const { id } = await t.db.selectFrom('vehicle_changes').select('id').where('contract_id', '=', contract.id).executeTakeFirstOrThrow();

    const { b: agent, staff } = await loggedInStaff(t, ip(), 'agent');
    const queue = await agent.get('/gestion/vehicules');
    expect(queue.statusCode).toBe(200);
    expect(queue.body).toContain(`href="/gestion/vehicules/${id}"`);
    expect(queue.body).toContain('Remplace AB-123-CD par EF-456-GH');
    const one = await agent.get(`/gestion/vehicules/${id}`);
    expect(one.body).toContain('Accepter le changement');
    const cert = await agent.get(`/gestion/vehicules/${id}/certificat`);
    expect(cert.statusCode).toBe(200);
    expect(cert.headers['content-disposition']).toMatch(/^attachment;/);
    expect(cert.headers['content-type']).toBe('application/pdf');
    expect(cert.rawPayload.equals(PDF)).toBe(true);

    const approved = await agent.submit(`/gestion/vehicules/${id}`, `/gestion/vehicules/${id}/approbation`, {});
    expect(approved.statusCode).toBe(303);
    expect(approved.headers.location).toBe(`/gestion/vehicules/${id}?ok=accepte`);
    // Twice: already decided.
    const again = await agent.submit(`/gestion/vehicules/${id}`, `/gestion/vehicules/${id}/approbation`, {});
    expect(again.headers.location).toBe(`/gestion/vehicules/${id}?deja`);

    const vehicles = await t.db.selectFrom('contract_vehicles').select(['plate', 'country', 'description', 'valid_from', 'valid_to']).where('contract_id', '=', contract.id).orderBy('valid_from').execute();
    expect(vehicles).toEqual([
      { plate: 'AB-123-CD', country: 'FR', description: 'Peugeot 208', valid_from: '2025-01-01', valid_to: inDays(4) },
      { plate: 'EF-456-GH', country: 'FR', description: 'Renault Clio', valid_from: from, valid_to: null },
    ]);
    // Contrats shows the plate in force on the day: the old one until the day before, the new one from the date.
    expect((await b.get('/contrats')).body).toContain('AB-123-CD');
    const plates = async (day: string) => (await findContracts(t.db, customer.id, day, contract.number))[0]!.vehicles.map((v) => v.plate);
    expect(await plates(inDays(4))).toEqual(['AB-123-CD']);
    expect(await plates(from)).toEqual(['EF-456-GH']);

    await mb.deliver();
    expect(mb.last(email)?.subject).toBe('Votre changement de véhicule est accepté');

    expect((await events(customer.id)).map((e) => [e.feed, e.type])).toEqual([
      ['vehicle_changes', 'vehicle.change_requested'],
      ['vehicle_changes', 'vehicle.change_approved'],
      ['access', 'access.vehicle_allowed'],
      ['access', 'access.vehicle_removed'],
    ]);
    // The access feed, as the barrier system reads it.
    const { key } = await apiClientWith(t, ['access:read']);
    const feed = await api(t, key, 'GET', '/api/v1/feeds/access?limit=500');
    expect(feed.statusCode, feed.body).toBe(200);
    const mine = (feed.json() as { items: Record<string, unknown>[] }).items.filter((i) => i.customer_number === customer.number);
    expect(mine).toEqual([
      expect.objectContaining({ type: 'access.vehicle_allowed', origin: 'staff', contract_number: contract.number, car_park_code: park.code, plate: 'EF-456-GH', country: 'FR', applies_from: from }),
      expect.objectContaining({ type: 'access.vehicle_removed', origin: 'staff', contract_number: contract.number, car_park_code: park.code, plate: 'AB-123-CD', country: 'FR', applies_from: from }),
    ]);
    const audited = await t.db.selectFrom('audit_log').select('action').where('actor_id', '=', staff.id).where('action', 'like', 'vehicle.%').orderBy('at').execute();
    expect(audited.map((a) => a.action)).toEqual(['vehicle.certificate_download', 'vehicle.change_approve']);
  });

  it('back office: a refusal needs its reason, which the customer is told; nothing changes on the contract', async () => {
    const { b, customer, contract, vehicleId, email } = await subscriber();
    expect((await send(b, contract.number, { replaces: vehicleId, plate: 'EF-456-GH', country: 'FR', make: 'Renault', model: 'Clio', valid_from: today() })).statusCode).toBe(303);
    const { id } = await t.db.selectFrom('vehicle_changes').select('id').where('contract_id', '=', contract.id).executeTakeFirstOrThrow();
    const { b: agent } = await loggedInStaff(t, ip(), 'agent');

    const noReason = await agent.submit(`/gestion/vehicules/${id}`, `/gestion/vehicules/${id}/refus`, { reason: '  ' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Saisissez le motif du refus');
    const refused = await agent.submit(`/gestion/vehicules/${id}`, `/gestion/vehicules/${id}/refus`, { reason: 'Certificat illisible' });
    expect(refused.statusCode).toBe(303);
    expect(await t.db.selectFrom('contract_vehicles').select('plate').where('contract_id', '=', contract.id).execute()).toEqual([{ plate: 'AB-123-CD' }]);

    await mb.deliver();
    const mail = mb.last(email);
    expect(mail?.subject).toBe('Votre demande de changement de véhicule est refusée');
    expect(mail?.text).toContain('Motif : Certificat illisible');
    const page = (await b.get(`/contrats/${contract.number}/vehicules`)).body;
    expect(page).toContain('Motif : Certificat illisible');
    expect(page).toContain('Remplacer le véhicule AB-123-CD');
    expect((await events(customer.id)).at(-1)).toEqual(expect.objectContaining({ type: 'vehicle.change_refused', origin: 'staff', refusal_reason: 'Certificat illisible' }));
  });

  it('back office: an approval that can no longer apply (the contract ended meanwhile) changes nothing and says so', async () => {
    const { b, contract, vehicleId } = await subscriber();
    expect((await send(b, contract.number, { replaces: vehicleId, plate: 'EF-456-GH', country: 'FR', make: 'Renault', model: 'Clio', valid_from: today() })).statusCode).toBe(303);
    const { id } = await t.db.selectFrom('vehicle_changes').select('id').where('contract_id', '=', contract.id).executeTakeFirstOrThrow();
    await t.db.updateTable('contracts').set({ status: 'ended' }).where('id', '=', contract.id).execute();
    const { b: agent } = await loggedInStaff(t, ip(), 'agent');
    const res = await agent.submit(`/gestion/vehicules/${id}`, `/gestion/vehicules/${id}/approbation`, {});
    expect(res.headers.location).toBe(`/gestion/vehicules/${id}?conflit`);
    expect((await agent.get(res.headers.location as string)).body).toContain('ne peut plus être appliqué tel quel');
    expect(await t.db.selectFrom('vehicle_changes').select('status').where('id', '=', id).executeTakeFirstOrThrow()).toEqual({ status: 'pending' });
    expect(await t.db.selectFrom('contract_vehicles').select(['plate', 'valid_to']).where('contract_id', '=', contract.id).execute()).toEqual([{ plate: 'AB-123-CD', valid_to: null }]);
  });

  it('keeps the queue to the back office: a customer or a visitor is sent to the staff login', async () => {
    const { b } = await subscriber();
    for (const who of [b, new Browser(t.app, ip())]) {
      const res = await who.get('/gestion/vehicules');
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toMatch(/^\/gestion\/connexion/);
    }
  });
});
