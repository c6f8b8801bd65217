import { describe, expect, it } from 'vitest';
import { csrfToken, databaseKinds, loggedInBrowser, useTestApp } from '../../tests/support/app.ts';
import { activeSubscriber, activeUser, createCarPark, createContract } from '../../tests/support/factories.ts';
import type { CustomerUserRole } from '../db/schema.ts';
import { customerAreaRoutes } from './customer-area.ts';

/*
 * Who among a business account's users reaches each route of the customer area (issue 14):
 * the area's own list, walked as an accountant and as a manager, against this table. A route
 * added to the area without its line here fails the test: its access is decided on purpose.
 * `allowed`: past the guard (whatever the route then answers); `refused`: the 403 page, audited
 * as `customer.user.denied`; `activation`: the first-login form, which a full session never
 * reaches (sent to Profil). Parameters name nothing, or the account's own contract.
 */

type Expected = 'allowed' | 'refused' | 'activation';
const A: Expected = 'allowed';
const R: Expected = 'refused';

/** `METHOD url` → [accountant, manager]. */
const TABLE: Record<string, [Expected, Expected]> = {
  'GET /premiere-connexion': ['activation', 'activation'],
  'POST /premiere-connexion': ['activation', 'activation'],
  // Profil: read by all, each their own password; the account's details (addresses, paperless) by managers; the users: the owner's.
  'GET /profil': [A, A],
  'POST /profil/documents-par-email': [R, A],
  'GET /profil/adresses-email': [R, A],
  'POST /profil/adresses-email': [R, A],
  'POST /profil/adresses-email/verification': [R, A],
  'GET /profil/mot-de-passe': [A, A],
  'POST /profil/mot-de-passe': [A, A],
  'GET /profil/utilisateurs': [R, R],
  'POST /profil/utilisateurs': [R, R],
  'POST /profil/utilisateurs/:id/role': [R, R],
  'POST /profil/utilisateurs/:id/suppression': [R, R],
  'POST /profil/utilisateurs/:id/invitation': [R, R],
  // The billing profile's change request and the account's data export: the account's, not an accountant's.
  'GET /profil/facturation': [R, A],
  'POST /profil/facturation': [R, A],
  'GET /profil/mes-donnees': [R, A],
  'POST /profil/mes-donnees': [R, A],
  'GET /profil/mes-donnees/archive.zip': [R, A],
  'GET /profil/mes-donnees/archive/:token': [R, A],
  // Contracts: read by all, changed (termination, vehicles, badge) by managers.
  'GET /contrats': [A, A],
  'GET /contrats/:number': [A, A],
  'GET /contrats/:number/resiliation': [R, A],
  'GET /contrats/:number/resiliation/recapitulatif': [R, A],
  'POST /contrats/:number/resiliation': [R, A],
  'GET /contrats/:number/resiliation/enregistree': [R, A],
  'POST /contrats/:number/resiliation/retrait': [R, A],
  'GET /contrats/:number/resiliation/retiree': [R, A],
  'GET /contrats/:number/resiliation/accuse.pdf': [R, A],
  'GET /contrats/:number/vehicules': [R, A],
  'GET /contrats/:number/vehicules/demande': [R, A],
  'POST /contrats/:number/vehicules/demande': [R, A],
  'GET /contrats/:number/badge': [R, A],
  'POST /contrats/:number/badge/signalement': [R, A],
  'POST /contrats/:number/badge/commande': [R, A],
  // Documents, payments, statements, requests, direct debit: everyone's.
  'GET /mon-compte': [A, A],
  'GET /mon-compte/paiements': [A, A],
  'GET /mon-compte/documents/:file': [A, A],
  'GET /mon-compte/paiement': [A, A],
  'POST /mon-compte/paiement': [A, A],
  'GET /mon-compte/paiement/retour/:id': [A, A],
  'GET /mon-compte/documents.zip': [A, A],
  'GET /mon-compte/documents.csv': [A, A],
  'GET /mon-compte/releve': [A, A],
  'GET /decomptes': [A, A],
  'GET /decomptes/:contractNumber/:month': [A, A],
  'POST /contact': [A, A],
  'GET /contact/demandes/:reference': [A, A],
  'POST /contact/demandes/:reference/reponse': [A, A],
  'GET /contact/demandes/:reference/pieces/:id': [A, A],
  'GET /prelevement': [A, A],
  'GET /prelevement/formulaire.pdf': [A, A],
  'GET /prelevement/mandat': [A, A],
  'POST /prelevement/mandat': [A, A],
  'GET /prelevement/mandat/:id/changement': [A, A],
  'POST /prelevement/mandat/:id/changement': [A, A],
  'GET /prelevement/mandat/:id/signature': [A, A],
  'POST /prelevement/mandat/:id/signature': [A, A],
  'POST /prelevement/mandat/:id/nouveau-code': [A, A],
  'GET /prelevement/mandat/:id': [A, A],
  'GET /prelevement/mandat/:id/revocation': [A, A],
  'POST /prelevement/mandat/:id/revocation': [A, A],
};

