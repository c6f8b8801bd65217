import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { type RequestMeta, audit } from '../../lib/audit.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import { hashPassword, verifyOrDecoy } from '../../lib/passwords.ts';
import { hashToken } from '../../lib/tokens.ts';
import { emailAddress } from '../../lib/validation.ts';
import {
  type Throttled,
  type ThrottlePolicy,
  clearFailures,
  ipKey,
  oneAtATime,
  recordFailureOn,
  refuseThrottled,
  retryAfterMs,
} from '../auth/throttle.ts';
import { findEnrolment, findMemberByEmail, secondFactorOf } from './staff.queries.ts';
import { type EnrolmentValues, enrolmentErrors, readSecondFactor } from './staff.rules.ts';
import { destroyAllStaffSessions } from './staff.sessions.ts';
import { newRecoveryCodes, openTotpSecret, recoveryCodeHash, totpStep } from './staff.totp.ts';
import { operatorSettings } from '../settings/settings.queries.ts';

/*
 * The staff's login (security bars A3–A5, L1 for the back office): the password, then the
 * second factor, each one function that decides the attempt — throttle, checks, counters,
 * audit — so the routes only turn the result into a session or a page. And the enrolment that
 * the one-time link leads to.
 *
 * Throttling is the customers' mechanism (`auth/throttle.ts`) under keys of its own: the
 * member's e-mail (`staff:<email>`, whether it exists or not) and the client (`ipKey(ip,
 * 'staff')`). A wrong password and a wrong code both count; only a complete login (or an
 * enrolment) clears the e-mail's counter, so knowing the password buys no extra guesses at
 * the code. When the counter holds the e-mail, the half-open session ends.
 */

/**
 * The address typed, as a failed login's audit entry names it: only when it is an e-mail
 * address — a password typed in the wrong field is never written down (L1).
 */
const typedEmail = (email: string) => (emailAddress.safeParse(email).success ? email : null);

/** The throttle keys of a staff login attempt. */
export const staffThrottleKeys = (email: string, ip: string) => ({ account: `staff:${email}`, ip: ipKey(ip, 'staff') });

export type PasswordStepResult =
  | { ok: true; staffId: string }
  | { ok: false; reason: 'throttled'; throttled: Throttled }
  | { ok: false; reason: 'invalid' };

/**
 * The first step: e-mail and password. Every attempt costs one argon2 verification — of the
 * member's hash, or of a decoy for an unknown address — so timing tells nothing (A5); a member
 * invited, disabled, or without a second factor is refused with the same words.
 */
export function passwordStep(db: Db, clock: Clock, policy: ThrottlePolicy, email: string, password: string, meta: RequestMeta): Promise<PasswordStepResult> {
  return oneAtATime(`staff:${email}`, async (): Promise<PasswordStepResult> => {
    const keys = staffThrottleKeys(email, meta.ip);
    const wait = await retryAfterMs(db, clock, [keys.account, keys.ip]);
    if (wait > 0) {
      const throttled = await refuseThrottled(db, clock, wait, { actor_type: 'anonymous', action: 'staff.login', ...meta, details: { email: typedEmail(email) } });
      return { ok: false, reason: 'throttled', throttled };
    }
    const found = await findMemberByEmail(db, email);
    const passwordOk = await verifyOrDecoy(found?.password_hash, password);
    const failure = !found
      ? 'unknown_email'
      : found.state !== 'active'
        ? `member_${found.state}`
        : !passwordOk
          ? 'wrong_password'
          : !found.totp_secret_encrypted
            ? 'no_second_factor'
            : null;
    if (!found || failure) {
      await recordFailureOn(db, clock, policy, keys);
      await audit(db, clock, {
        actor_type: 'anonymous',
        action: 'staff.login',
        outcome: 'failure',
        target_type: 'staff',
        target_id: found?.id ?? null,
        ...meta,
        details: { email: typedEmail(email), reason: failure },
      });
      return { ok: false, reason: 'invalid' };
    }
    await audit(db, clock, {
      actor_type: 'staff',
      actor_id: found.id,
      action: 'staff.login',
      outcome: 'success',
      target_type: 'staff',
      target_id: found.id,
      ...meta,
      details: { email, next: 'second_factor' },
    });
    return { ok: true, staffId: found.id };
  });
}

