import { jsx as _jsx } from "preact/jsx-runtime";
import { z } from 'zod';
import { pageContext, sendPage } from '../../lib/page.js';
import { uuid } from '../../lib/validation.js';
import { normalizeIdentifier } from '../auth/auth.rules.js';
import { auditPage, customerIdByNumber, staffForFilter } from './audit.queries.js';
import { addDays } from '../../lib/clock.js';
import { AUDIT_PAGE_SIZE, cursorText, parisDayStart, readCursor } from './audit.rules.js';
import { AuditView } from './audit.views.js';
/*
 * The audit log, for admins (`/gestion/journal`): every entry, newest first, filtered by staff
 * member, customer, action (the start of its name) and Paris dates, a page at a time (a cursor:
 * the last entry shown), each page's link keeping the filters. The code lives in
 * `src/features/audit/`; entries are written by `lib/audit.ts`.
 */
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined);
const auditQuery = z.object({
    membre: uuid.optional().catch(undefined),
    client: z.string().max(40).optional().catch(undefined),
    action: z
        .string()
        .max(80)
        .regex(/^[a-z0-9_.-]*$/i)
        .optional()
        .catch(undefined),
    du: date,
    au: date,
    avant: z.string().max(80).optional().catch(undefined),
});
const auditRoutes = async (app) => {
    const { db } = app;
    app.get('/journal', { config: { staffAccess: 'admin' } }, async (req, reply) => {
        const q = auditQuery.parse(req.query ?? {});
        const from = q.du ? parisDayStart(q.du) : null;
        const until = q.au ? parisDayStart(addDays(q.au, 1)) : null;
        const values = {
            membre: q.membre ?? '',
            client: q.client ? normalizeIdentifier(q.client) : '',
            action: q.action?.trim().toLowerCase() ?? '',
            du: from ? q.du : '',
            au: until ? q.au : '',
        };
        const customerId = values.client ? await customerIdByNumber(db, values.client) : undefined;
        const unknownCustomer = values.client && !customerId ? values.client : null;
        const before = readCursor(q.avant);
        const [staff, found] = await Promise.all([
            staffForFilter(db),
            unknownCustomer
                ? Promise.resolve([])
                : auditPage(db, { staffId: values.membre || undefined, customerId, actionPrefix: values.action || undefined, from: from ?? undefined, until: until ?? undefined, before }, AUDIT_PAGE_SIZE),
        ]);
        const rows = found.slice(0, AUDIT_PAGE_SIZE);
        const last = rows[rows.length - 1];
        const next = found.length > AUDIT_PAGE_SIZE && last ? cursorText({ at: last.at, id: last.id }) : null;
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('audit.title'), _jsx(AuditView, { ctx: ctx, values: values, staff: staff, rows: rows, next: next, paged: before !== null, unknownCustomer: unknownCustomer }));
    });
};
export default auditRoutes;
//# sourceMappingURL=audit.routes.js.map