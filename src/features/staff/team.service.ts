import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Config } from '../../config.ts';
import { type Db, inTransaction } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/dialect.ts';
import type { Database, StaffRole } from '../../db/schema.ts';
import { STAFF_PREFIX } from '../../areas/staff-area.ts';
import { type AuditEntry, type RequestMeta, audit } from '../../lib/audit.ts';
import { type Clock, newId, nowIso } from '../../lib/clock.ts';
import { type FormErrors, addError } from '../../lib/forms.tsx';
import type { MessageKey } from '../../lib/i18n.ts';
import { publicUrl } from '../../lib/links.ts';
import { enqueueMail } from '../../lib/mail/outbox.ts';
import { hashToken, newToken } from '../../lib/tokens.ts';
import { countActiveAdmins, findMember } from './staff.queries.ts';
import { ENROLMENT_TTL_MS, type InviteValues, type TeamAction, inviteErrors, teamRefusal } from './staff.rules.ts';
import { normalizeEmail } from '../../lib/validation.ts';
import { enrolmentMail } from './staff.mails.ts';
import { destroyAllStaffSessions } from './staff.sessions.ts';
import { newTotpSecret, sealTotpSecret } from './staff.totp.ts';

/*
 * The team: members invited (from the team page, or by `portal staff create` for the first
 * admin), their role changed, their access disabled — every session ended at once — or
 * enabled again, a new enrolment link issued (password, second factor and recovery codes
 * erased). Each change is audited; a link is e-mailed to the member (French) when an admin
 * issues it, and returned to be shown once.
 */

/** Who changes the team: an admin from the back office, or the command line. */
export type TeamActor = { kind: 'staff'; id: string; name: string; meta: RequestMeta } | { kind: 'cli' };

const actorEntry = (a: TeamActor): Pick<AuditEntry, 'actor_type' | 'actor_id' | 'ip' | 'user_agent'> =>
  a.kind === 'staff' ? { actor_type: 'staff', actor_id: a.id, ...a.meta } : { actor_type: 'system', actor_id: 'cli' };

/** A one-time enrolment link: its token exists only in the link, its hash in the member's row. */
export interface EnrolmentLink {
  url: string;
  expiresAt: string;
}

/** A new link made at `now` (the instant its row is written at, so that it lasts exactly its TTL). */
function newEnrolmentLink(now: string, config: Config) {
  const token = newToken();
  return {
    hash: hashToken(token),
    url: publicUrl(config, `${STAFF_PREFIX}/inscription/${token}`),
    expiresAt: new Date(Date.parse(now) + ENROLMENT_TTL_MS).toISOString(),
  };
}

/** What a new link sets on a member: the link, and a new TOTP secret for the authenticator app to take. */
const enrolmentColumns = (config: Config, link: ReturnType<typeof newEnrolmentLink>) => ({
  enrolment_token_hash: link.hash,
  enrolment_expires_at: link.expiresAt,
  totp_secret_encrypted: sealTotpSecret(config, newTotpSecret()),
  totp_last_step: null,
});

const mailKey = (memberId: string, link: { hash: string }) => `staff-enrolment:${memberId}:${link.hash.slice(0, 16)}` as const;

export type InviteResult =
  | { ok: true; member: { id: string; email: string; display_name: string; role: StaffRole }; link: EnrolmentLink }
  | { ok: false; errors: FormErrors<keyof InviteValues> };

