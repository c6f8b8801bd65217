import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { type RequestMeta, audit } from '../../lib/audit.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import { recordEvent } from '../../lib/events.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import { hashPassword, verifyPassword } from '../../lib/passwords.ts';
import { findActivationCustomer } from './auth.queries.ts';
import { operatorSettings } from '../settings/settings.queries.ts';
import { refreshSearchKeys } from '../customers/customers.service.ts';
import { checkCustomerPassword, emailAddressErrors } from './auth.rules.ts';
import { destroyAllSessions } from './sessions.ts';
import { queueVerificationsForUnverified } from './verify.service.ts';

/*
 * The first connection (security bar A1, A2): with the temporary password of the invoice, the
 * customer chooses a password, gives their e-mail addresses and their paperless choice. The
 * account becomes active only while that temporary password still stands.
 */

export interface ActivationValues {
  password: string;
  password_confirm: string;
  email_primary: string;
  email_secondary: string;
  paperless: boolean;
}

export type ActivationResult = { ok: true } | { ok: false; errors: FormErrors } | { ok: false; reason: 'expired' };

/** What is wrong with the form: the addresses, the password policy, the temporary password again, the confirmation. */
async function activationErrors(db: Db, config: Config, customerId: string, values: ActivationValues): Promise<FormErrors> {
  const customer = await findActivationCustomer(db, customerId);
  const errors = emailAddressErrors(values);
  const policyError = checkCustomerPassword(values.password, customer, values, (await operatorSettings(db, config)).name);
  if (policyError) addError(errors, 'password', policyError.key, policyError.params);
  else if (customer.temp_password_hash && (await verifyPassword(customer.temp_password_hash, values.password))) {
    addError(errors, 'password', 'error.password.temporary');
  }
  if (!errors.password && values.password !== values.password_confirm) addError(errors, 'password_confirm', 'error.password.mismatch');
  return errors;
}

/**
 * Activates the account: password, addresses (each sent its verification link), paperless
 * choice dated in its history; every session of the customer ends, the caller opens a new one.
 */
export async function activateLogin(
  db: Db,
  clock: Clock,
  config: Config,
  customerId: string,
  values: ActivationValues,
  meta: RequestMeta,
): Promise<ActivationResult> {
  const errors = await activationErrors(db, config, customerId, values);
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const passwordHash = await hashPassword(values.password);
  const now = nowIso(clock);
  const activated = await inTransaction(db, async (trx) => {
    // Only while the temporary password that opened this session still stands: a second
    // submit, or a session whose temporary password was replaced or expired, changes nothing.
    const claimed = await trx
      .updateTable('customer_logins')
      .set({
        state: 'active',
        password_hash: passwordHash,
        password_changed_at: now,
        // A customer already active who was sent a new temporary password (by customer service)
        // goes through the first login again; the date of their first activation stays.
        activated_at: sql<string>`coalesce(activated_at, ${now})`,
        temp_password_hash: null,
        temp_password_issued_at: null,
        temp_password_expires_at: null,
      })
      .where('customer_id', '=', customerId)
      .where('state', 'in', ['not_activated', 'active'])
      .where('temp_password_expires_at', '>', now)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return false;
    const before = await trx.selectFrom('customers').select(['email_primary', 'email_secondary']).where('id', '=', customerId).executeTakeFirstOrThrow();
    await trx
      .updateTable('customers')
      .set({
        email_primary: values.email_primary,
        email_primary_verified_at: null,
        email_secondary: values.email_secondary || null,
        email_secondary_verified_at: null,
        paperless: values.paperless ? 1 : 0,
        paperless_changed_at: now,
        updated_at: now,
      })
      .where('id', '=', customerId)
      .execute();
    await refreshSearchKeys(trx, customerId);
    const consentId = newId();
    await trx
      .insertInto('paperless_consents')
      .values({ id: consentId, customer_id: customerId, given: values.paperless ? 1 : 0, at: now, source: 'first_login', ip: meta.ip })
      .execute();
    // Each address gets its verification link, queued with the change that set it.
    await queueVerificationsForUnverified(trx, clock, config, customerId);
    await destroyAllSessions(trx, customerId);
    // For the ERP's feed: the addresses when they are not those it knew, the consent always (its first).
    const secondary = values.email_secondary || null;
    if (before.email_primary !== values.email_primary || (before.email_secondary ?? null) !== secondary) {
      await recordEvent(trx, clock, {
        type: 'customer.emails_changed',
        customerId,
        subjectId: customerId,
        origin: 'customer',
        payload: { primary: values.email_primary, secondary, primary_verified: false, secondary_verified: false },
      });
    }
    await recordEvent(trx, clock, { type: 'customer.paperless_changed', customerId, subjectId: consentId, origin: 'customer', payload: { paperless: values.paperless, source: 'first_login' } });
    return true;
  });
  if (!activated) return { ok: false, reason: 'expired' };
  await audit(db, clock, {
    actor_type: 'customer',
    actor_id: customerId,
    action: 'account.activate', // audit vocabulary stays as readers of the log know it
    outcome: 'success',
    target_type: 'customer',
    target_id: customerId,
    ...meta,
    details: { paperless: values.paperless },
  });
  return { ok: true };
}
