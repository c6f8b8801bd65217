import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { Browser, csrfToken, databaseKinds, loggedInBrowser } from '../../../tests/support/app.ts';
import { useMailTestApp } from '../../../tests/support/mail.ts';
import { activeSubscriber, createCarPark, createContract } from '../../../tests/support/factories.ts';
import { createStaffMember } from '../../../tests/support/staff.ts';
import { hasPdftotext, pdfFlatText } from '../../../tests/support/pdf.ts';
import { MINUTE, newId, nowIso } from '../../lib/clock.ts';
import { decrypt } from '../../lib/crypto.ts';
import { translator } from '../../lib/i18n.ts';
import type { PageContext } from '../../lib/page.tsx';
import { sha256Hex } from '../../lib/content-store.ts';
import { currentMandate } from './direct-debit.queries.ts';
import { friendlyIban, hashSigningCode } from './direct-debit.rules.ts';
import { rejectMandate, validateMandate } from './direct-debit.backoffice.ts';
import { purgeUnsignedMandates } from './direct-debit.service.ts';
import { MandateSummary } from './direct-debit.views.tsx';

/** The PDF's text, one space between words; null when pdftotext is not installed. */
const pdfText = (pdf: Buffer): string | null => (hasPdftotext ? pdfFlatText(pdf) : null);

const IBANS = {
  FR: 'FR7630006000011234567890189',
  DE: 'DE89370400440532013000',
  BE: 'BE68539007547034',
  IT: 'IT60X0542811101000000123456',
  ES: 'ES9121000418450200051332',
  NL: 'NL91ABNA0417164300',
} as const;
const IBAN = IBANS.FR;

/** Every way the full IBAN could be written down. */
const ibanForms = (iban: string) => [iban, friendlyIban(iban), iban.slice(4, -4), friendlyIban(iban).slice(5, -5)];

