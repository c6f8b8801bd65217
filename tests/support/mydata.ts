import type { Config } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { publishDocumentPdf } from '../../src/features/documents/documents.service.ts';
import { type Clock, newId, nowIso } from '../../src/lib/clock.ts';
import { contentStore } from '../../src/lib/content-store.ts';
import { enqueueMail } from '../../src/lib/mail/outbox.ts';
import { newToken } from '../../src/lib/tokens.ts';
import { insertDocument, insertPayment } from './documents.ts';
import { createCarPark, createContract, insertMandateRow } from './factories.ts';

/*
 * A customer with data of every kind "Mes données" exports (issue 14), written as the demo's
 * stories leave them: consents and their history, a newsletter subscription, a verification,
 * a contract with its vehicles' history, a vehicle change and its certificate, a badge
 * replaced, a termination, a renewal notice, a contact request with its conversation (and an
 * internal note the customer must never see) and its attachment, e-mails — two of them
 * carrying secrets —, a published document and its PDF, a payment, a mandate, a statement.
 * What it returns is what the export's tests look for.
 */

/** A tiny PNG (the magic bytes the contact form checks). */
export const TINY_PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

export async function seedEveryKind(
  db: Db,
  clock: Clock,
  config: Config,
  customer: { id: string; number: string; email_primary: string | null },
  tag: string,
  /** Where documents' PDFs go: the app's `storage` (an e2e server's own folder), else the configuration's. */
  documents = contentStore(config, 'documents'),
) {
  const now = nowIso(clock);
  const email = customer.email_primary!;
  const attachments = contentStore(config, 'attachments');
  const carPark = await createCarPark(db, clock, { code: `P${tag}`.slice(0, 10), name: `Parc ${tag}` });
  const contract = await createContract(db, clock, customer.id, carPark.id, { number: `26CT${tag}` });

  // Consents.
  await db
    .insertInto('paperless_consents')
    .values([
      { id: newId(), customer_id: customer.id, given: 1, at: '2025-01-10T09:00:00.000Z', source: 'activation', ip: '198.51.100.7' },
      { id: newId(), customer_id: customer.id, given: 0, at: '2025-06-10T09:00:00.000Z', source: 'profile', ip: '198.51.100.8' },
      { id: newId(), customer_id: customer.id, given: 1, at: '2025-09-10T09:00:00.000Z', source: 'profile', ip: '198.51.100.9' },
    ])
    .execute();
  await db
    .insertInto('newsletter_subscriptions')
    .values({ id: newId(), email, language: 'fr', status: 'confirmed', confirm_token_hash: null, confirm_expires_at: null, unsubscribe_token_hash: `hash-${tag}`, created_at: '2025-02-01T10:00:00.000Z', confirmed_at: '2025-02-01T10:05:00.000Z', unsubscribed_at: null })
    .execute();
  await db
    .insertInto('email_verifications')
    .values({ id: newId(), customer_id: customer.id, address: email, token_hash: `verif-${tag}`, expires_at: '2025-01-12T09:00:00.000Z', used_at: '2025-01-10T09:30:00.000Z', created_at: '2025-01-10T09:00:00.000Z' })
    .execute();

  // Vehicles and their history, a change with its certificate, a badge, a termination, a renewal notice.
  const oldPlate = `AA-${tag.slice(-3).padStart(3, '1')}-AA`;
  const newPlate = `BB-${tag.slice(-3).padStart(3, '2')}-BB`;
  const oldVehicle = newId();
  await db
    .insertInto('contract_vehicles')
    .values([
      { id: oldVehicle, contract_id: contract.id, plate: oldPlate, plate_key: oldPlate.replace(/-/g, ''), description: 'Ancienne', valid_from: null, valid_to: '2025-04-30' },
      { id: newId(), contract_id: contract.id, plate: newPlate, plate_key: newPlate.replace(/-/g, ''), description: 'Nouvelle', valid_from: '2025-05-01', valid_to: null },
    ])
    .execute();
  const certificate = Buffer.concat([TINY_PNG, Buffer.from(`certificat ${tag}`)]);
  const certificateSha = await attachments.put(certificate);
  await db
    .insertInto('vehicle_changes')
    .values({ id: newId(), customer_id: customer.id, contract_id: contract.id, replaces_vehicle_id: oldVehicle, plate: newPlate, country: 'FR', make: 'Renault', model: 'Zoé', valid_from: '2025-05-01', status: 'approved', certificate_name: 'carte grise.png', certificate_type: 'image/png', certificate_size: certificate.length, certificate_sha256: certificateSha, refusal_reason: null, vehicle_id: null, decided_by: null, decided_at: '2025-04-20T10:00:00.000Z', created_at: '2025-04-18T10:00:00.000Z' })
    .execute();
  await db
    .insertInto('badge_replacements')
    .values({ id: newId(), customer_id: customer.id, contract_id: contract.id, badge_number: `BDG${tag}`, reason: 'lost', status: 'handed_over', fee_cents: 1500, ordered_at: '2025-07-01T10:00:00.000Z', paid_at: '2025-07-01T10:10:00.000Z', new_badge_number: `NEW${tag}`, completed_at: '2025-07-03T10:00:00.000Z', completed_by: null, created_at: '2025-07-01T09:00:00.000Z' })
    .execute();
  await db
    .insertInto('contract_terminations')
    .values({ id: newId(), reference: `RES-${tag}`.slice(0, 12), contract_id: contract.id, customer_id: customer.id, status: 'withdrawn', channel: 'customer_area', requested_at: '2025-08-01T10:00:00.000Z', effective_date: '2025-09-30', acknowledgement_to: email, withdraw_token_hash: `withdraw-${tag}`, withdrawn_at: '2025-08-02T10:00:00.000Z', processed_at: null, processed_by: null })
    .execute();
  await db
    .insertInto('renewal_notices')
    .values({ id: newId(), contract_id: contract.id, customer_id: customer.id, renewal_date: '2026-12-09', deadline: '2026-12-08', channel: 'email', late: 0, sent_at: '2026-09-09T08:00:00.000Z' })
    .execute();

  // A contact request, its conversation, an internal note, an attachment.
  const requestId = newId();
  const reference = `DEM-2026-${tag.slice(-6).padStart(6, '0')}`;
  await db
    .insertInto('contact_requests')
    .values({ id: requestId, reference, customer_id: customer.id, contract_id: contract.id, category: 'invoice', message: `Question sur ma facture ${tag}`, new_plate: null, effective_date: null, status: 'waiting_customer', submission_id: null, assigned_staff_id: null, closed_at: null, created_at: '2026-10-01T10:00:00.000Z', updated_at: '2026-10-02T10:00:00.000Z' })
    .execute();
  await db
    .insertInto('contact_messages')
    .values([
      { id: newId(), request_id: requestId, author_type: 'staff', staff_id: null, body: `Réponse du service ${tag}`, internal: 0, submission_id: null, created_at: '2026-10-02T10:00:00.000Z' },
      { id: newId(), request_id: requestId, author_type: 'staff', staff_id: null, body: `NOTE INTERNE ${tag}`, internal: 1, submission_id: null, created_at: '2026-10-02T10:01:00.000Z' },
    ])
    .execute();
  const attachment = Buffer.concat([TINY_PNG, Buffer.from(`pièce ${tag}`)]);
  const attachmentSha = await attachments.put(attachment);
  await db
    .insertInto('contact_attachments')
    .values({ id: newId(), request_id: requestId, original_name: 'photo ticket.png', content_type: 'image/png', size_bytes: attachment.length, sha256: attachmentSha, message_id: null, created_at: '2026-10-01T10:00:00.000Z' })
    .execute();

  // E-mails: an ordinary one still to send, a reset link, a temporary password, one already sent (its body forgotten).
  const resetToken = newToken();
  const tempPassword = 'Xk7pQ9mZr4Tw';
  const sneakyToken = newToken();
  await enqueueMail(db, clock, config, { to: email, lang: 'fr', dedupeKey: `receipt:${tag}:${email}`, content: { subject: `Reçu ${tag}`, paragraphs: [`Merci pour votre paiement ${tag}.`, `Suivi : https://portail.example/suivi/${sneakyToken}`] } });
  await enqueueMail(db, clock, config, { to: email, lang: 'fr', dedupeKey: `reset:${tag}:${email}`, content: { subject: 'Réinitialisation', paragraphs: ['Cliquez :'], action: { label: 'Réinitialiser', url: `https://portail.example/reinitialiser/${resetToken}` } } });
  await enqueueMail(db, clock, config, { to: email, lang: 'fr', dedupeKey: `temporary-password:${tag}:${email}`, content: { subject: 'Mot de passe provisoire', paragraphs: [`Votre mot de passe provisoire : ${tempPassword}`] } });
  await enqueueMail(db, clock, config, { to: email, lang: 'fr', dedupeKey: `paperless:${tag}:${email}`, content: { subject: `Consentement ${tag}`, paragraphs: ['Envoyé.'] } });
  await db.updateTable('outbox').set({ status: 'sent', sent_at: now, text_body: '', html_body: '', headers: '{}' }).where('dedupe_key', '=', `paperless:${tag}:${email}`).execute();

  // A published document with its PDF, a payment of it, a mandate, a statement.
  const doc = await insertDocument(db, { customerId: customer.id, contractId: contract.id, number: `26F${tag}`, issueDate: '2026-10-01', htCents: 10000 });
  const { sha256: pdfSha } = await publishDocumentPdf(db, documents, clock, config, doc.id);
  await insertPayment(db, customer.id, 6000, [[doc.id, 6000]]);
  await insertMandateRow(db, customer.id, '2025-03-01T10:00:00.000Z', { status: 'active', signed_at: '2025-03-01T10:05:00.000Z', signature_place: 'Paris' });
  const statementId = newId();
  await db.insertInto('exit_statements').values({ id: statementId, contract_id: contract.id, month: '2026-09', exit_count: 2, document_id: doc.id, discount_ht_cents: 500, created_at: now }).execute();
  await db
    .insertInto('exits')
    .values([
      { id: newId(), statement_id: statementId, exited_at: '2026-09-03T07:00:00.000Z' },
      { id: newId(), statement_id: statementId, exited_at: '2026-09-17T07:00:00.000Z' },
    ])
    .execute();

  // A colleague invited to the account, with a password and a pending link (neither may be exported).
  const user = { email: `compta.${tag.toLowerCase()}@example.test`, name: `Comptable ${tag}`, passwordHash: `$argon2id$v=19$user-${tag}`, tokenHash: `user-token-${tag}` };
  await db
    .insertInto('customer_users')
    .values({ id: newId(), customer_id: customer.id, email: user.email, name: user.name, role: 'accountant', state: 'active', password_hash: user.passwordHash, token_hash: user.tokenHash, token_expires_at: now, invited_at: now, activated_at: now, last_login_at: null, removed_at: null })
    .execute();

  return { contract, carPark, reference, oldPlate, newPlate, certificate, attachment, doc, pdfSha, resetToken, tempPassword, sneakyToken, user };
}
