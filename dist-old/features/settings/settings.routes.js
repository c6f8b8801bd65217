import { jsx as _jsx } from "preact/jsx-runtime";
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { staffActor } from '../../lib/audit.js';
import { contentStore, sha256Hex } from '../../lib/content-store.js';
import { notFound } from '../../lib/errors.js';
import { addError } from '../../lib/forms.js';
import { pageContext, sendPage } from '../../lib/page.js';
import { present, wellFormed } from '../../lib/validation.js';
import { sniffType } from '../contact/contact.rules.js';
import { discardUnreadBody, readCsrfPart, remainingPartsOf } from '../contact/contact.routes.js';
import { listCarParks } from '../public/public.queries.js';
import { findCarPark, settingsLastSaved } from './settings.queries.js';
import { LOGO_EXTENSIONS, MAX_LOGO_BYTES, carParkValues, checkCarPark, checkSettings, logoUrl, normaliseColour, readCarParkForm, readSettingsForm, settingsValues, themeCss, } from './settings.rules.js';
import { saveCarPark, saveLogo, saveOperatorSettings } from './settings.service.js';
import { CarParkView, CarParksListView, PARKS_PATH, SETTINGS_PATH, SettingsView } from './settings.views.js';
/*
 * The operator's settings (admin only): `/gestion/parametres` — identity, legal mentions,
 * contacts, mediator, creditor, staff notices, colour — its logo, and the car parks at
 * `/gestion/parametres/parkings[/:code]`. Every save is audited with what changed (old → new);
 * pages, e-mails and PDFs read the new values from the next request on (`operatorSettings`).
 * Outside the back office, `themeRoutes` serve what pages link: the main colour's stylesheet
 * and the logo, both named by their content so browsers keep them.
 */