/** Invites a member: `invited` until they use the link (24 h, once); an admin's invitation is e-mailed. */
export async function inviteMember(db: Db, clock: Clock, config: Config, input: InviteValues, actor: TeamActor): Promise<InviteResult> {
  const values = { email: normalizeEmail(input.email), name: input.name.trim(), role: input.role };
  const errors = inviteErrors(values);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const member = { id: newId(), email: values.email, display_name: values.name, role: values.role as StaffRole };
  const now = nowIso(clock);
  const link = newEnrolmentLink(now, config);
  const created = await inTransaction(db, async (trx) => {
      if (await trx.selectFrom('staff_members').select('id').where('email', '=', member.email).executeTakeFirst()) return false;
      await trx
        .insertInto('staff_members')
        .values({
          ...member,
          state: 'invited',
          ...enrolmentColumns(config, link),
          invited_by: actor.kind === 'staff' ? actor.id : null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      if (actor.kind === 'staff') {
        await enqueueMail(trx, clock, config, { to: member.email, lang: 'fr', content: enrolmentMail(config, member, link, actor.name, 'invited'), dedupeKey: mailKey(member.id, link) });
      }
      return true;
    })
    .catch((e: unknown) => {
      if (isUniqueViolation(e)) return false;
      throw e;
    });
  if (!created) {
    const taken: FormErrors<keyof InviteValues> = {};
    addError(taken, 'email', 'staff.error.email.taken');
    return { ok: false, errors: taken };
  }
  await audit(db, clock, {
    ...actorEntry(actor),
    action: 'staff.invite',
    outcome: 'success',
    target_type: 'staff',
    target_id: member.id,
    details: { email: member.email, role: member.role, link_emailed: actor.kind === 'staff' },
  });
  return { ok: true, member, link: { url: link.url, expiresAt: link.expiresAt } };
}

export type TeamChangeResult = { ok: true; link?: EnrolmentLink } | { ok: false; refusal: MessageKey } | { ok: false; notFound: true };

/**
 * The change leaves an active admin: for a change that takes `id` out of the active admins,
 * another one remains. Checked in the update itself, so two admins cannot each remove the other.
 */
const leavesAnAdmin = (id: string) => (eb: ExpressionBuilder<Database, 'staff_members'>): Expression<SqlBool> =>
  eb.or([
    eb('role', '!=', 'admin'),
    eb('state', '!=', 'active'),
    eb(
      eb.selectFrom('staff_members as other').select(sql<number>`count(*)`.as('n')).where('other.role', '=', 'admin').where('other.state', '=', 'active').where('other.id', '!=', id),
      '>',
      0,
    ),
  ]);

/** A team change by an admin: the target read, the rules asked, the change made only if the rules still hold, audited. */
async function teamChange(
  db: Db,
  clock: Clock,
  actor: Extract<TeamActor, { kind: 'staff' }>,
  targetId: string,
  action: TeamAction,
  apply: (target: NonNullable<Awaited<ReturnType<typeof findMember>>>) => Promise<{ done: boolean; details: Record<string, unknown>; link?: EnrolmentLink }>,
  newRole?: StaffRole,
): Promise<TeamChangeResult> {
  const target = await findMember(db, targetId);
  if (!target) return { ok: false, notFound: true };
  const auditAction = { role: 'staff.role_change', disable: 'staff.disable', enable: 'staff.enable', new_link: 'staff.enrolment_link' }[action];
  const entry = { ...actorEntry(actor), action: auditAction, target_type: 'staff', target_id: target.id };
  const refusal = teamRefusal(action, actor.id, target, await countActiveAdmins(db), newRole);
  const applied = refusal ? null : await apply(target);
  if (!applied?.done) {
    const reason = refusal ?? 'staff.member.error.lastAdmin';
    await audit(db, clock, { ...entry, outcome: 'denied', details: { reason } });
    return { ok: false, refusal: reason };
  }
  await audit(db, clock, { ...entry, outcome: 'success', details: { email: target.email, ...applied.details } });
  return applied.link ? { ok: true, link: applied.link } : { ok: true };
}

export function changeRole(db: Db, clock: Clock, actor: Extract<TeamActor, { kind: 'staff' }>, targetId: string, role: StaffRole): Promise<TeamChangeResult> {
  return teamChange(
    db,
    clock,
    actor,
    targetId,
    'role',
    async (target) => {
      const r = await db
        .updateTable('staff_members')
        .set({ role, updated_at: nowIso(clock) })
        .where('id', '=', target.id)
        .$if(role !== 'admin', (q) => q.where(leavesAnAdmin(target.id)))
        .executeTakeFirst();
      return { done: Number(r.numUpdatedRows) === 1, details: { from: target.role, to: role } };
    },
    role,
  );
}

/** Disables a member: they cannot log in, and every session of theirs ends now. */
export function disableMember(db: Db, clock: Clock, actor: Extract<TeamActor, { kind: 'staff' }>, targetId: string): Promise<TeamChangeResult> {
  return teamChange(db, clock, actor, targetId, 'disable', async (target) => {
    const now = nowIso(clock);
    const done = await inTransaction(db, async (trx) => {
      const r = await trx
        .updateTable('staff_members')
        .set({ state: 'disabled', disabled_at: now, updated_at: now })
        .where('id', '=', target.id)
        .where('state', '!=', 'disabled')
        .where(leavesAnAdmin(target.id))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await destroyAllStaffSessions(trx, target.id);
      return true;
    });
    return { done, details: { previous_state: target.state, sessions_ended: 'all' } };
  });
}

/** Enables a disabled member again: active if they had enrolled, invited (their link still to use) otherwise. */
export function enableMember(db: Db, clock: Clock, actor: Extract<TeamActor, { kind: 'staff' }>, targetId: string): Promise<TeamChangeResult> {
  return teamChange(db, clock, actor, targetId, 'enable', async (target) => {
    const r = await db
      .updateTable('staff_members')
      .set({ state: sql`case when password_hash is null then 'invited' else 'active' end`, disabled_at: null, updated_at: nowIso(clock) })
      .where('id', '=', target.id)
      .where('state', '=', 'disabled')
      .executeTakeFirst();
    return { done: Number(r.numUpdatedRows) === 1, details: {} };
  });
}

/**
 * A new enrolment link for a member: their password, second factor and recovery codes are
 * erased, every session of theirs ends, they are `invited` again until they use it; the link
 * is e-mailed to them and returned to be shown once.
 */
export function issueNewEnrolmentLink(db: Db, clock: Clock, config: Config, actor: Extract<TeamActor, { kind: 'staff' }>, targetId: string): Promise<TeamChangeResult> {
  return teamChange(db, clock, actor, targetId, 'new_link', async (target) => {
    const now = nowIso(clock);
    const link = newEnrolmentLink(now, config);
    const done = await inTransaction(db, async (trx) => {
      const r = await trx
        .updateTable('staff_members')
        .set({ state: 'invited', password_hash: null, ...enrolmentColumns(config, link), updated_at: now })
        .where('id', '=', target.id)
        .where('state', '!=', 'disabled')
        .where(leavesAnAdmin(target.id))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return false;
      await trx.deleteFrom('staff_recovery_codes').where('staff_id', '=', target.id).execute();
      await destroyAllStaffSessions(trx, target.id);
      await enqueueMail(trx, clock, config, { to: target.email, lang: 'fr', content: enrolmentMail(config, target, link, actor.name, 'reset'), dedupeKey: mailKey(target.id, link) });
      return true;
    });
    return { done, details: { previous_state: target.state, sessions_ended: 'all' }, link: { url: link.url, expiresAt: link.expiresAt } };
  });
}
