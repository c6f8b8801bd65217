import { formatDateTime } from '../../lib/i18n.ts';
import { formatMoney } from '../../lib/money.ts';
import { CsrfField, type PageContext } from '../../lib/page.tsx';
import { Paging } from '../account/account.views.tsx';
import type { PaperCustomer, PrintBatchSummary } from './documents.backoffice.queries.ts';

/*
 * The paper queue's page (`/gestion/papier`): who is to receive documents by post, the batch
 * to make for the print shop, and the latest batches with their files.
 */

export const PAPER_PATH = '/gestion/papier';
export const batchFileHref = (id: string) => `${PAPER_PATH}/lots/${id}/imprimeur.csv`;
const customerHref = (number: string) => `/gestion/clients/${encodeURIComponent(number)}`;

export interface PaperPageData {
  counts: { customers: number; documents: number };
  customers: PaperCustomer[];
  page: number;
  batches: PrintBatchSummary[];
  /** The batch just made, to download; or that there was nothing to print. */
  made: PrintBatchSummary | 'nothing' | null;
}

export function PaperQueueView({ ctx, data }: { ctx: PageContext; data: PaperPageData }) {
  const { t } = ctx;
  const { counts, made } = data;
  return (
    <>
      <h1>{t('documents.paper.title')}</h1>
      {made === 'nothing' && (
        <div class="notice" role="status">
          <p>{t('documents.paper.nothing')}</p>
        </div>
      )}
      {made && made !== 'nothing' && (
        <div class="notice" role="status">
          <p>{t('documents.paper.made', { documents: made.documents, customers: made.customers })}</p>
          <p>
            <a href={batchFileHref(made.id)} download>
              {t('documents.paper.download')}
            </a>
          </p>
        </div>
      )}
      <p>{t('documents.paper.intro')}</p>
      <p>
        <strong>{t('documents.paper.counts', counts)}</strong>
      </p>
      {counts.documents > 0 && (
        <form method="post" action={`${PAPER_PATH}/lots`}>
          <CsrfField ctx={ctx} />
          <p class="hint" id="lot-hint">
            {t('documents.paper.batch.hint')}
          </p>
          <button type="submit" class="button" aria-describedby="lot-hint">
            {t('documents.paper.batch', counts)}
          </button>
        </form>
      )}
      {data.customers.length > 0 && (
        <table class="stack">
          <caption>{t('documents.paper.caption', counts)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('documents.paper.col.customer')}</th>
              <th scope="col">{t('documents.paper.col.address')}</th>
              <th scope="col" class="num">
                {t('documents.paper.col.count')}
              </th>
              <th scope="col">{t('documents.paper.col.documents')}</th>
              <th scope="col" class="num">
                {t('documents.paper.col.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.customers.map((c) => (
              <tr key={c.id}>
                <th scope="row" data-label={t('documents.paper.col.customer')}>
                  <span>
                    <a href={customerHref(c.number)}>{c.number}</a> {c.name}
                  </span>
                </th>
                <td data-label={t('documents.paper.col.address')}>
                  <span>
                    {[c.address.line1, c.address.line2, `${c.address.postalCode} ${c.address.city}`, c.address.country]
                      .filter((l): l is string => Boolean(l))
                      .map((l, i) => (
                        <span class="line" key={i}>
                          {l}
                        </span>
                      ))}
                  </span>
                </td>
                <td class="num" data-label={t('documents.paper.col.count')}>
                  {c.documents.length}
                </td>
                <td data-label={t('documents.paper.col.documents')}>{c.documents.map((d) => d.number).join(', ')}</td>
                <td class="num" data-label={t('documents.paper.col.amount')}>
                  {formatMoney(c.netTtcCents, ctx.lang)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Paging ctx={ctx} page={data.page} total={counts.customers} summary="documents.paper.page" href={(page) => `${PAPER_PATH}?page=${page}`} />

      <section class="panel" aria-labelledby="lots">
        <h2 id="lots">{t('documents.paper.batches')}</h2>
        {data.batches.length === 0 ? (
          <p>{t('documents.paper.batches.none')}</p>
        ) : (
          <table class="stack">
            <caption class="dd-sr">{t('documents.paper.batches')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('documents.paper.batches.when')}</th>
                <th scope="col">{t('documents.paper.batches.who')}</th>
                <th scope="col" class="num">
                  {t('documents.paper.batches.customers')}
                </th>
                <th scope="col" class="num">
                  {t('documents.paper.batches.documents')}
                </th>
                <th scope="col">{t('documents.paper.batches.file')}</th>
              </tr>
            </thead>
            <tbody>
              {data.batches.map((b) => (
                <tr key={b.id}>
                  <th scope="row" data-label={t('documents.paper.batches.when')}>
                    {formatDateTime(b.createdAt, ctx.lang)}
                  </th>
                  <td data-label={t('documents.paper.batches.who')}>{b.createdBy}</td>
                  <td class="num" data-label={t('documents.paper.batches.customers')}>
                    {b.customers}
                  </td>
                  <td class="num" data-label={t('documents.paper.batches.documents')}>
                    {b.documents}
                  </td>
                  <td data-label={t('documents.paper.batches.file')}>
                    <a href={batchFileHref(b.id)} download aria-label={t('documents.paper.batches.fileLabel', { date: formatDateTime(b.createdAt, ctx.lang) })}>
                      {t('documents.paper.batches.csv')}
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