describe.each(databaseKinds())('direct debit (%s)', (kind) => {
  const { t, mb } = useMailTestApp(kind);
  let ipSeq = 0;

  /** A logged-in customer with a verified address and two current contracts (and an ended one). */
  async function customer(o: { verified?: boolean; lang?: 'fr' | 'en' } = {}) {
    const { customer, password } = await activeSubscriber(t.db, t.clock, undefined, { language: o.lang ?? 'fr' });
    const email = `dd-${customer.number.toLowerCase()}@example.test`;
    await t.db
      .updateTable('customers')
      .set({ email_primary: email, email_primary_verified_at: o.verified === false ? null : nowIso(t.clock) })
      .where('id', '=', customer.id)
      .execute();
    const park = await createCarPark(t.db, t.clock, { name: 'CARDINET' });
    const k1 = await createContract(t.db, t.clock, customer.id, park.id);
    const k2 = await createContract(t.db, t.clock, customer.id, park.id);
    const ended = await createContract(t.db, t.clock, customer.id, park.id, { status: 'ended' });
    const b = await loggedInBrowser(t.app, `10.77.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`, customer.number, password);
    return { b, customer, email, contracts: [k1, k2], ended, park };
  }

  type Who = Awaited<ReturnType<typeof customer>>;

  /** Posts form fields, repeated names included (checkboxes). */
  const postPairs = (b: Browser, url: string, pairs: string[][]) => b.post(url, pairs as unknown as Record<string, string>);

  /** Loads the online form and posts it with the given fields over what it pre-filled. */
  async function submitForm(who: Who, over: Partial<Record<'holder' | 'street' | 'postal_code' | 'city' | 'country' | 'iban' | 'bic' | 'place', string>> & { contracts?: string[] } = {}) {
    const page = await who.b.get('/prelevement/mandat');
    expect(page.statusCode).toBe(200);
    const rum = /name="rum" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const fields: Record<string, string> = {
      holder: 'DURAND FRANCOIS',
      street: '1 RUE DE LA PAIX',
      postal_code: '75008',
      city: 'PARIS',
      country: 'France',
      iban: friendlyIban(IBAN),
      bic: 'BNPAFRPP',
      place: 'Paris',
      ...Object.fromEntries(Object.entries(over).filter(([k]) => k !== 'contracts')),
    };
    const pairs = [['_csrf', csrfToken(page.body)], ['rum', rum], ...Object.entries(fields), ...(over.contracts ?? [who.contracts[0]!.id]).map((c) => ['contracts', c])];
    return { res: await postPairs(who.b, '/prelevement/mandat', pairs), shownRum: rum };
  }

  const mandateIdOf = (location: unknown) => /\/prelevement\/mandat\/([0-9a-f-]{36})\/signature/.exec(String(location))?.[1] ?? '';

  /** The code of the last code e-mail to this address (delivered by the real SMTP server). */
  async function lastCode(email: string): Promise<string> {
    await mb.deliver();
    const mails = mb.smtp.to(email).filter((m) => m.subject === 'Votre code de signature du mandat de prélèvement' || m.subject === 'Your code to sign the direct debit mandate');
    const text = mails[mails.length - 1]?.text ?? '';
    const code = /:\s*(\d{6})\s*$/m.exec(text)?.[1];
    if (!code) throw new Error(`no code in ${text}`);
    return code;
  }

  async function postCode(who: Who, id: string, code: string) {
    const page = await who.b.get(`/prelevement/mandat/${id}/signature`);
    return who.b.post(`/prelevement/mandat/${id}/signature`, { _csrf: csrfToken(page.body), code });
  }

  async function resend(who: Who, id: string) {
    const page = await who.b.get(`/prelevement/mandat/${id}/signature`);
    return who.b.post(`/prelevement/mandat/${id}/nouveau-code`, { _csrf: csrfToken(page.body) });
  }

  /** A customer with a signed mandate (to validate). */
  async function signed(o: Parameters<typeof customer>[0] = {}) {
    const who = await customer(o);
    const { res } = await submitForm(who, { contracts: who.contracts.map((k) => k.id) });
    expect(res.statusCode).toBe(303);
    const id = mandateIdOf(res.headers.location);
    const code = await lastCode(who.email);
    const done = await postCode(who, id, code);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/prelevement?signe');
    return { ...who, id };
  }

  const mandateRow = (id: string) => t.db.selectFrom('sepa_mandates').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('offers the online form and the paper route to a customer without a mandate', async () => {
    const who = await customer();
    const res = await who.b.get('/prelevement');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    for (const text of ['<h1>Prélèvement automatique</h1>', 'Signer en ligne', who.email, 'href="/prelevement/mandat"', 'Par courrier', 'href="/prelevement/formulaire.pdf"', '10 rue de l’Exemple, 75001 Paris']) {
      expect(res.body, text).toContain(text);
    }
  });

  it('shows the full mandate text on the form, pre-filled with the customer’s details', async () => {
    const who = await customer();
    const res = await who.b.get('/prelevement/mandat');
    expect(res.statusCode).toBe(200);
    const rum = /name="rum" value="([^"]+)"/.exec(res.body)?.[1] ?? '';
    expect(rum).toMatch(new RegExp(`^RUM-${who.customer.number}-20261127-[A-Z0-9]{4}$`));
    for (const text of [
      'Mandat de prélèvement SEPA',
      t.config.SEPA_CREDITOR_NAME,
      t.config.SEPA_CREDITOR_ADDRESS,
      t.config.SEPA_CREDITOR_ID,
      `<dd class="dd-rum">${rum}</dd>`,
      'Paiement récurrent (répétitif)',
      `En signant ce formulaire de mandat, vous autorisez (A) ${t.config.SEPA_CREDITOR_NAME} à envoyer des instructions à votre banque pour débiter votre compte, et (B) votre banque à débiter votre compte conformément aux instructions de ${t.config.SEPA_CREDITOR_NAME}.`,
      'Une demande de remboursement doit être présentée dans les 8 semaines suivant la date de débit de votre compte pour un prélèvement autorisé, et sans tarder et au plus tard dans les 13 mois en cas de prélèvement non autorisé.',
      'value="DURAND FRANCOIS"',
      'value="1 RUE DE LA PAIX"',
      'value="75008"',
      `value="${who.contracts[0]!.id}"`,
      `value="${who.contracts[1]!.id}"`,
    ]) {
      expect(res.body, text).toContain(text);
    }
    // Ended contracts are not offered.
    expect(res.body).not.toContain(who.ended.id);
  });

  it('is in English on the English page, refund rights included', async () => {
    const who = await customer({ lang: 'en' });
    const res = await who.b.get('/prelevement/mandat');
    expect(res.body).toContain('SEPA Direct Debit Mandate');
    expect(res.body).toContain(
      `By signing this mandate form, you authorise (A) ${t.config.SEPA_CREDITOR_NAME} to send instructions to your bank to debit your account and (B) your bank to debit your account in accordance with the instructions from ${t.config.SEPA_CREDITOR_NAME}.`,
    );
    expect(res.body).toContain('within 8 weeks');
    expect(res.body).toContain('no later than 13 months');
    const { res: bad } = await submitForm(who, { iban: 'DE8937040044053201300' });
    expect(bad.body).toContain('An IBAN from Germany (DE) has 22 characters; you entered 21.');
  });

  it('accepts valid IBANs of several SEPA countries, and keeps them only encrypted', async () => {
    const who = await customer();
    for (const [country, iban] of Object.entries(IBANS)) {
      const { res } = await submitForm(who, { iban: friendlyIban(iban).toLowerCase(), bic: '' });
      expect(res.statusCode, country).toBe(303);
      const row = await mandateRow(mandateIdOf(res.headers.location));
      expect(row).toMatchObject({ status: 'awaiting_signature', iban_country: country, iban_last4: iban.slice(-4), bic: null, customer_id: who.customer.id });
      for (const form of ibanForms(iban)) expect(row.iban_encrypted).not.toContain(form);
      expect(decrypt(t.config.mandateKey, row.iban_encrypted)).toBe(iban);
    }
  });

  it('refuses a wrong checksum, a wrong length, an unknown or non-SEPA country, saying which, and keeps what was typed', async () => {
    const who = await customer();
    const cases: Array<[string, string]> = [
      ['FR76 3000 6000 0112 3456 7890 188', 'La clé de contrôle de cet IBAN est fausse'],
      ['FR76 3000 6000 0112 3456 7890 18', 'Un IBAN de ce pays (France, FR) compte 27 caractères ; vous en avez saisi 26.'],
      ['XX76 3000 6000 0112 3456 7890 189', '« XX » n’est pas un code pays d’IBAN reconnu'],
      ['TR33 0006 1005 1978 6457 8413 26', 'le pays de cet IBAN (Turquie, TR) n’en fait pas partie'],
    ];
    const before = await t.db.selectFrom('sepa_mandates').select('id').where('customer_id', '=', who.customer.id).execute();
    for (const [iban, message] of cases) {
      const { res } = await submitForm(who, { iban, holder: 'DUPONT MARIE', bic: 'NOTABIC' });
      expect(res.statusCode, iban).toBe(422);
      const body = res.body.replaceAll('&#39;', '’');
      expect(body, iban).toContain(message);
      expect(res.body).toContain(`value="${iban}"`);
      expect(res.body).toContain('value="DUPONT MARIE"');
      expect(res.body).toContain('value="NOTABIC"');
      expect(res.body).toContain('Ce BIC n’est pas valide');
      expect(res.body).toMatch(/<input id="iban"[^>]*aria-invalid="true"/);
      expect(res.body).toContain('aria-describedby="iban-hint iban-error"');
      expect(res.body).toContain('<a href="#iban">');
    }
    const after = await t.db.selectFrom('sepa_mandates').select('id').where('customer_id', '=', who.customer.id).execute();
    expect(after.length).toBe(before.length);
  });

  it('refuses a contract that is not the customer’s, and audits it; asks for at least one', async () => {
    const who = await customer();
    const other = await customer();
    const { res } = await submitForm(who, { contracts: [who.contracts[0]!.id, other.contracts[0]!.id] });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Ce choix ne fait pas partie de vos contrats en cours.');
    expect(res.body).not.toContain(other.contracts[0]!.id);
    const denied = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'authz.denied').where('actor_id', '=', who.customer.id).execute();
    expect(denied).toMatchObject([{ target_type: 'contract', target_id: other.contracts[0]!.id, outcome: 'denied' }]);
    const ended = await submitForm(who, { contracts: [who.ended.id] });
    expect(ended.res.statusCode).toBe(422);
    const none = await submitForm(who, { contracts: [] });
    expect(none.res.statusCode).toBe(422);
    expect(none.res.body).toContain('Cochez au moins un contrat à régler par prélèvement.');
    expect(await t.db.selectFrom('sepa_mandates').select('id').where('customer_id', '=', who.customer.id).execute()).toEqual([]);
  });

  it('needs a verified address to sign online, and says where to verify it', async () => {
    const who = await customer({ verified: false });
    const page = await who.b.get('/prelevement');
    expect(page.body).toContain('il faut une adresse e-mail principale vérifiée');
    expect(page.body).toContain('href="/profil#adresses-email"');
    expect(page.body).not.toContain('href="/prelevement/mandat"');
    const form = await who.b.get('/prelevement/mandat');
    expect(form.body).toContain('il faut une adresse e-mail principale vérifiée');
    expect(form.body).not.toContain('name="iban"');
    const post = await who.b.post('/prelevement/mandat', { _csrf: csrfToken(form.body), iban: IBAN, contracts: who.contracts[0]!.id });
    expect(post.statusCode).toBe(409);
    expect(await t.db.selectFrom('sepa_mandates').select('id').where('customer_id', '=', who.customer.id).execute()).toEqual([]);
  });

  it('says up front that a verified address is needed, and sends its link again', async () => {
    const who = await customer({ verified: false });
    const page = (await who.b.get('/prelevement')).body;
    const h1 = page.indexOf('<h1>Prélèvement automatique</h1>');
    const notice = page.indexOf('Vérifiez votre adresse e-mail');
    // First thing under the title, before the invitation and the two ways to sign.
    expect(notice).toBeGreaterThan(h1);
    expect(notice).toBeLessThan(page.indexOf('Pour régler vos factures sans avoir à y penser'));
    expect(notice).toBeLessThan(page.indexOf('Signer en ligne'));
    const top = page.slice(notice, page.indexOf('Signer en ligne'));
    expect(top).toContain('il faut une adresse e-mail principale vérifiée : le code de signature y est envoyé.');
    expect(top).toContain(`Un lien de vérification a été envoyé à ${who.email} ; il est valable 48 heures.`);
    expect(top).toMatch(/action="\/profil\/adresses-email\/verification".*?name="slot" value="primary".*?Renvoyer le lien de vérification à /s);
    // The online section points back up instead of saying it twice.
    const online = page.slice(page.indexOf('Signer en ligne'), page.indexOf('Par courrier'));
    expect(online).toContain('dès que votre adresse e-mail principale sera vérifiée (voir en haut de la page)');
    expect(online).not.toContain('il faut une adresse e-mail principale vérifiée');

    const resent = await who.b.post('/profil/adresses-email/verification', { _csrf: csrfToken(page), slot: 'primary' });
    expect(resent.headers.location).toBe('/profil?verification=envoyee#adresses-email');
    await mb.deliver();
    expect(mb.smtp.to(who.email).length).toBe(1);

    // Nothing of it once the address is verified.
    const verified = await customer();
    expect((await verified.b.get('/prelevement')).body).not.toContain('Vérifiez votre adresse e-mail');
  });

  it('says it in English too', async () => {
    const who = await customer({ verified: false, lang: 'en' });
    const page = (await who.b.get('/prelevement')).body;
    expect(page.indexOf('Verify your e-mail address')).toBeLessThan(page.indexOf('Sign online'));
    expect(page).toContain('To sign the mandate online you need a verified main e-mail address');
    expect(page).toContain(`Send the verification link to ${who.email} again</button>`);
    expect(page).toContain('(see the top of this page)');
  });

  it('e-mails a code to the verified address, and the right code signs the mandate', async () => {
    const who = await customer();
    const { res, shownRum } = await submitForm(who, { contracts: who.contracts.map((k) => k.id), place: 'Lyon' });
    expect(res.statusCode).toBe(303);
    const id = mandateIdOf(res.headers.location);
    expect((await mandateRow(id)).rum).toBe(shownRum);

    await mb.deliver();
    const mail = mb.last(who.email)!;
    expect(mail.subject).toBe('Votre code de signature du mandat de prélèvement');
    expect(mail.text).toContain(shownRum);
    const code = /:\s*(\d{6})\s*$/m.exec(mail.text)![1]!;
    const stored = await t.db.selectFrom('sepa_signing_codes').selectAll().where('mandate_id', '=', id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ sent_to: who.email, tries: 0, used_at: null, code_hash: hashSigningCode(id, code) });
    expect(stored.expires_at).toBe(new Date(t.clock.now().getTime() + 10 * MINUTE).toISOString());

    const page = await who.b.get(`/prelevement/mandat/${id}/signature`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`Un code à 6 chiffres a été envoyé à ${who.email} le 27/11/2026 à 11:00. Il est valable 10 minutes, jusqu’à 11:10.`);
    expect(page.body).toContain('FR•• •••• •••• 0189');
    expect(page.body).toContain('vous signez électroniquement ce mandat de prélèvement SEPA, à Lyon.');
    for (const form of ibanForms(IBAN)) expect(page.body).not.toContain(form);

    t.clock.advance(2 * MINUTE);
    const done = await who.b.post(`/prelevement/mandat/${id}/signature`, { _csrf: csrfToken(page.body), code: ` ${code.slice(0, 3)} ${code.slice(3)} ` });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/prelevement?signe');

    const row = await mandateRow(id);
    expect(row).toMatchObject({ status: 'to_validate', signed_at: t.clock.now().toISOString(), signature_place: 'Lyon' });
    expect(row.pdf_sha256).toMatch(/^[0-9a-f]{64}$/);
    const evidence = JSON.parse(row.signature_evidence!);
    expect(evidence).toMatchObject({
      code_sent_to: who.email,
      code_sent_at: stored.created_at,
      confirmed_at: row.signed_at,
      ip: expect.stringMatching(/^10\.77\./),
      code_hash: stored.code_hash,
      tries: 1,
    });
    expect(JSON.stringify(evidence)).not.toContain(`"${code}"`);
    const links = await t.db.selectFrom('sepa_mandate_contracts').select('contract_id').where('mandate_id', '=', id).execute();
    expect(links.map((l) => l.contract_id).sort()).toEqual(who.contracts.map((k) => k.id).sort());
    expect((await t.db.selectFrom('sepa_signing_codes').select('used_at').where('mandate_id', '=', id).executeTakeFirstOrThrow()).used_at).toBe(row.signed_at);

    await mb.deliver();
    const confirmation = mb.last(who.email)!;
    expect(confirmation.subject).toBe(`Votre mandat de prélèvement ${row.rum} est signé`);
    expect(confirmation.text).toContain('FR•• •••• •••• 0189');
    const audits = await t.db.selectFrom('audit_log').select(['action', 'outcome', 'target_id']).where('actor_id', '=', who.customer.id).where('action', 'like', 'mandate.%').execute();
    expect(audits).toEqual(
      expect.arrayContaining([
        { action: 'mandate.create', outcome: 'success', target_id: row.rum },
        { action: 'mandate.sign', outcome: 'success', target_id: row.rum },
      ]),
    );

    // The page: the state, the RUM, only the masked IBAN, the contracts, the date, the PDF, the revocation.
    const state = await who.b.get('/prelevement?signe');
    for (const text of [
      'Votre mandat est signé.',
      'Signé, en cours de validation par le service client',
      row.rum,
      'FR•• •••• •••• 0189',
      'IBAN FR se terminant par 0189',
      `Contrat n° ${who.contracts[0]!.number} — CARDINET`,
      `Contrat n° ${who.contracts[1]!.number} — CARDINET`,
      '27/11/2026, à Lyon',
      `href="/prelevement/mandat/${id}.pdf"`,
      `href="/prelevement/mandat/${id}/revocation"`,
      'Révoquer ce mandat',
    ]) {
      expect(state.body, text).toContain(text);
    }
    for (const form of ibanForms(IBAN)) expect(state.body).not.toContain(form);

    // The code is spent: the mandate is signed, the page says so.
    const again = await who.b.post(`/prelevement/mandat/${id}/signature`, { _csrf: csrfToken(state.body), code });
    expect(again.headers.location).toBe('/prelevement?deja-signe');
    // One mandate in force: the form now says so.
    expect((await who.b.get('/prelevement/mandat')).body).toContain('Vous avez déjà un mandat en vigueur.');
  });

  it('counts wrong codes: after 5 the code is dead; a new one can be asked, one a minute', async () => {
    const who = await customer();
    const { res } = await submitForm(who);
    const id = mandateIdOf(res.headers.location);
    const code = await lastCode(who.email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (const remaining of [4, 3, 2, 1]) {
      const r = await postCode(who, id, wrong);
      expect(r.statusCode).toBe(422);
      expect(r.body).toContain(`Ce code est incorrect. Il vous reste ${remaining} essai(s).`);
    }
    const fifth = await postCode(who, id, wrong);
    expect(fifth.body).toContain('c’était le dernier essai');
    // Dead, even with the right code now; and not a sixth try.
    const right = await postCode(who, id, code);
    expect(right.statusCode).toBe(422);
    expect(right.body).toContain('Ce code n’est plus valable');
    expect((await t.db.selectFrom('sepa_signing_codes').select('tries').where('mandate_id', '=', id).executeTakeFirstOrThrow()).tries).toBe(5);
    expect((await mandateRow(id)).status).toBe('awaiting_signature');
    // Malformed input is not a try.
    expect((await postCode(who, id, '12ab')).body).toContain('Le code compte exactement 6 chiffres.');

    // A new code: not within the minute, then yes; the old one stays dead.
    const soon = await resend(who, id);
    expect(soon.statusCode).toBe(429);
    expect(soon.body).toContain('Vous pourrez en demander un autre dans 60 seconde(s).');
    t.clock.advance(61_000);
    const ok = await resend(who, id);
    expect(ok.statusCode).toBe(303);
    const page = await who.b.get(String(ok.headers.location));
    expect(page.body).toContain(`Un nouveau code a été envoyé à ${who.email}.`);
    const fresh = await lastCode(who.email);
    if (fresh !== code) expect((await postCode(who, id, code)).statusCode).toBe(422);
    const signedRes = await postCode(who, id, fresh);
    expect(signedRes.headers.location).toBe('/prelevement?signe');
    const fails = await t.db.selectFrom('audit_log').select(['details']).where('actor_id', '=', who.customer.id).where('action', '=', 'mandate.sign').where('outcome', '=', 'failure').execute();
    expect(fails.length).toBeGreaterThanOrEqual(6);
  });

  it('compares a code at most 5 times and signs once, whatever the concurrent submissions', async () => {
    const who = await customer();
    const { res } = await submitForm(who);
    const id = mandateIdOf(res.headers.location);
    const code = await lastCode(who.email);
    const wrong = code === '000000' ? '111111' : '000000';
    const page = await who.b.get(`/prelevement/mandat/${id}/signature`);
    const csrf = csrfToken(page.body);
    const burst = await Promise.all(Array.from({ length: 12 }, () => who.b.post(`/prelevement/mandat/${id}/signature`, { _csrf: csrf, code: wrong })));
    expect(burst.every((r) => r.statusCode === 422)).toBe(true);
    expect((await t.db.selectFrom('sepa_signing_codes').select('tries').where('mandate_id', '=', id).executeTakeFirstOrThrow()).tries).toBe(5);

    t.clock.advance(61_000);
    expect((await resend(who, id)).statusCode).toBe(303);
    const fresh = await lastCode(who.email);
    const signs = await Promise.all(Array.from({ length: 6 }, () => who.b.post(`/prelevement/mandat/${id}/signature`, { _csrf: csrf, code: fresh })));
    const locations = signs.map((r) => r.headers.location);
    expect(locations.filter((l) => l === '/prelevement?signe')).toHaveLength(1);
    // The others: the mandate is already signed, or (arriving after 5 tries were taken) the code is spent.
    for (const r of signs.filter((x) => x.headers.location !== '/prelevement?signe')) {
      if (r.statusCode === 303) expect(r.headers.location).toBe('/prelevement?deja-signe');
      else expect(r.statusCode).toBe(422);
    }
    expect((await mandateRow(id)).status).toBe('to_validate');
    const row = await mandateRow(id);
    expect(await t.db.selectFrom('audit_log').select('id').where('action', '=', 'mandate.sign').where('outcome', '=', 'success').where('target_id', '=', row.rum).execute()).toHaveLength(1);
    expect(await t.db.selectFrom('outbox').select('id').where('dedupe_key', 'like', `mandate-signed:${id}:%`).execute()).toHaveLength(1);
  });

  it('lets a code expire after 10 minutes', async () => {
    const who = await customer();
    const { res } = await submitForm(who);
    const id = mandateIdOf(res.headers.location);
    const code = await lastCode(who.email);
    t.clock.advance(10 * MINUTE + 1000);
    const late = await postCode(who, id, code);
    expect(late.statusCode).toBe(422);
    expect(late.body).toContain('Ce code n’est plus valable');
    const page = await who.b.get(`/prelevement/mandat/${id}/signature`);
    expect(page.body).toContain('Ce code n’est plus valable');
    expect(page.body).toContain('Renvoyer un code');
    expect((await resend(who, id)).statusCode).toBe(303);
    expect((await postCode(who, id, await lastCode(who.email))).headers.location).toBe('/prelevement?signe');
  });

  it('gives the signed mandate’s PDF to its owner, with every mandatory mention and the full IBAN, stored encrypted', async () => {
    const who = await signed();
    const row = await mandateRow(who.id);
    const res = await who.b.get(`/prelevement/mandat/${who.id}.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="mandat-${row.rum}.pdf"`);
    expect(res.headers['cache-control']).toBe('no-store');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(JSON.parse(row.signature_evidence!).document_sha256).toBe(sha256Hex(pdf));
    // At rest: encrypted, no IBAN in the stored file.
    const stored = (await t.app.storage.get(row.pdf_sha256!))!;
    expect(stored.subarray(0, 5).toString()).not.toBe('%PDF-');
    for (const form of ibanForms(IBAN)) expect(stored.toString('latin1')).not.toContain(form);

    const text = pdfText(pdf);
    if (text === null) return;
    for (const mention of [
      'Mandat de prélèvement SEPA',
      `Référence unique du mandat (RUM) : ${row.rum}`,
      'Type de paiement : Paiement récurrent (répétitif)',
      t.config.SEPA_CREDITOR_NAME,
      t.config.SEPA_CREDITOR_ADDRESS,
      `Identifiant créancier SEPA (ICS) ${t.config.SEPA_CREDITOR_ID}`,
      'DURAND FRANCOIS',
      '1 RUE DE LA PAIX',
      '75008 PARIS',
      friendlyIban(IBAN),
      'BNPAFRPP',
      `Contrat n° ${who.contracts[0]!.number}`,
      who.email,
      'vous autorisez (A)',
      'dans les 8 semaines suivant la date de débit',
      'au plus tard dans les 13 mois',
    ]) {
      expect(text, mention).toContain(mention);
    }
    const time = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).format(new Date(row.signed_at!));
    expect(text).toContain(`Signé à Paris, le 27/11/2026 à ${time} (heure de Paris).`);
  });

  it('never writes the full IBAN to the audit log or the outbox (L1)', async () => {
    const who = await signed();
    const page = await who.b.get(`/prelevement/mandat/${who.id}/revocation`);
    expect((await who.b.post(`/prelevement/mandat/${who.id}/revocation`, { _csrf: csrfToken(page.body) })).statusCode).toBe(303);
    await mb.deliver();
    const audits = await t.db.selectFrom('audit_log').selectAll().execute();
    const outbox = await t.db.selectFrom('outbox').selectAll().execute();
    const codes = await t.db.selectFrom('sepa_signing_codes').selectAll().execute();
    expect(audits.some((a) => a.target_id?.startsWith('RUM-'))).toBe(true);
    expect(outbox.some((m) => m.subject.includes('mandat'))).toBe(true);
    const haystack = JSON.stringify([audits, outbox, codes]).toUpperCase();
    for (const iban of Object.values(IBANS)) {
      for (const form of ibanForms(iban)) expect(haystack.includes(form.toUpperCase()), form).toBe(false);
    }
    // And nothing the SMTP server received either.
    const received = JSON.stringify(mb.smtp.received.map((m) => [m.subject, m.text, m.html])).toUpperCase();
    for (const form of ibanForms(IBAN)) expect(received.includes(form.toUpperCase()), form).toBe(false);
  });

  it('answers 404 for another customer’s mandate — page, PDF, code, revocation — and audits each (Z1)', async () => {
    const a = await signed();
    const pending = await customer();
    const { res } = await submitForm(pending);
    const draft = mandateIdOf(res.headers.location);
    const b = await customer();
    const own = await b.b.get('/prelevement');
    const csrf = csrfToken(own.body);
    const attempts = [
      await b.b.get(`/prelevement/mandat/${a.id}.pdf`),
      await b.b.get(`/prelevement/mandat/${a.id}/revocation`),
      await b.b.post(`/prelevement/mandat/${a.id}/revocation`, { _csrf: csrf }),
      await b.b.get(`/prelevement/mandat/${draft}/signature`),
      await b.b.post(`/prelevement/mandat/${draft}/signature`, { _csrf: csrf, code: '123456' }),
      await b.b.post(`/prelevement/mandat/${draft}/nouveau-code`, { _csrf: csrf }),
      await b.b.get(`/prelevement/mandat/${newId()}.pdf`),
      await b.b.get('/prelevement/mandat/../../mon-compte.pdf'),
    ];
    for (const r of attempts) {
      expect(r.statusCode).toBe(404);
      expect(r.body).toContain('Page introuvable');
      expect(r.body).not.toContain('RUM-');
    }
    expect((await mandateRow(a.id)).status).toBe('to_validate');
    expect((await mandateRow(draft)).status).toBe('awaiting_signature');
    expect((await t.db.selectFrom('sepa_signing_codes').select('tries').where('mandate_id', '=', draft).executeTakeFirstOrThrow()).tries).toBe(0);
    const denied = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'authz.denied').where('actor_id', '=', b.customer.id).execute();
    expect(denied.filter((d) => d.target_type === 'mandate').map((d) => d.target_id)).toEqual(expect.arrayContaining([a.id, draft]));
    expect(denied.length).toBeGreaterThanOrEqual(7);
    expect(own.body).not.toContain(a.id);
  });

  it('revokes a mandate after a confirmation page, with an e-mail and an audit entry', async () => {
    const who = await signed();
    const row = await mandateRow(who.id);
    const confirm = await who.b.get(`/prelevement/mandat/${who.id}/revocation`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain(`Révoquer le mandat ${row.rum}`);
    expect(confirm.body).toContain('Oui, révoquer ce mandat');
    // Not without the form's CSRF token.
    expect((await who.b.post(`/prelevement/mandat/${who.id}/revocation`, {})).statusCode).toBe(403);
    expect((await mandateRow(who.id)).status).toBe('to_validate');

    t.clock.advance(MINUTE);
    const res = await who.b.post(`/prelevement/mandat/${who.id}/revocation`, { _csrf: csrfToken(confirm.body) });
    expect(res.headers.location).toBe('/prelevement?revoque');
    expect(await mandateRow(who.id)).toMatchObject({ status: 'revoked', revoked_at: t.clock.now().toISOString() });
    await mb.deliver();
    expect(mb.last(who.email)!.subject).toBe(`Votre mandat de prélèvement ${row.rum} est révoqué`);
    expect(await t.db.selectFrom('audit_log').select(['outcome']).where('action', '=', 'mandate.revoke').where('target_id', '=', row.rum).execute()).toEqual([{ outcome: 'success' }]);
    const page = await who.b.get('/prelevement?revoque');
    expect(page.body).toContain('Votre mandat est révoqué.');
    expect(page.body).toContain(`Le mandat ${row.rum} est révoqué depuis le 27/11/2026.`);
    expect(page.body).toContain('href="/prelevement/mandat"');
    expect(await currentMandate(t.db, who.customer.id)).toBeNull();
    const twice = await who.b.post(`/prelevement/mandat/${who.id}/revocation`, { _csrf: csrfToken(page.body) });
    expect(twice.headers.location).toBe('/prelevement?deja-revoque');
  });

  it('is validated or rejected by customer service, with e-mails and audit entries', async () => {
    const staff = await createStaffMember(t.db, t.clock);
    const by = { staffId: staff.id, meta: { ip: '10.77.255.1', user_agent: null } };
    const who = await signed();
    const row = await mandateRow(who.id);
    await validateMandate(t.db, t.clock, t.config, who.id, by);
    expect((await mandateRow(who.id)).status).toBe('active');
    const contracts = await t.db.selectFrom('contracts').select(['id', 'direct_debit']).where('customer_id', '=', who.customer.id).orderBy('id').execute();
    expect(contracts.filter((k) => k.direct_debit === 1).map((k) => k.id).sort()).toEqual(who.contracts.map((k) => k.id).sort());
    await mb.deliver();
    // Queued at the same instant as the signature's confirmation: found by subject, not by order.
    expect(mb.smtp.to(who.email).map((m) => m.subject)).toContain(`Votre mandat de prélèvement ${row.rum} est actif`);
    expect(await t.db.selectFrom('audit_log').select(['actor_type', 'actor_id', 'outcome']).where('action', '=', 'mandate.validate').where('target_id', '=', row.rum).execute()).toEqual([
      { actor_type: 'staff', actor_id: staff.id, outcome: 'success' },
    ]);
    expect((await who.b.get('/prelevement')).body).toContain('<span class="dd-status dd-status-active">Actif</span>');
    const current = await currentMandate(t.db, who.customer.id);
    expect(current).toMatchObject({ id: who.id, status: 'active', rum: row.rum, maskedIban: 'FR•• •••• •••• 0189' });
    expect(current!.contracts.map((k) => k.number).sort()).toEqual(who.contracts.map((k) => k.number).sort());
    await expect(validateMandate(t.db, t.clock, t.config, who.id, by)).rejects.toMatchObject({ status: 409 });
    await expect(rejectMandate(t.db, t.clock, t.config, who.id, by, 'trop tard')).rejects.toMatchObject({ status: 409 });

    // Revoking an active mandate: its contracts are no longer paid by direct debit.
    const page = await who.b.get(`/prelevement/mandat/${who.id}/revocation`);
    await who.b.post(`/prelevement/mandat/${who.id}/revocation`, { _csrf: csrfToken(page.body) });
    expect((await t.db.selectFrom('contracts').select('direct_debit').where('customer_id', '=', who.customer.id).execute()).every((k) => k.direct_debit === 0)).toBe(true);

    const other = await signed();
    const otherRow = await mandateRow(other.id);
    await expect(rejectMandate(t.db, t.clock, t.config, other.id, by, '   ')).rejects.toMatchObject({ status: 400 });
    await expect(validateMandate(t.db, t.clock, t.config, newId(), by)).rejects.toMatchObject({ status: 404 });
    await rejectMandate(t.db, t.clock, t.config, other.id, by, 'Le titulaire du compte ne correspond pas au RIB joint.');
    expect(await mandateRow(other.id)).toMatchObject({ status: 'rejected', rejection_reason: 'Le titulaire du compte ne correspond pas au RIB joint.' });
    await mb.deliver();
    const mail = mb.smtp.to(other.email).find((m) => m.subject === `Votre mandat de prélèvement ${otherRow.rum} n’a pas pu être accepté`)!;
    expect(mail).toBeDefined();
    expect(mail.text).toContain('Le titulaire du compte ne correspond pas au RIB joint.');
    expect(await t.db.selectFrom('audit_log').select(['actor_type']).where('action', '=', 'mandate.reject').where('target_id', '=', otherRow.rum).execute()).toEqual([{ actor_type: 'staff' }]);
    const state = await other.b.get('/prelevement');
    expect(state.body).toContain('Votre dernier mandat a été refusé');
    expect(state.body).toContain('Le titulaire du compte ne correspond pas au RIB joint.');
    expect(state.body).toContain('href="/prelevement/mandat"');
    expect(await currentMandate(t.db, other.customer.id)).toBeNull();
  });

  it('gives the paper form, pre-filled with the customer’s name, address and paper RUM, the same for the same moment', async () => {
    const who = await customer();
    const before = await t.db.selectFrom('sepa_mandates').select('id').execute();
    const res = await who.b.get('/prelevement/formulaire.pdf');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    // The customer and the moment of printing (UTC, to the second): 27 Nov 2026, 10:00:00.
    const rum = `RUM-${who.customer.number}-P261127100000`;
    expect(res.headers['content-disposition']).toBe(`attachment; filename="mandat-${rum}.pdf"`);
    expect(res.headers['cache-control']).toBe('no-store');
    const again = await who.b.get('/prelevement/formulaire.pdf');
    expect(again.rawPayload.equals(res.rawPayload)).toBe(true);
    expect((await t.db.selectFrom('sepa_mandates').select('id').execute()).length).toBe(before.length);
    const text = pdfText(res.rawPayload);
    if (text === null) return;
    for (const mention of [
      'Mandat de prélèvement SEPA',
      `Référence unique du mandat (RUM) : ${rum}`,
      'Paiement récurrent',
      t.config.SEPA_CREDITOR_NAME,
      t.config.SEPA_CREDITOR_ADDRESS,
      t.config.SEPA_CREDITOR_ID,
      'DURAND FRANCOIS',
      '1 RUE DE LA PAIX',
      '75008 PARIS',
      'IBAN',
      'BIC',
      `Contrat n° ${who.contracts[0]!.number}`,
      'Fait à',
      'Signature du titulaire du compte',
      `accompagné d’un relevé d’identité bancaire (RIB), à : ${t.config.OPERATOR_NAME}, Service client, ${t.config.OPERATOR_ADDRESS}`,
      'dans les 8 semaines',
      'au plus tard dans les 13 mois',
    ]) {
      expect(text, mention).toContain(mention);
    }
  });

  it('prints a unique RUM on every paper form: another second or another customer, another RUM; nothing written', async () => {
    const who = await customer();
    const other = await customer();
    const rumOf = (res: { headers: Record<string, unknown> }) => /filename="mandat-(.+)\.pdf"/.exec(String(res.headers['content-disposition']))?.[1];
    const first = rumOf(await who.b.get('/prelevement/formulaire.pdf'));
    const theOther = rumOf(await other.b.get('/prelevement/formulaire.pdf'));
    t.clock.advance(1000);
    const later = rumOf(await who.b.get('/prelevement/formulaire.pdf'));
    expect(new Set([first, theOther, later]).size).toBe(3);
    expect(later).toBe(`RUM-${who.customer.number}-P261127100001`);
    const text = pdfText((await who.b.get('/prelevement/formulaire.pdf')).rawPayload);
    if (text !== null) expect(text).toContain(`Référence unique du mandat (RUM) : ${later}`);
    expect(await t.db.selectFrom('sepa_mandates').select('id').where('customer_id', 'in', [who.customer.id, other.customer.id]).execute()).toEqual([]);
  });

  it('renders MandateSummary for Contrats and Mon compte', async () => {
    const who = await signed();
    const mandate = await currentMandate(t.db, who.customer.id);
    const ctx: PageContext = { lang: 'fr', t: translator('fr'), csrf: '', path: '/contrats', url: '/contrats', customer: null, staff: null, operator: t.app.operator };
    const html = renderToString(<MandateSummary ctx={ctx} mandate={mandate} coverage={{ numbers: [], all: false }} />);
    expect(html).toContain(`Mandat de prélèvement SEPA ${mandate!.rum} : Signé, en cours de validation par le service client.`);
    expect(html).toContain('FR•• •••• •••• 0189');
    expect(html).toContain(who.contracts[0]!.number);
    expect(html).toContain('href="/prelevement"');
    for (const form of ibanForms(IBAN)) expect(html).not.toContain(form);
    const en = { ...ctx, lang: 'en' as const, t: translator('en') };
    const none = renderToString(<MandateSummary ctx={en} mandate={null} coverage={{ numbers: [], all: false }} />);
    expect(none).toContain('Sign up for direct debit');
    // Contracts already paid by direct debit (a paper mandate): no invitation to sign up for them.
    const all = renderToString(<MandateSummary ctx={ctx} mandate={null} coverage={{ numbers: ['15CTCARD125'], all: true }} />);
    expect(all).toContain('Vos contrats en cours sont déjà réglés par prélèvement automatique.');
    expect(all).not.toContain('souscrivez');
    expect(all).toContain('<a href="/prelevement">Voir la page Prélèvement automatique</a>');
    const some = renderToString(<MandateSummary ctx={en} mandate={null} coverage={{ numbers: ['15CTCARD125'], all: false }} />);
    expect(some).toContain('Contracts already paid by direct debit: 15CTCARD125. To pay the others');
  });

  it('signs in English on the English page: the PDF says it in English', async () => {
    const who = await signed({ lang: 'en' });
    const state = await who.b.get('/prelevement?signe');
    expect(state.body).toContain('Your mandate is signed.');
    expect(state.body).toContain('IBAN FR ending in 0189');
    const text = pdfText((await who.b.get(`/prelevement/mandat/${who.id}.pdf`)).rawPayload);
    await mb.deliver();
    expect(mb.smtp.to(who.email).map((m) => m.subject)).toContain(`Your direct debit mandate ${(await mandateRow(who.id)).rum} is signed`);
    if (text === null) return;
    for (const mention of [
      'SEPA Direct Debit Mandate',
      'Mandat de prélèvement SEPA',
      'Unique mandate reference (UMR): RUM-',
      'Type of payment: Recurrent payment',
      `SEPA creditor identifier (ICS) ${t.config.SEPA_CREDITOR_ID}`,
      friendlyIban(IBAN),
      'Signed in Paris on 27 Nov 2026',
      'within 8 weeks',
      'no later than 13 months',
    ]) {
      expect(text, mention).toContain(mention);
    }
  });

  it('forgets mandates filled in but never signed after 7 days, encrypted IBAN included', async () => {
    const who = await customer();
    const { res } = await submitForm(who);
    const id = mandateIdOf(res.headers.location);
    const kept = await signed();
    expect(await purgeUnsignedMandates(t.db, t.clock)).toBe(0);
    t.clock.advance(7 * 24 * 60 * MINUTE + 1000);
    expect(await purgeUnsignedMandates(t.db, t.clock)).toBeGreaterThanOrEqual(1);
    expect(await t.db.selectFrom('sepa_mandates').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
    expect(await t.db.selectFrom('sepa_signing_codes').select('id').where('mandate_id', '=', id).execute()).toEqual([]);
    expect((await mandateRow(kept.id)).status).toBe('to_validate');
  });

  it('is for logged-in customers only', async () => {
    const anonymous = new Browser(t.app, '10.78.0.1');
    for (const url of ['/prelevement', '/prelevement/mandat', '/prelevement/formulaire.pdf', `/prelevement/mandat/${newId()}.pdf`]) {
      const res = await anonymous.get(url);
      expect(res.statusCode, url).toBe(302);
      expect(res.headers.location).toBe(`/connexion?suite=${url}`);
    }
  });
});