export type SecondFactorResult =
  | { ok: true }
  | { ok: false; reason: 'throttled'; throttled: Throttled }
  /** `held`: this failure made the throttle hold the e-mail; the half-open session is to end. */
  | { ok: false; reason: 'invalid'; held: Throttled | null };

/** Accepts a TOTP time step once: only if it is later than the last one accepted (a conditional update, so two requests cannot both win). */
async function acceptTotpStep(db: Db, staffId: string, step: number): Promise<boolean> {
  const r = await db
    .updateTable('staff_members')
    .set({ totp_last_step: step })
    .where('id', '=', staffId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** What the code typed proves: a TOTP code not yet used, or one of the member's recovery codes not yet used (then spent). */
async function checkSecondFactor(db: Db, clock: Clock, config: Config, staffId: string, typed: string): Promise<{ via: 'totp' | 'recovery_code' } | { failure: string }> {
  const read = readSecondFactor(typed);
  if (!read) return { failure: 'empty' };
  if (read.kind === 'recovery') {
    const r = await db
      .updateTable('staff_recovery_codes')
      .set({ used_at: nowIso(clock) })
      .where('staff_id', '=', staffId)
      .where('code_hash', '=', recoveryCodeHash(read.code))
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1 ? { via: 'recovery_code' } : { failure: 'wrong_recovery_code' };
  }
  const row = await secondFactorOf(db, staffId);
  if (!row?.totp_secret_encrypted) return { failure: 'no_second_factor' };
  const step = await totpStep(openTotpSecret(config, row.totp_secret_encrypted), read.code, clock.now());
  if (step === null) return { failure: 'wrong_code' };
  return (await acceptTotpStep(db, staffId, step)) ? { via: 'totp' } : { failure: 'replayed_code' };
}

/** The second step, for a half-open session: the code; on success the login is complete (`last_login_at`). */
export function secondFactorStep(
  db: Db,
  clock: Clock,
  config: Config,
  policy: ThrottlePolicy,
  member: { id: string; email: string },
  typed: string,
  meta: RequestMeta,
): Promise<SecondFactorResult> {
  return oneAtATime(`staff:${member.email}`, async (): Promise<SecondFactorResult> => {
    const keys = staffThrottleKeys(member.email, meta.ip);
    const entry = { actor_type: 'staff', actor_id: member.id, action: 'staff.second_factor', target_type: 'staff', target_id: member.id, ...meta } as const;
    const wait = await retryAfterMs(db, clock, [keys.account, keys.ip]);
    if (wait > 0) return { ok: false, reason: 'throttled', throttled: await refuseThrottled(db, clock, wait, entry) };

    const checked = await checkSecondFactor(db, clock, config, member.id, typed);
    if ('failure' in checked) {
      await recordFailureOn(db, clock, policy, keys);
      await audit(db, clock, { ...entry, outcome: 'failure', details: { reason: checked.failure } });
      const now = await retryAfterMs(db, clock, [keys.account, keys.ip]);
      return { ok: false, reason: 'invalid', held: now > 0 ? await refuseThrottled(db, clock, now, entry) : null };
    }
    await clearFailures(db, keys.account);
    await db.updateTable('staff_members').set({ last_login_at: nowIso(clock) }).where('id', '=', member.id).execute();
    const left =
      checked.via === 'recovery_code'
        ? Number(
            (
              await db
                .selectFrom('staff_recovery_codes')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .where('staff_id', '=', member.id)
                .where('used_at', 'is', null)
                .executeTakeFirstOrThrow()
            ).n,
          )
        : undefined;
    await audit(db, clock, { ...entry, outcome: 'success', details: { via: checked.via, ...(left === undefined ? {} : { recovery_codes_left: left }) } });
    return { ok: true };
  });
}

/** The member an enrolment link is for, while it is valid (invited, not expired, not used). */
export const enrolmentOf = (db: Db, clock: Clock, token: string) => findEnrolment(db, hashToken(token), nowIso(clock));

export type EnrolmentResult =
  | { ok: true; staffId: string; recoveryCodes: string[] }
  | { ok: false; reason: 'invalid_link' }
  | { ok: false; reason: 'throttled'; throttled: Throttled }
  | { ok: false; reason: 'form'; errors: FormErrors<keyof EnrolmentValues> };

/**
 * Enrolment by the one-time link: the name, a password (the staff policy), and a first code
 * that proves the authenticator app holds the secret shown. Then the member is active, the
 * link spent, the code's step recorded (it cannot serve again at the login), ten recovery
 * codes made — returned to be shown once — and any session of theirs ended: the caller opens
 * a full one. A wrong code counts against the member's e-mail like a login's.
 */
export async function completeEnrolment(
  db: Db,
  clock: Clock,
  config: Config,
  policy: ThrottlePolicy,
  token: string,
  values: EnrolmentValues,
  meta: RequestMeta,
): Promise<EnrolmentResult> {
  const target = await enrolmentOf(db, clock, token);
  if (!target) {
    await audit(db, clock, { actor_type: 'anonymous', action: 'staff.enrol', outcome: 'denied', ...meta, details: { reason: 'invalid_or_expired_link' } });
    return { ok: false, reason: 'invalid_link' };
  }
  const entry = { actor_type: 'staff', actor_id: target.id, action: 'staff.enrol', target_type: 'staff', target_id: target.id, ...meta } as const;
  const keys = staffThrottleKeys(target.email, meta.ip);
  const wait = await retryAfterMs(db, clock, [keys.account, keys.ip]);
  if (wait > 0) return { ok: false, reason: 'throttled', throttled: await refuseThrottled(db, clock, wait, entry) };

  const errors = enrolmentErrors(values, target.email, (await operatorSettings(db, config)).name);
  let step: number | null = null;
  if (!errors.code) {
    const secret = target.totp_secret_encrypted ? openTotpSecret(config, target.totp_secret_encrypted) : null;
    step = secret ? await totpStep(secret, readSecondFactor(values.code)!.code, clock.now()) : null;
    if (step === null) {
      addError(errors, 'code', 'staff.error.code.invalid');
      await recordFailureOn(db, clock, policy, keys);
      await audit(db, clock, { ...entry, outcome: 'failure', details: { reason: 'wrong_code' } });
    }
  }
  if (Object.keys(errors).length > 0 || step === null) return { ok: false, reason: 'form', errors };

  const passwordHash = await hashPassword(values.password);
  const recoveryCodes = newRecoveryCodes();
  const now = nowIso(clock);
  const done = await inTransaction(db, async (trx) => {
    // Only while the link stands: a second submit of the same form changes nothing.
    const claimed = await trx
      .updateTable('staff_members')
      .set({
        display_name: values.name,
        password_hash: passwordHash,
        state: 'active',
        totp_last_step: step,
        enrolment_token_hash: null,
        enrolment_expires_at: null,
        last_login_at: now,
        updated_at: now,
      })
      .where('id', '=', target.id)
      .where('enrolment_token_hash', '=', hashToken(token))
      .where('enrolment_expires_at', '>', now)
      .where('state', '=', 'invited')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return false;
    await trx.deleteFrom('staff_recovery_codes').where('staff_id', '=', target.id).execute();
    await trx
      .insertInto('staff_recovery_codes')
      .values(recoveryCodes.map((code) => ({ id: newId(), staff_id: target.id, code_hash: recoveryCodeHash(code), used_at: null, created_at: now })))
      .execute();
    await destroyAllStaffSessions(trx, target.id);
    return true;
  });
  if (!done) return { ok: false, reason: 'invalid_link' };
  await clearFailures(db, keys.account);
  await audit(db, clock, { ...entry, outcome: 'success', details: { email: target.email, recovery_codes: recoveryCodes.length } });
  return { ok: true, staffId: target.id, recoveryCodes };
}