const admin = { config: { staffAccess: 'admin' } };
const settingsQuery = z.object({
    enregistre: z.coerce.number().int().min(1).max(100).optional().catch(undefined),
    inchange: present,
    logo: z.enum(['enregistre', 'retire']).optional().catch(undefined),
});
const parkParams = z.object({ code: wellFormed(z.string().regex(/^[A-Za-z0-9_-]{1,40}$/)) });
const logos = new WeakMap();
/** Reads the logo's part (a preHandler, after the app's CSRF check of the form's first part). */
async function readLogo(req, reply) {
    if (reply.sent)
        return;
    logos.set(req, null);
    const parts = remainingPartsOf(req);
    if (!parts)
        return;
    try {
        for await (const part of parts) {
            if (part.type !== 'file')
                continue;
            const bytes = await part.toBuffer();
            if (part.fieldname !== 'logo' || (part.filename === '' && bytes.length === 0))
                continue;
            logos.set(req, { bytes, truncated: part.file.truncated });
        }
    }
    catch (e) {
        // More parts than the form has: the first logo read is the one.
        if (!['FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT'].includes(e.code ?? ''))
            throw e;
    }
}
const settingsRoutes = async (app) => {
    const { db, clock, config } = app;
    // Multipart for the logo's form only: one file, its size limit an error next to the field (not a 413).
    await app.register(multipart, { throwFileSizeLimit: false, limits: { fileSize: MAX_LOGO_BYTES, files: 1, fields: 2, fieldSize: 1024, parts: 3, headerPairs: 20 } });
    async function renderSettings(req, reply, over = {}, status = 200) {
        const saved = await settingsLastSaved(db);
        const ctx = pageContext(req, reply);
        const values = over.values ?? settingsValues(app.operator);
        return sendPage(reply, ctx, ctx.t('settings.title'), _jsx(SettingsView, { ctx: ctx, values: values, errors: over.errors ?? {}, notice: over.notice ?? null, lastSaved: saved ? { at: saved.updated_at, by: saved.display_name } : null, logo: over.logo ?? { url: logoUrl(app.operator), errors: {} } }), status);
    }
    app.get('/parametres', admin, async (req, reply) => {
        const q = settingsQuery.parse(req.query ?? {});
        const notice = q.enregistre
            ? { key: 'settings.saved', params: { count: q.enregistre } }
            : q.inchange
                ? { key: 'settings.unchanged' }
                : q.logo
                    ? { key: q.logo === 'enregistre' ? 'settings.logo.saved' : 'settings.logo.removed' }
                    : null;
        return renderSettings(req, reply, { notice });
    });
    app.post('/parametres', admin, async (req, reply) => {
        const values = readSettingsForm(req.body);
        const checked = checkSettings(values);
        if (!checked.ok)
            return renderSettings(req, reply, { values, errors: checked.errors }, 400);
        const changed = await saveOperatorSettings(db, clock, config, checked.settings, staffActor(req));
        return reply.redirect(changed.length ? `${SETTINGS_PATH}?enregistre=${changed.length}` : `${SETTINGS_PATH}?inchange`, 303);
    });
    /** The logo: PNG or JPEG by its first bytes (never its name or declared type), at most MAX_LOGO_BYTES. */
    app.post('/parametres/logo', { ...admin, preValidation: readCsrfPart, preHandler: readLogo, onResponse: discardUnreadBody }, async (req, reply) => {
        const logo = logos.get(req) ?? null;
        const errors = {};
        const type = logo && !logo.truncated ? sniffType(logo.bytes) : null;
        if (!logo)
            addError(errors, 'logo', 'settings.error.logo.missing');
        else if (logo.truncated)
            addError(errors, 'logo', 'settings.error.logo.size', { max: MAX_LOGO_BYTES / 1024 });
        else if (type !== 'image/png' && type !== 'image/jpeg')
            addError(errors, 'logo', 'settings.error.logo.type');
        if (!logo || (type !== 'image/png' && type !== 'image/jpeg') || errors.logo) {
            return renderSettings(req, reply, { logo: { url: logoUrl(app.operator), errors } }, 400);
        }
        await saveLogo(db, clock, config, { bytes: logo.bytes, type }, staffActor(req));
        return reply.redirect(`${SETTINGS_PATH}?logo=enregistre#logo-panel`, 303);
    });
    app.post('/parametres/logo/suppression', admin, async (req, reply) => {
        await saveLogo(db, clock, config, null, staffActor(req));
        return reply.redirect(`${SETTINGS_PATH}?logo=retire#logo-panel`, 303);
    });
    app.get('/parametres/parkings', admin, async (req, reply) => {
        const parks = await listCarParks(db);
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('settings.parks.title'), _jsx(CarParksListView, { ctx: ctx, parks: parks }));
    });
    async function parkOf(req) {
        const { code } = parkParams.parse(req.params);
        const park = code.value ? await findCarPark(db, code.value) : undefined;
        if (!park)
            throw notFound(`No car park ${code.raw}`);
        return park;
    }
    const renderPark = async (req, reply, form = {}, status = 200) => {
        const park = await parkOf(req);
        const q = settingsQuery.parse(req.query ?? {});
        const notice = q.enregistre ? { key: 'settings.park.saved', params: { count: q.enregistre } } : q.inchange ? { key: 'settings.park.unchanged' } : null;
        const ctx = pageContext(req, reply);
        return sendPage(reply, ctx, ctx.t('settings.park.title', { name: park.name }), _jsx(CarParkView, { ctx: ctx, park: park, values: form.values ?? carParkValues(park), errors: form.errors ?? {}, notice: notice }), status);
    };
    app.get('/parametres/parkings/:code', admin, (req, reply) => renderPark(req, reply));
    app.post('/parametres/parkings/:code', admin, async (req, reply) => {
        const park = await parkOf(req);
        const values = readCarParkForm(req.body);
        const checked = checkCarPark(values);
        if (!checked.ok)
            return renderPark(req, reply, { values, errors: checked.errors }, 400);
        const changed = await saveCarPark(db, clock, park.code, checked.park, staffActor(req));
        const here = `${PARKS_PATH}/${encodeURIComponent(park.code)}`;
        return reply.redirect(changed.length ? `${here}?enregistre=${changed.length}` : `${here}?inchange`, 303);
    });
};
export default settingsRoutes;
const themeQuery = z.object({ v: z.string().regex(/^[0-9a-f]{6}$/) });
const logoParams = z.object({ file: z.string().regex(/^([0-9a-f]{64})\.(png|jpg)$/) });
/** Named by what they hold: a browser may keep them for a year. */
const FOREVER = 'public, max-age=31536000, immutable';
/**
 * What every page may link, outside every area: `GET /theme.css?v=<rrggbb>`, the main colour
 * over the stylesheet's (the colour is in the address, so the answer never changes for it);
 * `GET /logo/<sha256>.<png|jpg>`, the logo from the asset store, checked against its digest.
 */
export const themeRoutes = async (app) => {
    app.get('/theme.css', async (req, reply) => {
        const q = themeQuery.safeParse(req.query ?? {});
        const colour = q.success ? normaliseColour(`#${q.data.v}`) : null;
        if (!colour)
            throw notFound('No such theme');
        return reply.header('cache-control', FOREVER).type('text/css; charset=utf-8').send(themeCss(colour));
    });
    app.get('/logo/:file', async (req, reply) => {
        const p = logoParams.safeParse(req.params);
        if (!p.success)
            throw notFound('No such logo');
        const [, sha256, ext] = /^([0-9a-f]{64})\.(png|jpg)$/.exec(p.data.file);
        const bytes = await contentStore(app.config, 'assets').get(sha256);
        const type = bytes ? sniffType(bytes) : null;
        if (!bytes || sha256Hex(bytes) !== sha256 || !type || type === 'application/pdf' || LOGO_EXTENSIONS[type] !== ext)
            throw notFound('No such logo');
        return reply.header('cache-control', FOREVER).header('content-disposition', 'inline').type(type).send(bytes);
    });
};
//# sourceMappingURL=settings.routes.js.map