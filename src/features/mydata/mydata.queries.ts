import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { DataExportTable } from '../../db/schema.ts';
import { maskIban } from '../direct-debit/direct-debit.rules.ts';
import { DOCUMENT_FIGURES, DOCUMENT_LINE_FIGURES } from '../documents/documents.queries.ts';

/*
 * What "Mes données" reads: the customer's latest export (Profil, the page), an export by its
 * link's token, and everything the portal holds about a customer, as rows for the archive
 * (`mydata.archive.ts`). Secrets are never selected: no password or token hash, no encrypted
 * IBAN (masked as the portal shows it), no staff member's internal note.
 */

export type DataExportRow = Pick<DataExportTable, 'id' | 'customer_id' | 'status' | 'requested_at' | 'expires_at' | 'archive_sha256' | 'archive_bytes' | 'prepared_at'>;

const exportColumns = ['id', 'customer_id', 'status', 'requested_at', 'expires_at', 'archive_sha256', 'archive_bytes', 'prepared_at'] as const;

/** The customer's latest export, whatever its state. */
export function latestExport(db: Db, customerId: string): Promise<DataExportRow | undefined> {
  return db.selectFrom('data_exports').select(exportColumns).where('customer_id', '=', customerId).orderBy('requested_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** The export a link's token names, whoever it belongs to (the route checks it is the customer's). */
export function exportByTokenHash(db: Db, tokenHash: string): Promise<DataExportRow | undefined> {
  return db.selectFrom('data_exports').select(exportColumns).where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** The customer's addresses, lower case, each once (what their e-mails were sent to). */
const addressesOf = (c: { email_primary: string | null; email_secondary: string | null }) =>
  [...new Set([c.email_primary, c.email_secondary].filter((a): a is string => !!a).map((a) => a.toLowerCase()))];

/** Everything the portal holds about one customer, as the archive's files show it. */
export async function customerData(db: Db, customerId: string) {
  const customer = await db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirstOrThrow();
  const addresses = addressesOf(customer);
  const login = await db
    .selectFrom('customer_logins')
    .select(['state', 'temp_password_issued_at', 'temp_password_expires_at', 'password_changed_at', 'activated_at', 'last_login_at', 'created_at'])
    .where('customer_id', '=', customerId)
    .executeTakeFirst();

  const contracts = await db
    .selectFrom('contracts as k')
    .innerJoin('car_parks as p', 'p.id', 'k.car_park_id')
    .select([
      'k.id',
      'k.number',
      'k.product',
      'k.status',
      'k.start_date',
      'k.end_date',
      'k.renewal_date',
      'k.billing_period',
      'k.price_ht_cents',
      'k.vat_rate_bp',
      'k.direct_debit',
      'k.badge_number',
      'k.space_label',
      'k.max_vehicles',
      'k.created_at',
      'p.code as car_park_code',
      'p.name as car_park_name',
      'p.address_line as car_park_address',
      'p.postal_code as car_park_postal_code',
      'p.city as car_park_city',
    ])
    .where('k.customer_id', '=', customerId)
    .orderBy('k.start_date')
    .orderBy('k.number')
    .execute();
  const contractIds = contracts.map((k) => k.id);
  const byContract = <T extends { contract_id: string }>(rows: T[]) => (id: string) => rows.filter((r) => r.contract_id === id);
  const none = contractIds.length === 0;
  const vehicles = none
    ? []
    : await db
        .selectFrom('contract_vehicles')
        .select(['id', 'contract_id', 'plate', 'country', 'description', 'valid_from', 'valid_to'])
        .where('contract_id', 'in', contractIds)
        // Since the contract began (no date) first, on both databases.
        .orderBy(sql`coalesce(valid_from, '')`)
        .orderBy('id')
        .execute();
  const vehicleChanges = await db
    .selectFrom('vehicle_changes')
    .select(['id', 'contract_id', 'replaces_vehicle_id', 'plate', 'country', 'make', 'model', 'valid_from', 'status', 'certificate_name', 'certificate_type', 'certificate_size', 'certificate_sha256', 'refusal_reason', 'decided_at', 'created_at'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .execute();
  const badges = await db
    .selectFrom('badge_replacements')
    .select(['id', 'contract_id', 'badge_number', 'reason', 'status', 'fee_cents', 'ordered_at', 'paid_at', 'new_badge_number', 'completed_at', 'created_at'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .execute();
  const terminations = await db
    .selectFrom('contract_terminations')
    .select(['id', 'contract_id', 'reference', 'status', 'channel', 'requested_at', 'effective_date', 'chosen_date', 'acknowledgement_to', 'withdrawn_at', 'processed_at'])
    .where('customer_id', '=', customerId)
    .orderBy('requested_at')
    .execute();
  const renewals = await db
    .selectFrom('renewal_notices')
    .select(['id', 'contract_id', 'renewal_date', 'deadline', 'channel', 'late', 'sent_at'])
    .where('customer_id', '=', customerId)
    .orderBy('sent_at')
    .execute();

  const paperlessHistory = await db.selectFrom('paperless_consents').select(['given', 'at', 'source', 'ip']).where('customer_id', '=', customerId).orderBy('at').orderBy('id').execute();
  const newsletter =
    addresses.length === 0
      ? []
      : await db
          .selectFrom('newsletter_subscriptions')
          .select(['email', 'language', 'status', 'created_at', 'confirmed_at', 'unsubscribed_at'])
          .where('email', 'in', addresses)
          .orderBy('created_at')
          .execute();
  const verifications = await db.selectFrom('email_verifications').select(['address', 'created_at', 'expires_at', 'used_at']).where('customer_id', '=', customerId).orderBy('created_at').execute();

  const sessions = await db
    .selectFrom('sessions')
    .select(['kind', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .execute();
  const resets = await db.selectFrom('password_resets').select(['created_at', 'expires_at', 'used_at']).where('customer_id', '=', customerId).orderBy('created_at').execute();
  const auditLines = (
    await db
      .selectFrom('audit_log')
      .select(['at', 'actor_type', 'actor_id', 'action', 'outcome', 'target_type', 'target_id', 'ip', 'user_agent', 'details'])
      .where((eb) => eb.or([eb.and([eb('actor_type', '=', 'customer'), eb('actor_id', '=', customerId)]), eb.and([eb('target_type', '=', 'customer'), eb('target_id', '=', customerId)])]))
      .orderBy('at')
      .orderBy('id')
      .execute()
  ).map((a) => ({
    at: a.at,
    actor_type: a.actor_type,
    // The customer's own id only: who among the staff did what is the operator's record.
    actor_id: a.actor_type === 'customer' ? a.actor_id : null,
    action: a.action,
    outcome: a.outcome,
    target_type: a.target_type,
    target_id: a.target_id,
    ip: a.ip,
    user_agent: a.user_agent,
    details: a.details ? (JSON.parse(a.details) as unknown) : null,
  }));

  const requests = await db
    .selectFrom('contact_requests as r')
    .leftJoin('contracts as k', 'k.id', 'r.contract_id')
    .select(['r.id', 'r.reference', 'r.category', 'r.message', 'r.new_plate', 'r.effective_date', 'r.status', 'r.created_at', 'r.updated_at', 'r.closed_at', 'k.number as contract_number'])
    .where('r.customer_id', '=', customerId)
    .orderBy('r.created_at')
    .execute();
  const requestIds = requests.map((r) => r.id);
  const messages =
    requestIds.length === 0
      ? []
      : await db
          .selectFrom('contact_messages')
          .select(['id', 'request_id', 'author_type', 'body', 'created_at'])
          .where('request_id', 'in', requestIds)
          // A staff member's internal note is the operator's, never shown to the customer.
          .where('internal', '=', 0)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
  const attachments =
    requestIds.length === 0
      ? []
      : await db
          .selectFrom('contact_attachments')
          .select(['id', 'request_id', 'message_id', 'original_name', 'content_type', 'size_bytes', 'sha256', 'created_at'])
          .where('request_id', 'in', requestIds)
          .orderBy('created_at')
          .orderBy('id')
          .execute();

  const mails =
    addresses.length === 0
      ? []
      : await db
          .selectFrom('outbox')
          .select(['recipient', 'subject', 'template', 'status', 'created_at', 'sent_at', 'text_body'])
          .where('recipient', 'in', addresses)
          .orderBy('created_at')
          .orderBy('id')
          .execute();

  const documents = await db
    .selectFrom('financial_documents as d')
    .leftJoin('contracts as k', 'k.id', 'd.contract_id')
    .leftJoin('financial_documents as c', 'c.id', 'd.corrects_document_id')
    .select([
      'd.id',
      'd.number',
      'd.kind',
      'k.number as contract_number',
      'c.number as corrects_document_number',
      ...DOCUMENT_FIGURES,
      'd.settled_cents',
      'd.pdf_sha256',
      'd.published_at',
    ])
    .where('d.customer_id', '=', customerId)
    .where('d.published_at', 'is not', null)
    .orderBy('d.issue_date')
    .orderBy('d.number')
    .execute();
  const documentIds = documents.map((d) => d.id);
  const lines =
    documentIds.length === 0
      ? []
      : await db
          .selectFrom('document_lines')
          .select(['position', ...DOCUMENT_LINE_FIGURES])
          .where('document_id', 'in', documentIds)
          .orderBy('document_id')
          .orderBy('position')
          .execute();

  const payments = await db
    .selectFrom('payments')
    .select(['id', 'method', 'provider', 'provider_reference', 'status', 'amount_cents', 'received_at', 'created_at'])
    .where('customer_id', '=', customerId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const paymentIds = payments.map((p) => p.id);
  const allocations =
    paymentIds.length === 0
      ? []
      : await db
          .selectFrom('allocations as a')
          .innerJoin('financial_documents as d', 'd.id', 'a.invoice_id')
          .select(['a.payment_id', 'd.number as invoice_number', 'a.amount_cents', 'a.created_at'])
          .where('a.payment_id', 'in', paymentIds)
          .orderBy('a.created_at')
          .execute();

  const mandates = (
    await db
      .selectFrom('sepa_mandates')
      .select(['id', 'rum', 'holder_name', 'holder_address', 'iban_country', 'iban_last4', 'bic', 'status', 'source', 'signed_at', 'signature_place', 'rejection_reason', 'revoked_at', 'end_reason', 'pre_notification_days', 'replaces_mandate_id', 'created_at', 'updated_at'])
      .where('customer_id', '=', customerId)
      .orderBy('created_at')
      .execute()
  ).map(({ iban_country, iban_last4, ...m }) => ({ ...m, iban: maskIban(iban_country, iban_last4) }));
  const mandateContracts =
    mandates.length === 0
      ? []
      : await db
          .selectFrom('sepa_mandate_contracts as mc')
          .innerJoin('contracts as k', 'k.id', 'mc.contract_id')
          .select(['mc.mandate_id', 'k.number'])
          .where(
            'mc.mandate_id',
            'in',
            mandates.map((m) => m.id),
          )
          .execute();

  const statements = none
    ? []
    : await db
        .selectFrom('exit_statements as s')
        .innerJoin('contracts as k', 'k.id', 's.contract_id')
        .leftJoin('financial_documents as d', 'd.id', 's.document_id')
        .select(['s.id', 'k.number as contract_number', 's.month', 's.exit_count', 's.discount_ht_cents', 'd.number as document_number', 's.created_at'])
        .where('s.contract_id', 'in', contractIds)
        .orderBy('k.number')
        .orderBy('s.month')
        .execute();
  const statementIds = statements.map((s) => s.id);
  const exits = statementIds.length === 0 ? [] : await db.selectFrom('exits').select(['statement_id', 'exited_at']).where('statement_id', 'in', statementIds).orderBy('exited_at').execute();

  // A business account's users (decision 018): who they are and when they came and went; no password, no link.
  const users = await db
    .selectFrom('customer_users')
    .select(['email', 'name', 'role', 'state', 'invited_at', 'activated_at', 'last_login_at', 'removed_at'])
    .where('customer_id', '=', customerId)
    .orderBy('invited_at')
    .orderBy('email')
    .execute();

  return {
    customer,
    addresses,
    login,
    users,
    contracts: contracts.map((k) => ({
      ...k,
      vehicles: byContract(vehicles)(k.id),
      vehicle_changes: byContract(vehicleChanges)(k.id),
      badge_replacements: byContract(badges)(k.id),
      terminations: byContract(terminations)(k.id),
      renewal_notices: byContract(renewals)(k.id),
    })),
    paperlessHistory,
    newsletter,
    verifications,
    sessions,
    resets,
    auditLines,
    requests: requests.map((r) => ({ ...r, messages: messages.filter((m) => m.request_id === r.id), attachments: attachments.filter((a) => a.request_id === r.id) })),
    mails,
    documents: documents.map((d) => ({ ...d, lines: lines.filter((l) => l.document_id === d.id) })),
    payments: payments.map((p) => ({ ...p, allocations: allocations.filter((a) => a.payment_id === p.id) })),
    mandates: mandates.map((m) => ({ ...m, contracts: mandateContracts.filter((mc) => mc.mandate_id === m.id).map((mc) => mc.number) })),
    statements: statements.map((s) => ({ ...s, exits: exits.filter((e) => e.statement_id === s.id).map((e) => e.exited_at) })),
  };
}

export type CustomerData = Awaited<ReturnType<typeof customerData>>;