const sample = (url: string, contract: string) =>
  url
    .replace(':number', contract)
    .replace(':contractNumber', contract)
    .replace(':month', '2026-01')
    .replace(':file', 'FA-NOBODY.pdf')
    .replace(/:[A-Za-z_]+/g, '00000000-0000-7000-8000-000000000000');

describe.each(databaseKinds())('who among a business account’s users reaches each customer-area route (%s)', (kind) => {
  const t = useTestApp(kind);
  let ipSeq = 0;

  it('has a decision for every route of the area, and no line for a route that is gone', () => {
    const routes = customerAreaRoutes(t.app).map((r) => `${r.method} ${r.url}`);
    expect(routes.length).toBeGreaterThanOrEqual(50);
    expect(routes.filter((r) => !(r in TABLE)), 'routes without a decision').toEqual([]);
    expect(Object.keys(TABLE).filter((r) => !routes.includes(r)), 'decisions for no route').toEqual([]);
  });

  it.each([
    ['accountant', 0],
    ['manager', 1],
  ] as const)('walks every route as %s', async (role: CustomerUserRole, column) => {
    const { customer } = await activeSubscriber(t.db, t.clock, undefined, { kind: 'business', company_name: 'PERMISSIONS SAS' });
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id, { product: 'business' });
    const user = await activeUser(t.db, t.clock, customer.id, role);
    const b = await loggedInBrowser(t.app, `192.0.2.${100 + ++ipSeq}`, user.email, user.password);
    const token = csrfToken((await b.get('/mon-compte')).body);
    for (const r of customerAreaRoutes(t.app)) {
      const key = `${r.method} ${r.url}`;
      const expected = TABLE[key]![column];
      const url = sample(r.url, contract.number);
      const before = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'customer.user.denied').where('user_id', '=', user.id).execute();
      const res = r.method === 'GET' ? await b.get(url) : await b.post(url, { _csrf: token });
      const after = await t.db.selectFrom('audit_log').select(['id', 'details']).where('action', '=', 'customer.user.denied').where('user_id', '=', user.id).execute();
      const refused = res.statusCode === 403 && res.body.includes('Votre rôle ne donne pas accès à cette page.');
      if (expected === 'refused') {
        expect(refused, `${key} as ${role}: ${res.statusCode}`).toBe(true);
        expect(after.length, `${key} audited`).toBe(before.length + 1);
        expect(JSON.parse(after.at(-1)!.details!)).toMatchObject({ method: r.method, role, path: url });
      } else if (expected === 'activation') {
        expect([res.statusCode, res.headers.location], key).toEqual([302, '/profil']);
      } else {
        expect(refused, `${key} as ${role}: refused`).toBe(false);
        expect(after.length, `${key}: no refusal audited`).toBe(before.length);
        // Still logged in: the guard let the session through.
        expect(res.headers.location ?? '', key).not.toMatch(/^\/connexion/);
      }
    }
    // The session survived the walk.
    expect((await b.get('/mon-compte')).statusCode).toBe(200);
  });
});
