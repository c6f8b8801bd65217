import type { BadgeReason } from '../../db/schema.ts';
import { ErrorSummary, type FormErrors, FieldErrorText } from '../../lib/forms.tsx';
import { formatDate } from '../../lib/i18n.ts';
import { formatMoney } from '../../lib/money.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import type { MessageKey } from '../../lib/i18n.ts';
import type { OwnContract, QueueRow, Replacement } from './badges.queries.ts';
import { BADGE_REASONS, completed, mustReturnOldBadge, orderable } from './badges.rules.ts';

/*
 * Badges: the customer's page (`/contrats/:number/badge`) and the back office's queue (`/gestion/badges`).
 */

export const badgePath = (contractNumber: string) => `/contrats/${encodeURIComponent(contractNumber)}/badge`;
export const BADGES_PATH = '/gestion/badges';

export type ReportField = 'reason';
export interface BadgePageData {
  contract: OwnContract;
  /** The replacement of the current badge, if reported. */
  current: Replacement | null;
  /** Replacements done before (the badge was replaced already). */
  history: Replacement[];
  feeCents: number;
  notice: { key: MessageKey; alert?: boolean } | null;
  reason: BadgeReason | null;
  errors: FormErrors<ReportField>;
}

function ReportForm({ ctx, data }: { ctx: PageContext; data: BadgePageData }) {
  const { t } = ctx;
  const errors = data.errors;
  return (
    <section class="panel" aria-labelledby="report">
      <h2 id="report">{t('badges.report.title')}</h2>
      <p id="report-hint">{t('badges.report.hint', { fee: formatMoney(data.feeCents, ctx.lang) })}</p>
      <ErrorSummary t={t} errors={errors} labels={{ reason: t('badges.report.reason') }} anchors={{ reason: `reason-${BADGE_REASONS[0]}` }} title="badges.report.errorSummary" level={3} />
      <form method="post" action={`${badgePath(data.contract.number)}/signalement`} novalidate class="badge-form">
        <CsrfField ctx={ctx} />
        <fieldset class={errors.reason ? 'choice has-error' : 'choice'} aria-describedby={errors.reason ? 'reason-error' : undefined}>
          <legend>{t('badges.report.reason')}</legend>
          <FieldErrorText t={t} name="reason" errors={errors.reason} />
          {BADGE_REASONS.map((r) => (
            <div class="radio-item" key={r}>
              <input type="radio" id={`reason-${r}`} name="reason" value={r} checked={data.reason === r} />
              <label for={`reason-${r}`}>{t(`badges.reason.${r}`)}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" class="button" aria-describedby="report-hint">
          {t('badges.report.submit', { badge: data.contract.badge_number ?? '' })}
        </button>
      </form>
    </section>
  );
}

function ReplacementPanel({ ctx, data, r }: { ctx: PageContext; data: BadgePageData; r: Replacement }) {
  const { t, lang } = ctx;
  const fee = r.fee_cents ?? data.feeCents;
  return (
    <section class="panel" aria-labelledby="replacement">
      <h2 id="replacement">{t('badges.replacement.title')}</h2>
      <dl class="facts">
        <dt>{t('badges.facts.blocked')}</dt>
        <dd>{t('badges.facts.blockedValue', { badge: r.badge_number, date: formatDate(r.created_at, lang), reason: t(`badges.reason.${r.reason}`) })}</dd>
        <dt>{t('badges.facts.state')}</dt>
        <dd>
          <strong>{t(`badges.state.${r.status}`)}</strong>
        </dd>
        <dt>{t('badges.facts.fee')}</dt>
        <dd>{t('badges.facts.feeValue', { fee: formatMoney(fee, lang) })}</dd>
        {r.paid_at && (
          <>
            <dt>{t('badges.facts.paid')}</dt>
            <dd>{formatDate(r.paid_at, lang)}</dd>
          </>
        )}
      </dl>
      {mustReturnOldBadge(r.reason) && <p>{t('badges.return')}</p>}
      {orderable(r.status) && (
        <form method="post" action={`${badgePath(data.contract.number)}/commande`}>
          <CsrfField ctx={ctx} />
          <p id="order-hint">{t('badges.order.hint')}</p>
          <button type="submit" class="button" aria-describedby="order-hint">
            {t('badges.order.submit', { fee: formatMoney(fee, lang) })}
          </button>
        </form>
      )}
      {r.status === 'paid' && <p>{t('badges.paid.next')}</p>}
    </section>
  );
}

export function BadgePageView({ ctx, data }: { ctx: PageContext; data: BadgePageData }) {
  const { t, lang } = ctx;
  const c = data.contract;
  return (
    <>
      <h1>{t('badges.title', { number: c.number })}</h1>
      {data.notice && <StatusMessage alert={data.notice.alert ?? false}>{t(data.notice.key)}</StatusMessage>}
      <dl class="facts">
        <dt>{t('badges.facts.carPark')}</dt>
        <dd>{c.car_park_name}</dd>
        <dt>{t('badges.facts.badge')}</dt>
        <dd>
          {c.badge_number ?? t('badges.none')}
          {data.current && !completed(data.current.status) ? ` — ${t('badges.blocked')}` : ''}
        </dd>
      </dl>
      {data.current ? <ReplacementPanel ctx={ctx} data={data} r={data.current} /> : c.badge_number && c.status !== 'ended' ? <ReportForm ctx={ctx} data={data} /> : <p>{t('badges.noBadge')}</p>}
      {data.history.length > 0 && (
        <section aria-labelledby="history">
          <h2 id="history">{t('badges.history.title')}</h2>
          <ul>
            {data.history.map((h) => (
              <li key={h.id}>
                {t(`badges.history.${h.status === 'posted' ? 'posted' : 'handedOver'}`, { old: h.badge_number, badge: h.new_badge_number ?? '', date: formatDate(h.completed_at ?? h.created_at, lang) })}
              </li>
            ))}
          </ul>
        </section>
      )}
      <p>
        <a href={`/contrats/${encodeURIComponent(c.number)}`}>{t('badges.back', { number: c.number })}</a>
      </p>
    </>
  );
}

/** On Contrats, beside a contract's badge: its state and the way to report it. */
export function BadgeLink({ ctx, contractNumber, blocked }: { ctx: PageContext; contractNumber: string; blocked: boolean }) {
  return (
    <span class="line">
      {blocked && <strong>{ctx.t('badges.blocked')} </strong>}
      <a href={badgePath(contractNumber)}>{ctx.t(blocked ? 'badges.link.follow' : 'badges.link.report')}</a>
    </span>
  );
}

// ---------------------------------------------------------------- back office

export interface QueueData {
  rows: QueueRow[];
  waiting: number;
  notice: { key: MessageKey; alert?: boolean } | null;
  /** The row whose form was refused, with what was typed and why. */
  refused: { id: string; typed: string; key: MessageKey } | null;
  isAdmin: boolean;
}

const customerName = (r: QueueRow) => r.company_name ?? [r.last_name, r.first_name].filter(Boolean).join(' ');

export function BadgeQueueView({ ctx, data }: { ctx: PageContext; data: QueueData }) {
  const { t, lang } = ctx;
  return (
    <>
      <h1>{t('badges.bo.title')}</h1>
      {data.notice && <StatusMessage alert={data.notice.alert ?? false}>{t(data.notice.key)}</StatusMessage>}
      <p>{t('badges.bo.waiting', { count: data.waiting })}</p>
      {data.isAdmin && (
        <p>
          <a href={`${BADGES_PATH}/tarifs`}>{t('badges.bo.fees.link')}</a>
        </p>
      )}
      {data.rows.length === 0 ? (
        <p>{t('badges.bo.empty')}</p>
      ) : (
        data.rows.map((r) => {
          const refused = data.refused?.id === r.id ? data.refused : null;
          const field = `badge-${r.id}`;
          return (
            <article class="panel" key={r.id} aria-labelledby={`title-${r.id}`}>
              <h2 id={`title-${r.id}`}>{t('badges.bo.item', { contract: r.contract_number, badge: r.badge_number })}</h2>
              <dl class="facts">
                <dt>{t('badges.bo.col.customer')}</dt>
                <dd>
                  <a href={`/gestion/clients/${encodeURIComponent(r.customer_number)}`}>{r.customer_number}</a> {customerName(r)}
                </dd>
                <dt>{t('badges.facts.carPark')}</dt>
                <dd>{r.car_park_name}</dd>
                <dt>{t('badges.bo.col.reason')}</dt>
                <dd>{t(`badges.reason.${r.reason}`)}</dd>
                <dt>{t('badges.facts.paid')}</dt>
                <dd>{r.paid_at ? formatDate(r.paid_at, lang) : '—'}</dd>
              </dl>
              {mustReturnOldBadge(r.reason) && <p>{t('badges.bo.return')}</p>}
              <form method="post" action={`${BADGES_PATH}/${r.id}`} novalidate>
                <CsrfField ctx={ctx} />
                <div class={refused ? 'field has-error' : 'field'}>
                  <label for={field}>{t('badges.bo.newBadge')}</label>
                  {refused && (
                    <p class="field-error" id={`${field}-error`}>
                      {t(refused.key)}
                    </p>
                  )}
                  <input id={field} name="badge" type="text" value={refused?.typed ?? ''} autocomplete="off" aria-invalid={refused ? 'true' : undefined} aria-describedby={refused ? `${field}-error` : undefined} />
                </div>
                <button type="submit" class="button" name="delivery" value="handed_over">
                  {t('badges.bo.handedOver')}
                </button>{' '}
                <button type="submit" class="button" name="delivery" value="posted">
                  {t('badges.bo.posted')}
                </button>
              </form>
            </article>
          );
        })
      )}
    </>
  );
}

export interface FeesData {
  fees: { product: string; cents: number; typed?: string; wrong?: boolean }[];
  notice: MessageKey | null;
}

export function BadgeFeesView({ ctx, data }: { ctx: PageContext; data: FeesData }) {
  const { t } = ctx;
  const wrong = data.fees.some((f) => f.wrong);
  return (
    <>
      <h1>{t('badges.bo.fees.title')}</h1>
      {data.notice && <StatusMessage>{t(data.notice)}</StatusMessage>}
      {wrong && <StatusMessage alert>{t('badges.bo.fees.wrong')}</StatusMessage>}
      <form method="post" action={`${BADGES_PATH}/tarifs`} novalidate class="panel">
        <CsrfField ctx={ctx} />
        {data.fees.map((f) => (
          <div class={f.wrong ? 'field has-error' : 'field'} key={f.product}>
            <label for={`fee-${f.product}`}>{t('badges.bo.fees.label', { product: t(`product.${f.product}` as MessageKey) })}</label>
            {f.wrong && (
              <p class="field-error" id={`fee-${f.product}-error`}>
                {t('badges.bo.fees.fieldWrong')}
              </p>
            )}
            <input
              id={`fee-${f.product}`}
              name={f.product}
              type="text"
              inputmode="decimal"
              value={f.typed ?? (f.cents / 100).toFixed(2).replace('.', ',')}
              aria-invalid={f.wrong ? 'true' : undefined}
              aria-describedby={f.wrong ? `fee-${f.product}-error` : undefined}
            />
          </div>
        ))}
        <button type="submit" class="button">
          {t('badges.bo.fees.submit')}
        </button>
      </form>
      <p>
        <a href={BADGES_PATH}>{t('badges.bo.fees.back')}</a>
      </p>
    </>
  );
}
