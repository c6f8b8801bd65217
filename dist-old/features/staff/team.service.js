import { sql } from 'kysely';
import { isUniqueViolation } from '../../db/dialect.js';
import { STAFF_PREFIX } from '../../areas/staff-area.js';
import { audit } from '../../lib/audit.js';
import { newId, nowIso } from '../../lib/clock.js';
import { addError } from '../../lib/forms.js';
import { publicUrl } from '../../lib/links.js';
import { enqueueMail } from '../../lib/mail/outbox.js';
import { hashToken, newToken } from '../../lib/tokens.js';
import { countActiveAdmins, findMember } from './staff.queries.js';
import { ENROLMENT_TTL_MS, inviteErrors, teamRefusal } from './staff.rules.js';
import { normalizeEmail } from '../../lib/validation.js';
import { enrolmentMail } from './staff.mails.js';
import { destroyAllStaffSessions } from './staff.sessions.js';
import { newTotpSecret, sealTotpSecret } from './staff.totp.js';
const actorEntry = (a) => a.kind === 'staff' ? { actor_type: 'staff', actor_id: a.id, ...a.meta } : { actor_type: 'system', actor_id: 'cli' };
/** A new link made at `now` (the instant its row is written at, so that it lasts exactly its TTL). */
function newEnrolmentLink(now, config) {
    const token = newToken();
    return {
        hash: hashToken(token),
        url: publicUrl(config, `${STAFF_PREFIX}/inscription/${token}`),
        expiresAt: new Date(Date.parse(now) + ENROLMENT_TTL_MS).toISOString(),
    };
}
/** What a new link sets on a member: the link, and a new TOTP secret for the authenticator app to take. */
const enrolmentColumns = (config, link) => ({
    enrolment_token_hash: link.hash,
    enrolment_expires_at: link.expiresAt,
    totp_secret_encrypted: sealTotpSecret(config, newTotpSecret()),
    totp_last_step: null,
});
const mailKey = (memberId, link) => `staff-enrolment:${memberId}:${link.hash.slice(0, 16)}`;
/** Invites a member: `invited` until they use the link (24 h, once); an admin's invitation is e-mailed. */
export async function inviteMember(db, clock, config, input, actor) {
    const values = { email: normalizeEmail(input.email), name: input.name.trim(), role: input.role };
    const errors = inviteErrors(values);
    if (Object.keys(errors).length > 0)
        return { ok: false, errors };
    const member = { id: newId(), email: values.email, display_name: values.name, role: values.role };
    const now = nowIso(clock);
    const link = newEnrolmentLink(now, config);
    const created = await db
        .transaction()
        .execute(async (trx) => {
        if (await trx.selectFrom('staff_members').select('id').where('email', '=', member.email).executeTakeFirst())
            return false;
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
        .catch((e) => {
        if (isUniqueViolation(e))
            return false;
        throw e;
    });
    if (!created) {
        const taken = {};
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
/**
 * The change leaves an active admin: for a change that takes `id` out of the active admins,
 * another one remains. Checked in the update itself, so two admins cannot each remove the other.
 */
const leavesAnAdmin = (id) => (eb) => eb.or([
    eb('role', '!=', 'admin'),
    eb('state', '!=', 'active'),
    eb(eb.selectFrom('staff_members as other').select(sql `count(*)`.as('n')).where('other.role', '=', 'admin').where('other.state', '=', 'active').where('other.id', '!=', id), '>', 0),
]);
/** A team change by an admin: the target read, the rules asked, the change made only if the rules still hold, audited. */
async function teamChange(db, clock, actor, targetId, action, apply, newRole) {
    const target = await findMember(db, targetId);
    if (!target)
        return { ok: false, notFound: true };
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
export function changeRole(db, clock, actor, targetId, role) {
    return teamChange(db, clock, actor, targetId, 'role', async (target) => {
        const r = await db
            .updateTable('staff_members')
            .set({ role, updated_at: nowIso(clock) })
            .where('id', '=', target.id)
            .$if(role !== 'admin', (q) => q.where(leavesAnAdmin(target.id)))
            .executeTakeFirst();
        return { done: Number(r.numUpdatedRows) === 1, details: { from: target.role, to: role } };
    }, role);
}
/** Disables a member: they cannot log in, and every session of theirs ends now. */
export function disableMember(db, clock, actor, targetId) {
    return teamChange(db, clock, actor, targetId, 'disable', async (target) => {
        const now = nowIso(clock);
        const done = await db.transaction().execute(async (trx) => {
            const r = await trx
                .updateTable('staff_members')
                .set({ state: 'disabled', disabled_at: now, updated_at: now })
                .where('id', '=', target.id)
                .where('state', '!=', 'disabled')
                .where(leavesAnAdmin(target.id))
                .executeTakeFirst();
            if (Number(r.numUpdatedRows) !== 1)
                return false;
            await destroyAllStaffSessions(trx, target.id);
            return true;
        });
        return { done, details: { previous_state: target.state, sessions_ended: 'all' } };
    });
}
/** Enables a disabled member again: active if they had enrolled, invited (their link still to use) otherwise. */
export function enableMember(db, clock, actor, targetId) {
    return teamChange(db, clock, actor, targetId, 'enable', async (target) => {
        const r = await db
            .updateTable('staff_members')
            .set({ state: sql `case when password_hash is null then 'invited' else 'active' end`, disabled_at: null, updated_at: nowIso(clock) })
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
export function issueNewEnrolmentLink(db, clock, config, actor, targetId) {
    return teamChange(db, clock, actor, targetId, 'new_link', async (target) => {
        const now = nowIso(clock);
        const link = newEnrolmentLink(now, config);
        const done = await db.transaction().execute(async (trx) => {
            const r = await trx
                .updateTable('staff_members')
                .set({ state: 'invited', password_hash: null, ...enrolmentColumns(config, link), updated_at: now })
                .where('id', '=', target.id)
                .where('state', '!=', 'disabled')
                .where(leavesAnAdmin(target.id))
                .executeTakeFirst();
            if (Number(r.numUpdatedRows) !== 1)
                return false;
            await trx.deleteFrom('staff_recovery_codes').where('staff_id', '=', target.id).execute();
            await destroyAllStaffSessions(trx, target.id);
            await enqueueMail(trx, clock, config, { to: target.email, lang: 'fr', content: enrolmentMail(config, target, link, actor.name, 'reset'), dedupeKey: mailKey(target.id, link) });
            return true;
        });
        return { done, details: { previous_state: target.state, sessions_ended: 'all' }, link: { url: link.url, expiresAt: link.expiresAt } };
    });
}
//# sourceMappingURL=team.service.js.map