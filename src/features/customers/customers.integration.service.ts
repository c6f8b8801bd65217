import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { retryOnUniqueViolation } from '../../db/dialect.ts';
import type { Customer, CustomerKind, Language } from '../../db/schema.ts';
import type { PutOutcome } from '../../lib/api.ts';
import { type IntegrationActor, audit, integrationDetails, integrationEntry } from '../../lib/audit.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import { applyEmailChange } from '../profile/emails.service.ts';
import { lockCustomer, refreshSearchKeys, writeSearchKeys } from './customers.service.ts';

/*
 * A customer as the operator's billing system (ERP) writes it — through the API
 * (`customers.api.ts`) or the bulk import — by the operator's customer number: created when
 * the number is new, updated when something differs, left alone (nothing written, nothing
 * audited) when the record is already as sent.
 *
 * A new customer is created as the factories and the demo create one: the row and its search
 * keys, no portal account yet (its login row comes with the first temporary password,
 * `issueTemporaryPassword`), no paperless consent (the customer gives it online). The
 * e-mail addresses are the customer's to manage online: when the ERP sends them they are
 * changed the one way the portal changes them (`applyEmailChange`: an address kept stays
 * verified, a new one is sent its verification link, the old verified ones are told); when it
 * leaves them out they are kept.
 */

/** What the ERP says of a customer (the API's body, an import's row), read and checked. */
export interface CustomerInput {
  kind: CustomerKind;
  civility: string | null;
  last_name: string;
  first_name: string | null;
  company_name: string | null;
  siren: string | null;
  address: { line1: string; line2: string | null; postal_code: string; city: string; country: string };
  /** Absent: the addresses the portal holds are kept. */
  emails?: { primary: string; secondary: string | null } | undefined;
  phones: { landline: string | null; mobile: string | null };
  language: Language;
  paper_required: boolean;
  /** The billing profile; absent: what the portal holds is kept. */
  billing?: { vat_number: string | null; email: string | null } | undefined;
}

/** The columns of `customers` the ERP writes (the e-mail addresses apart). */
function columnsOf(input: CustomerInput) {
  return {
    kind: input.kind,
    civility: input.civility,
    last_name: input.last_name,
    first_name: input.first_name,
    company_name: input.company_name,
    siren: input.siren,
    address_line1: input.address.line1,
    address_line2: input.address.line2,
    postal_code: input.address.postal_code,
    city: input.address.city,
    country: input.address.country,
    phone: input.phones.landline,
    mobile_phone: input.phones.mobile,
    language: input.language,
    paper_required: input.paper_required ? 1 : 0,
  };
}

type Columns = ReturnType<typeof columnsOf>;

/** The columns whose value differs (the e-mail addresses as `email_primary` / `email_secondary`). */
function changedFields(before: Customer, next: Columns, emails: CustomerInput['emails'], billing?: CustomerInput['billing']): string[] {
  const fields: string[] = (Object.keys(next) as (keyof Columns)[]).filter((k) => before[k] !== next[k]);
  if (billing) {
    if ((before.vat_number ?? null) !== billing.vat_number) fields.push('vat_number');
    if ((before.billing_email ?? null) !== billing.email) fields.push('billing_email');
  }
  if (emails) {
    if (before.email_primary !== emails.primary) fields.push('email_primary');
    if ((before.email_secondary ?? null) !== emails.secondary) fields.push('email_secondary');
  }
  return fields;
}

export interface PutCustomerResult {
  outcome: PutOutcome;
  customerId: string;
  /** The fields written (none when unchanged; every one sent when created). */
  fields: string[];
}

/** Creates or updates the customer of this number from what the ERP says; nothing when it is already so. */
export async function putCustomer(db: Db, clock: Clock, config: Config, number: string, input: CustomerInput, actor: IntegrationActor): Promise<PutCustomerResult> {
  const attempt = () =>
    inTransaction(db, async (trx): Promise<PutCustomerResult> => {
      const found = await trx.selectFrom('customers').select('id').where('number', '=', number).executeTakeFirst();
      const next = columnsOf(input);
      const now = nowIso(clock);
      if (!found) {
        const row = {
          id: newId(),
          number,
          ...next,
          vat_number: input.billing?.vat_number ?? null,
          billing_email: input.billing?.email ?? null,
          email_primary: input.emails?.primary ?? null,
          email_primary_verified_at: null,
          email_secondary: input.emails?.secondary ?? null,
          email_secondary_verified_at: null,
          paperless: 0,
          paperless_changed_at: null,
          created_at: now,
          updated_at: now,
        };
        await trx.insertInto('customers').values(row).execute();
        await writeSearchKeys(trx, row);
        const fields = Object.keys(next).concat(input.emails ? ['email_primary', 'email_secondary'] : [], input.billing ? ['vat_number', 'billing_email'] : []);
        await audit(trx, clock, {
          ...integrationEntry(actor),
          action: 'customer.create',
          outcome: 'success',
          target_type: 'customer',
          target_id: row.id,
          details: { ...integrationDetails(actor), number },
        });
        return { outcome: 'created', customerId: row.id, fields };
      }

      // Changes to one customer at the same instant (two PUTs, a PUT and the customer online) one after the other.
      await lockCustomer(trx, found.id);
      const before = await trx.selectFrom('customers').selectAll().where('id', '=', found.id).executeTakeFirstOrThrow();
      const fields = changedFields(before, next, input.emails, input.billing);
      if (fields.length === 0) return { outcome: 'unchanged', customerId: before.id, fields };
      const columns = fields.filter((f) => f !== 'email_primary' && f !== 'email_secondary');
      let emails = null;
      if (columns.length > 0) {
        const billing = input.billing ? { vat_number: input.billing.vat_number, billing_email: input.billing.email } : {};
        await trx.updateTable('customers').set({ ...next, ...billing, updated_at: now }).where('id', '=', before.id).execute();
        await refreshSearchKeys(trx, before.id);
      }
      if (input.emails && columns.length < fields.length) emails = await applyEmailChange(trx, clock, config, before.id, input.emails, 'erp');
      await audit(trx, clock, {
        ...integrationEntry(actor),
        action: 'customer.update',
        outcome: 'success',
        target_type: 'customer',
        target_id: before.id,
        // Which fields, not their values: the record holds those.
        details: {
          ...integrationDetails(actor),
          number,
          fields,
          ...(emails ? { verifications_sent: emails.verificationsQueued, email_change_notices_sent: emails.noticesQueued } : {}),
        },
      });
      return { outcome: 'updated', customerId: before.id, fields };
    });
  return retryOnUniqueViolation(db, attempt);
}
