import { type MessageKey, formatDateTime } from '../../lib/i18n.ts';
import { type PageContext, PostButton, StatusMessage } from '../../lib/page.tsx';
import { Paging } from '../account/account.views.tsx';
import type { RequeueOutcome } from './mail.backoffice.ts';
import { OUTBOX_STATES, type OutboxFilters, type OutboxRow, type OutboxState } from './mail.backoffice.queries.ts';

/*
 * The outbox page (`/gestion/emails`): the e-mails waiting, sent, failing and given up, with
 * their failure reason and "retry". Never what they said.
 */

export const EMAILS_PATH = '/gestion/emails';

/** The list's URL for these filters and page (`etat`, `destinataire`, `modele`, `page`). */
export function emailsHref(f: OutboxFilters, page = 1): string {
  const q = new URLSearchParams();
  if (f.state) q.set('etat', f.state);
  if (f.recipient) q.set('destinataire', f.recipient);
  if (f.template) q.set('modele', f.template);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `${EMAILS_PATH}?${s}` : EMAILS_PATH;
}

const stateOf = (r: OutboxRow): OutboxState => (r.status === 'pending' ? (r.attempts > 0 ? 'failing' : 'pending') : r.status);

export interface EmailsPageData {
  filters: OutboxFilters;
  templates: string[];
  rows: OutboxRow[];
  total: number;
  page: number;
  /** What the last "retry" did, and to which message. */
  retried: { outcome: RequeueOutcome; recipient: string; template: string } | null;
}

const retriedKey: Record<Exclude<RequeueOutcome, 'not_found'>, MessageKey> = {
  requeued: 'mail.bo.retried.requeued',
  content_forgotten: 'mail.bo.retried.forgotten',
  already_sent: 'mail.bo.retried.sent',
  not_failed: 'mail.bo.retried.notFailed',
  in_flight: 'mail.bo.retried.inFlight',
};

function Retried({ ctx, retried }: { ctx: PageContext; retried: NonNullable<EmailsPageData['retried']> }) {
  if (retried.outcome === 'not_found') return null;
  const text = ctx.t(retriedKey[retried.outcome], { recipient: retried.recipient, template: retried.template });
  return retried.outcome === 'requeued' ? (
    <div class="notice" role="status">
      <p>{text}</p>
    </div>
  ) : (
    <StatusMessage alert>{text}</StatusMessage>
  );
}

/** The retry button of a message that can be sent again; what to do instead for one that cannot. */
function RetryCell({ ctx, row, back }: { ctx: PageContext; row: OutboxRow; back: string }) {
  const { t } = ctx;
  const state = stateOf(row);
  if (state === 'dead' && row.forgotten) return <span class="hint">{t('mail.bo.cannotResend')}</span>;
  if ((state === 'dead' || state === 'failing') && !row.inFlight) {
    return (
      <PostButton ctx={ctx} action={`${EMAILS_PATH}/${row.id}/nouvel-essai`} class="button dd-secondary" label={t('mail.bo.retry.label', { recipient: row.recipient, subject: row.subject })} fields={{ retour: back }}>
        {t('mail.bo.retry')}
      </PostButton>
    );
  }
  return null;
}

export function EmailsView({ ctx, data }: { ctx: PageContext; data: EmailsPageData }) {
  const { t } = ctx;
  const { filters } = data;
  const back = emailsHref(filters, data.page);
  return (
    <>
      <h1>{t('mail.bo.title')}</h1>
      {data.retried && <Retried ctx={ctx} retried={data.retried} />}
      <p>{t('mail.bo.intro')}</p>
      <form method="get" action={EMAILS_PATH} class="filters" aria-label={t('mail.bo.filters')}>
        <div class="field">
          <label for="f-etat">{t('mail.bo.filter.state')}</label>
          <select id="f-etat" name="etat">
            <option value="">{t('mail.bo.filter.all')}</option>
            {OUTBOX_STATES.map((s) => (
              <option key={s} value={s} selected={filters.state === s}>
                {t(`mail.bo.state.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-destinataire">{t('mail.bo.filter.recipient')}</label>
          <input id="f-destinataire" name="destinataire" type="text" value={filters.recipient} autocomplete="off" spellcheck={false} />
        </div>
        <div class="field">
          <label for="f-modele">{t('mail.bo.filter.template')}</label>
          <select id="f-modele" name="modele">
            <option value="">{t('mail.bo.filter.all')}</option>
            {data.templates.map((m) => (
              <option key={m} value={m} selected={filters.template === m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div class="filter-actions">
          <button type="submit" class="button">
            {t('mail.bo.filter.apply')}
          </button>
          <a href={EMAILS_PATH}>{t('mail.bo.filter.reset')}</a>
        </div>
      </form>
      {data.rows.length === 0 ? (
        <p>{t('mail.bo.empty')}</p>
      ) : (
        <table class="stack">
          <caption>{t('mail.bo.caption', { count: data.total })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('mail.bo.col.recipient')}</th>
              <th scope="col">{t('mail.bo.col.subject')}</th>
              <th scope="col">{t('mail.bo.col.template')}</th>
              <th scope="col">{t('mail.bo.col.state')}</th>
              <th scope="col" class="num">
                {t('mail.bo.col.attempts')}
              </th>
              <th scope="col">{t('mail.bo.col.error')}</th>
              <th scope="col">{t('mail.bo.col.dates')}</th>
              <th scope="col">{t('mail.bo.col.action')}</th>
            </tr>
          </thead>
          <tbody>
            {data.rows.map((r) => {
              const state = stateOf(r);
              return (
                <tr key={r.id}>
                  <th scope="row" data-label={t('mail.bo.col.recipient')}>
                    <span class="bo-address">{r.recipient}</span>
                  </th>
                  <td data-label={t('mail.bo.col.subject')}>{r.subject}</td>
                  <td data-label={t('mail.bo.col.template')}>
                    <span class="dd-mono">{r.template}</span>
                  </td>
                  <td data-label={t('mail.bo.col.state')}>
                    <span class={`bo-mail bo-mail-${state}`}>{t(r.inFlight ? 'mail.bo.state.inFlight' : `mail.bo.state.${state}`)}</span>
                  </td>
                  <td class="num" data-label={t('mail.bo.col.attempts')}>
                    {r.attempts}
                  </td>
                  <td data-label={t('mail.bo.col.error')}>{r.lastError ? <span class="bo-error">{r.lastError}</span> : <span class="muted">—</span>}</td>
                  <td data-label={t('mail.bo.col.dates')}>
                    <span>
                      <span class="line">{t('mail.bo.date.created', { date: formatDateTime(r.createdAt, ctx.lang) })}</span>
                      {r.sentAt && <span class="line">{t('mail.bo.date.sent', { date: formatDateTime(r.sentAt, ctx.lang) })}</span>}
                      {r.status === 'pending' && <span class="line">{t('mail.bo.date.next', { date: formatDateTime(r.nextAttemptAt, ctx.lang) })}</span>}
                    </span>
                  </td>
                  <td data-label={t('mail.bo.col.action')}>
                    <RetryCell ctx={ctx} row={r} back={back} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Paging ctx={ctx} page={data.page} total={data.total} summary="mail.bo.page" href={(page) => emailsHref(filters, page)} />
    </>
  );
}
