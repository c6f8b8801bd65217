import { formatDate, formatDateTime } from '../../lib/i18n.ts';
import type { PageContext } from '../../lib/page.tsx';
import { Paging } from '../account/account.views.tsx';
import { displayName } from '../customers/customers.service.ts';
import { formatMonth } from '../statements/statements.views.tsx';
import type { RenewalNoticeRow } from './renewals.queries.ts';

/*
 * "Renouvellements" (`/gestion/renouvellements`): the loi Chatel notices sent — contract,
 * customer, renewal and deadline, when, by e-mail or a letter to post, on time or late —
 * filtered by the Paris month they were sent in.
 */

export const RENEWALS_PATH = '/gestion/renouvellements';

/** The list's URL for this month (null: all) and page. */
export function renewalsHref(month: string | null, page = 1): string {
  const q = new URLSearchParams();
  if (month) q.set('mois', month);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `${RENEWALS_PATH}?${s}` : RENEWALS_PATH;
}

export interface RenewalsPageData {
  month: string | null;
  /** The months the filter offers, latest first. */
  months: string[];
  rows: RenewalNoticeRow[];
  total: number;
  page: number;
}

export function RenewalsView({ ctx, data }: { ctx: PageContext; data: RenewalsPageData }) {
  const { t, lang } = ctx;
  return (
    <>
      <h1>{t('renewals.bo.title')}</h1>
      <p>{t('renewals.bo.intro')}</p>
      <form method="get" action={RENEWALS_PATH} class="filters" aria-label={t('renewals.bo.filters')}>
        <div class="field">
          <label for="f-mois">{t('renewals.bo.filter.month')}</label>
          <select id="f-mois" name="mois">
            <option value="">{t('renewals.bo.filter.all')}</option>
            {data.months.map((m) => (
              <option key={m} value={m} selected={data.month === m}>
                {formatMonth(m, lang)}
              </option>
            ))}
          </select>
        </div>
        <div class="filter-actions">
          <button type="submit" class="button">
            {t('renewals.bo.filter.apply')}
          </button>
          <a href={RENEWALS_PATH}>{t('renewals.bo.filter.reset')}</a>
        </div>
      </form>
      {data.rows.length === 0 ? (
        <p>{t('renewals.bo.empty')}</p>
      ) : (
        <table class="stack">
          <caption>{t('renewals.bo.caption', { count: data.total })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('renewals.bo.col.contract')}</th>
              <th scope="col">{t('renewals.bo.col.customer')}</th>
              <th scope="col">{t('renewals.bo.col.renewal')}</th>
              <th scope="col">{t('renewals.bo.col.deadline')}</th>
              <th scope="col">{t('renewals.bo.col.sent')}</th>
              <th scope="col">{t('renewals.bo.col.channel')}</th>
              <th scope="col">{t('renewals.bo.col.timing')}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => (
              <tr key={r.id}>
                <th scope="row" data-label={t('renewals.bo.col.contract')}>
                  {r.contractNumber}
                </th>
                <td data-label={t('renewals.bo.col.customer')}>
                  <a href={`/gestion/clients/${encodeURIComponent(r.customerNumber)}`}>
                    {displayName(r.customerName)} ({r.customerNumber})
                  </a>
                </td>
                <td data-label={t('renewals.bo.col.renewal')}>{formatDate(r.renewalDate, lang)}</td>
                <td data-label={t('renewals.bo.col.deadline')}>{formatDate(r.deadline, lang)}</td>
                <td data-label={t('renewals.bo.col.sent')}>{formatDateTime(r.sentAt, lang)}</td>
                <td data-label={t('renewals.bo.col.channel')}>{t(r.channel === 'email' ? 'renewals.bo.channel.email' : 'renewals.bo.channel.letter')}</td>
                <td data-label={t('renewals.bo.col.timing')}>{r.late ? <strong>{t('renewals.bo.late')}</strong> : t('renewals.bo.onTime')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Paging ctx={ctx} page={data.page} total={data.total} summary="renewals.bo.page" href={(page) => renewalsHref(data.month, page)} />
    </>
  );
}
