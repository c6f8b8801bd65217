import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requestMeta } from '../../lib/audit.ts';
import { HOUR } from '../../lib/clock.ts';
import { contentStore } from '../../lib/content-store.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { deniedAsNotFound } from '../../lib/ownership.ts';
import { pageContext, sendPage } from '../../lib/page.tsx';
import { hashToken, isTokenShaped } from '../../lib/tokens.ts';
import { noticeParam, tokenParams } from '../../lib/validation.ts';
import { type DataExportRow, exportByTokenHash, latestExport } from './mydata.queries.ts';
import { exportState } from './mydata.rules.ts';
import { recordDownload, requestExport } from './mydata.service.ts';
import { ExpiredView, MYDATA_PATH, MyDataView } from './mydata.views.tsx';

/*
 * "Mes données personnelles" (RGPD articles 15 and 20), in the customer area:
 *   GET  /profil/mes-donnees                  what the export holds, the latest one's state, the button
 *   POST /profil/mes-donnees                  ask for an export (one in preparation at a time, 3 a day)
 *   GET  /profil/mes-donnees/archive.zip      the latest ready archive
 *   GET  /profil/mes-donnees/archive/:token   the e-mailed link: the archive, to the customer it belongs to only
 * The link's route logs at `warn`, so its token never reaches the request log.
 */

const pageQuery = z.object({
  demande: noticeParam({ enregistree: 'mydata.notice.requested', 'en-cours': 'mydata.notice.pending' }),
});

const mydataRoutes: FastifyPluginAsync = async (app) => {
  const { db, clock, config } = app;

  const renderPage = async (req: FastifyRequest, reply: FastifyReply, notice?: Parameters<typeof MyDataView>[0]['notice'], status = 200) => {
    const latest = await latestExport(db, req.customer.id);
    const state = exportState(latest, clock.now());
    const ctx = pageContext(req, reply);
    return sendPage(reply, ctx, ctx.t('mydata.title'), <MyDataView ctx={ctx} state={state} size={latest?.archive_bytes ?? null} notice={notice} />, status);
  };

  app.get(MYDATA_PATH, async (req, reply) => {
    const { demande } = pageQuery.parse(req.query ?? {});
    return renderPage(req, reply, demande ? { key: demande } : undefined);
  });

  app.post(MYDATA_PATH, async (req, reply) => {
    const outcome = await requestExport(db, clock, req.customer.id, requestMeta(req));
    if (outcome.outcome === 'throttled') {
      reply.header('retry-after', String(Math.ceil(outcome.retryAfterMs / 1000)));
      return renderPage(req, reply, { key: 'mydata.notice.throttled', params: { hours: Math.max(1, Math.ceil(outcome.retryAfterMs / HOUR)) }, alert: true }, 429);
    }
    return reply.redirect(`${MYDATA_PATH}?demande=${outcome.outcome === 'requested' ? 'enregistree' : 'en-cours'}`, 303);
  });

  /** The archive as a download, streamed from the store; the download audited. */
  const sendArchive = async (req: FastifyRequest, reply: FastifyReply, e: DataExportRow, via: 'link' | 'page') => {
    // The archive is the customer's own copy: a staff member viewing their pages sees its state, never its content.
    if (req.customer.viewedBy) throw new AppError('read_only_view');
    const stream = e.archive_sha256 ? await contentStore(config, 'exports').stream(e.archive_sha256) : null;
    if (!stream) throw notFound();
    await recordDownload(db, clock, e.id, req.customer.id, via, requestMeta(req));
    const day = (e.prepared_at ?? e.requested_at).slice(0, 10);
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="mes-donnees-${req.customer.number}-${day}.zip"`)
      .header('content-length', String(e.archive_bytes))
      .header('cache-control', 'no-store')
      .send(stream);
  };

  app.get(`${MYDATA_PATH}/archive.zip`, async (req, reply) => {
    const latest = await latestExport(db, req.customer.id);
    if (!latest || exportState(latest, clock.now()).state !== 'ready') throw notFound();
    return sendArchive(req, reply, latest, 'page');
  });

  app.get(`${MYDATA_PATH}/archive/:token`, async (req, reply) => {
    const { token } = tokenParams.parse(req.params);
    const found = isTokenShaped(token) ? await exportByTokenHash(db, hashToken(token)) : undefined;
    // Another customer's link is answered as one that does not exist, and audited (Z1).
    if (!found || found.customer_id !== req.customer.id) return deniedAsNotFound(req, 'data_export', found?.id ?? 'unknown');
    if (exportState(found, clock.now()).state !== 'ready') {
      const ctx = pageContext(req, reply);
      return sendPage(reply, ctx, ctx.t('mydata.expired.title'), <ExpiredView ctx={ctx} />, 410);
    }
    return sendArchive(req, reply, found, 'link');
  });
};

export default mydataRoutes;
