import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { STAFF_PREFIX } from '../../areas/staff-area.js';
import { requestMeta } from '../../lib/audit.js';
import { AppError } from '../../lib/errors.js';
import { pageContext, sendPage } from '../../lib/page.js';
import { noticeParam, typedText, uuid, wellFormed } from '../../lib/validation.js';
import { findMember, listTeam } from './staff.queries.js';
import { isStaffRole } from './staff.rules.js';
import { changeRole, disableMember, enableMember, inviteMember, issueNewEnrolmentLink } from './team.service.js';
import { MemberView, TeamView } from './team.views.js';
/*
 * The team, for admins (`staffAccess: 'admin'`; an agent gets the 403 page).
 *   GET/POST /gestion/equipe                         the members; invite one (the link e-mailed and shown once)
 *   GET      /gestion/equipe/:id                     one member, `?fait=` what was just done
 *   POST     /gestion/equipe/:id/role                change their role
 *   POST     /gestion/equipe/:id/desactivation       disable them: every session ends at once
 *   POST     /gestion/equipe/:id/reactivation        enable them again
 *   POST     /gestion/equipe/:id/nouveau-lien        a new enrolment link (password and second factor erased), shown once
 * A change answers with a redirect to the member's page; a link, which exists nowhere else in
 * clear, is shown in the answer itself.
 */
const adminPage = { config: { staffAccess: 'admin' } };
const inviteBody = z.object({ email: typedText(254), name: typedText(200), role: typedText(20) });
const memberParams = z.object({ id: wellFormed(uuid) });
const roleBody = z.object({ role: typedText(20) });
const memberQuery = z.object({
    fait: noticeParam({ role: 'staff.member.done.role', desactive: 'staff.member.done.disabled', reactive: 'staff.member.done.enabled' }),
});
const teamRoutes = async (app) => {
    const { db, clock, config } = app;
    const actorOf = (req) => ({
        kind: 'staff',
        id: req.staff.id,
        name: req.staff.displayName || req.staff.email,
        meta: requestMeta(req),
    });
    app.get('/equipe', adminPage, async (req, reply) => {
        const ctx = pageContext(req, reply);
        const members = await listTeam(db);
        return sendPage(reply, ctx, ctx.t('staff.team.title'), _jsx(TeamView, { ctx: ctx, members: members, values: { email: '', name: '', role: 'agent' } }));
    });
    app.post('/equipe', adminPage, async (req, reply) => {
        const values = inviteBody.parse(req.body ?? {});
        const result = await inviteMember(db, clock, config, values, actorOf(req));
        const ctx = pageContext(req, reply);
        const members = await listTeam(db);
        if (!result.ok)
            return sendPage(reply, ctx, ctx.t('staff.team.title'), _jsx(TeamView, { ctx: ctx, members: members, values: values, errors: result.errors }), 422);
        return sendPage(reply, ctx, ctx.t('staff.team.title'), _jsx(TeamView, { ctx: ctx, members: members, values: { email: '', name: '', role: 'agent' }, invited: { email: result.member.email, link: result.link } }));
    });
    /** The member of the URL, or the 404 page. */
    const memberOf = async (req) => {
        const { id } = memberParams.parse(req.params);
        const member = id.value ? await findMember(db, id.value) : undefined;
        if (!member)
            throw new AppError('not_found');
        return member;
    };
    const memberPage = async (req, reply, shown, status = 200) => {
        const member = await memberOf(req);
        const ctx = pageContext(req, reply);
        const page = _jsx(MemberView, { ctx: ctx, member: member, isSelf: member.id === req.staff.id, notice: shown.notice, error: shown.error, link: shown.link });
        return sendPage(reply, ctx, ctx.t('staff.member.title', { name: member.display_name || member.email }), page, status);
    };
    app.get('/equipe/:id', adminPage, async (req, reply) => {
        const { fait } = memberQuery.parse(req.query);
        return memberPage(req, reply, fait ? { notice: fait } : {});
    });
    /** What a change answers: the member's page again, with what was done or why it was not. */
    const answer = (req, reply, memberId, result, done) => {
        if (!result.ok) {
            if ('notFound' in result)
                throw new AppError('not_found');
            return memberPage(req, reply, { error: result.refusal }, 409);
        }
        if (result.link)
            return memberPage(req, reply, { link: result.link });
        return reply.redirect(`${STAFF_PREFIX}/equipe/${memberId}?fait=${done}`, 303);
    };
    app.post('/equipe/:id/role', adminPage, async (req, reply) => {
        const member = await memberOf(req);
        const { role } = roleBody.parse(req.body ?? {});
        if (!isStaffRole(role))
            return memberPage(req, reply, { error: 'staff.error.role' }, 422);
        return answer(req, reply, member.id, await changeRole(db, clock, actorOf(req), member.id, role), 'role');
    });
    app.post('/equipe/:id/desactivation', adminPage, async (req, reply) => {
        const member = await memberOf(req);
        return answer(req, reply, member.id, await disableMember(db, clock, actorOf(req), member.id), 'desactive');
    });
    app.post('/equipe/:id/reactivation', adminPage, async (req, reply) => {
        const member = await memberOf(req);
        return answer(req, reply, member.id, await enableMember(db, clock, actorOf(req), member.id), 'reactive');
    });
    app.post('/equipe/:id/nouveau-lien', adminPage, async (req, reply) => {
        const member = await memberOf(req);
        return answer(req, reply, member.id, await issueNewEnrolmentLink(db, clock, config, actorOf(req), member.id), 'lien');
    });
};
export default teamRoutes;
//# sourceMappingURL=team.routes.js.map