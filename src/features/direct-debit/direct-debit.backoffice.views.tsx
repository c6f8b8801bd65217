import type { MandateStatus } from '../../db/schema.ts';
import { ErrorSummary, Field, type FormError, TextAreaField } from '../../lib/forms.tsx';
import { type MessageKey, formatDate, formatDateTime } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import { Paging } from '../account/account.views.tsx';
import { displayName } from '../customers/customers.service.ts';
import type { MandateHistoryEntry, MandateListRow, PaperMandateCustomer, StaffMandateView } from './direct-debit.backoffice.queries.ts';
import type { DirectDebitKey } from './direct-debit.messages.ts';
import { type PaperField, type PaperMandateErrors, type PaperMandateValues, REJECTION_REASON_MAX, friendlyIban } from './direct-debit.rules.ts';
import { ContractsFieldset, DebtorFacts, MaskedIban, TextField, mandateFieldLabels } from './direct-debit.views.tsx';

/*
 * Customer service's mandate pages (`/gestion/mandats`): the queue and the list by state, one
 * mandate with its decision, and the paper mandate form. The IBAN is masked; the full IBAN
 * appears only on the answer to an admin's "show" (`revealed`).
 */

export const MANDATES_PATH = '/gestion/mandats';
export const customerHref = (number: string) => `/gestion/clients/${encodeURIComponent(number)}`;
const mandateHref = (id: string) => `${MANDATES_PATH}/${id}`;

function StaffStatus({ ctx, status }: { ctx: PageContext; status: MandateStatus }) {
  return <span class={`dd-status dd-status-${status}`}>{ctx.t(`directDebit.bo.status.${status}`)}</span>;
}

/** A notice after a step (`?ok=`), or a refusal that is not a form's. */
export type MandateNotice = { key: DirectDebitKey; params?: Record<string, string>; kind: 'status' | 'error' } | null;

function Notice({ ctx, notice }: { ctx: PageContext; notice: MandateNotice }) {
  if (!notice) return null;
  return notice.kind === 'error' ? (
    <StatusMessage alert>{ctx.t(notice.key, notice.params)}</StatusMessage>
  ) : (
    <div class="notice" role="status">
      <p>{ctx.t(notice.key, notice.params)}</p>
    </div>
  );
}

// ---------------------------------------------------------------- the list

export interface MandateListData {
  status: MandateStatus;
  states: readonly MandateStatus[];
  counts: Record<MandateStatus, number>;
  rows: MandateListRow[];
  total: number;
  page: number;
}

export const listHref = (status: MandateStatus, page = 1) => `${MANDATES_PATH}?etat=${status}${page > 1 ? `&page=${page}` : ''}`;

export function MandateListView({ ctx, data }: { ctx: PageContext; data: MandateListData }) {
  const { t } = ctx;
  const { status, rows } = data;
  return (
    <>
      <h1>{t('directDebit.bo.title')}</h1>
      <p>
        <a class="button" href={`${MANDATES_PATH}/papier`}>
          {t('directDebit.bo.paper.link')}
        </a>
      </p>
      <nav aria-label={t('directDebit.bo.states')} class="paging bo-states">
        <ul>
          {data.states.map((s) => (
            <li key={s}>
              <a href={listHref(s)} aria-current={s === status ? 'page' : undefined}>
                {t('directDebit.bo.state', { state: t(`directDebit.bo.states.${s}`), count: data.counts[s] })}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <p>{t(`directDebit.bo.empty.${status}`)}</p>
      ) : (
        <table class="stack">
          <caption>{t(status === 'to_validate' ? 'directDebit.bo.caption.queue' : 'directDebit.bo.caption', { state: t(`directDebit.bo.states.${status}`), count: data.total })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('directDebit.bo.col.rum')}</th>
              <th scope="col">{t('directDebit.bo.col.customer')}</th>
              <th scope="col">{t('directDebit.bo.col.holder')}</th>
              <th scope="col">{t('directDebit.bo.col.iban')}</th>
              <th scope="col">{t('directDebit.bo.col.source')}</th>
              <th scope="col">{t('directDebit.bo.col.signed')}</th>
              {status !== 'to_validate' && <th scope="col">{t('directDebit.bo.col.updated')}</th>}
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr key={m.id}>
                <th scope="row" data-label={t('directDebit.bo.col.rum')}>
                  <a href={mandateHref(m.id)} class="dd-rum">
                    {m.rum}
                  </a>
                </th>
                <td data-label={t('directDebit.bo.col.customer')}>
                  <span>
                    <a href={customerHref(m.customerNumber)}>{m.customerNumber}</a> {m.customerName}
                  </span>
                </td>
                <td data-label={t('directDebit.bo.col.holder')}>{m.holderName}</td>
                <td data-label={t('directDebit.bo.col.iban')}>
                  <MaskedIban ctx={ctx} mandate={m} />
                </td>
                <td data-label={t('directDebit.bo.col.source')}>{t(`directDebit.bo.source.${m.source}`)}</td>
                <td data-label={t('directDebit.bo.col.signed')}>{m.signedAt ? formatDate(m.signedAt, ctx.lang) : '—'}</td>
                {status !== 'to_validate' && <td data-label={t('directDebit.bo.col.updated')}>{formatDate(m.updatedAt, ctx.lang)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Paging ctx={ctx} page={data.page} total={data.total} summary="directDebit.bo.page" href={(page) => listHref(status, page)} />
    </>
  );
}

// ---------------------------------------------------------------- one mandate

export interface MandatePageData {
  mandate: StaffMandateView;
  history: MandateHistoryEntry[];
  isAdmin: boolean;
  /** The full IBAN, on the answer to an admin's request to see it. */
  revealed: string | null;
  notice: MandateNotice;
  /** The rejection form, as typed, and what is wrong with it. */
  reason: string;
  reasonError: FormError | undefined;
}

const historyKey: Record<MandateHistoryEntry['action'], MessageKey> = {
  'mandate.create': 'directDebit.bo.history.create',
  'mandate.sign': 'directDebit.bo.history.sign',
  'mandate.validate': 'directDebit.bo.history.validate',
  'mandate.reject': 'directDebit.bo.history.reject',
  'mandate.revoke': 'directDebit.bo.history.revoke',
  'mandate.paper_record': 'directDebit.bo.history.paper',
  'mandate.replace': 'directDebit.bo.history.replace',
  'mandate.lapse': 'directDebit.bo.history.lapse',
};

export function MandatePageView({ ctx, data }: { ctx: PageContext; data: MandatePageData }) {
  const { t } = ctx;
  const { mandate: m } = data;
  const base = mandateHref(m.id);
  const decided = m.decidedAt ? { name: m.decidedBy ?? t('directDebit.bo.someone'), date: formatDateTime(m.decidedAt, ctx.lang) } : null;
  return (
    <>
      <p>
        <a href={listHref(m.status)}>{t('directDebit.bo.back')}</a>
      </p>
      <h1>{t('directDebit.bo.mandate.title', { rum: m.rum })}</h1>
      <Notice ctx={ctx} notice={data.notice} />
      <ErrorSummary t={t} errors={{ reason: data.reasonError ? [data.reasonError] : undefined }} labels={{ reason: t('directDebit.bo.reject.reason') }} title="directDebit.form.errorSummary" />
      <section class="panel" aria-labelledby="le-mandat">
        <h2 id="le-mandat">{t('directDebit.bo.mandate.facts')}</h2>
        {m.replaces && (
          <p>
            <a href={mandateHref(m.replaces.id)}>{t('directDebit.bo.replaces', { rum: m.replaces.rum })}</a>
          </p>
        )}
        <dl class="facts">
          <dt>{t('directDebit.field.status')}</dt>
          <dd>
            <StaffStatus ctx={ctx} status={m.status} />
          </dd>
          <dt>{t('directDebit.bo.col.customer')}</dt>
          <dd>
            <a href={customerHref(m.customer.number)}>{m.customer.number}</a> {m.customer.name}
          </dd>
          <dt>{t('directDebit.field.rum')}</dt>
          <dd class="dd-rum">{m.rum}</dd>
          <dt>{t('directDebit.bo.col.source')}</dt>
          <dd>{t(`directDebit.bo.source.${m.source}`)}</dd>
          <DebtorFacts
            ctx={ctx}
            mandate={m}
            iban={
              data.revealed ? (
                <>
                  <span class="dd-iban" id="iban-complet">
                    {friendlyIban(data.revealed)}
                  </span>
                  <span class="line hint">{t('directDebit.bo.iban.audited')}</span>
                </>
              ) : undefined
            }
          />
          <dt>{t('directDebit.field.signed')}</dt>
          <dd>
            {m.signedAt
              ? t('directDebit.signedValue', {
                  // A paper mandate bears a day, not a time.
                  date: m.source === 'paper' ? formatDate(m.signedAt, ctx.lang) : formatDateTime(m.signedAt, ctx.lang),
                  place: m.signaturePlace ?? '',
                })
              : t('directDebit.bo.notSigned')}
          </dd>
          {decided && (
            <>
              <dt>{t('directDebit.bo.decision')}</dt>
              <dd>
                {t(m.source === 'paper' ? 'directDebit.bo.decision.paper' : m.status === 'rejected' ? 'directDebit.bo.decision.rejected' : 'directDebit.bo.decision.validated', decided)}
              </dd>
            </>
          )}
          {m.rejectionReason && (
            <>
              <dt>{t('directDebit.bo.reason')}</dt>
              <dd>{m.rejectionReason}</dd>
            </>
          )}
          {m.revokedAt && (
            <>
              <dt>{t('directDebit.bo.revoked')}</dt>
              <dd>{formatDateTime(m.revokedAt, ctx.lang)}</dd>
            </>
          )}
        </dl>
        {m.hasPdf ? (
          data.isAdmin ? (
            <p>
              <a href={`${base}/mandat.pdf`} download aria-label={t('directDebit.pdf.label', { rum: m.rum })}>
                {t('directDebit.pdf')}
              </a>
            </p>
          ) : (
            <p class="hint">{t('directDebit.bo.pdf.adminOnly')}</p>
          )
        ) : (
          m.source === 'paper' && <p class="hint">{t('directDebit.bo.paperOriginal')}</p>
        )}
        {data.isAdmin && !data.revealed && (
          <form method="post" action={`${base}/iban`} class="inline">
            <CsrfField ctx={ctx} />
            <p class="hint" id="iban-hint">
              {t('directDebit.bo.iban.hint')}
            </p>
            <button type="submit" class="button dd-secondary" aria-describedby="iban-hint">
              {t('directDebit.bo.iban.show')}
            </button>
          </form>
        )}
      </section>

      {m.status === 'to_validate' && (
        <section class="panel" aria-labelledby="decision">
          <h2 id="decision">{t('directDebit.bo.decide')}</h2>
          <p>{t('directDebit.bo.decide.intro')}</p>
          <form method="post" action={`${base}/validation`}>
            <CsrfField ctx={ctx} />
            <button type="submit" class="button">
              {t('directDebit.bo.validate')}
            </button>
          </form>
          <form method="post" action={`${base}/refus`} novalidate class="bo-reject">
            <CsrfField ctx={ctx} />
            <TextAreaField
              t={t}
              name="reason"
              label={
                <>
                  {t('directDebit.bo.reject.reason')} <span class="req">{t('directDebit.form.required')}</span>
                </>
              }
              hint={t('directDebit.bo.reject.hint', { max: REJECTION_REASON_MAX })}
              errors={data.reasonError && [data.reasonError]}
              rows={4}
              required
              value={data.reason}
            />
            <button type="submit" class="button dd-danger">
              {t('directDebit.bo.reject')}
            </button>
          </form>
        </section>
      )}

      <section class="panel" aria-labelledby="historique">
        <h2 id="historique">{t('directDebit.bo.history')}</h2>
        {data.history.length === 0 ? (
          <p>{t('directDebit.bo.history.none')}</p>
        ) : (
          <table class="stack">
            <caption class="dd-sr">{t('directDebit.bo.history.caption', { rum: m.rum })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('directDebit.bo.history.when')}</th>
                <th scope="col">{t('directDebit.bo.history.what')}</th>
                <th scope="col">{t('directDebit.bo.history.who')}</th>
              </tr>
            </thead>
            <tbody>
              {data.history.map((h, i) => (
                <tr key={i}>
                  <td data-label={t('directDebit.bo.history.when')}>{formatDateTime(h.at, ctx.lang)}</td>
                  <td data-label={t('directDebit.bo.history.what')}>{t(historyKey[h.action])}</td>
                  <td data-label={t('directDebit.bo.history.who')}>
                    {h.actor.type === 'customer' ? t('directDebit.bo.by.customer') : h.actor.type === 'staff' ? h.actor.name : t('directDebit.bo.someone')}
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

// ---------------------------------------------------------------- a paper mandate

/** Step one: whose mandate it is. */
export function PaperCustomerView({ ctx, number, error }: { ctx: PageContext; number: string; error: FormError | undefined }) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('directDebit.bo.paper.title')}</h1>
      <p>{t('directDebit.bo.paper.intro')}</p>
      <ErrorSummary t={t} errors={{ client: error ? [error] : undefined }} labels={{ client: t('directDebit.bo.paper.customer') }} title="directDebit.form.errorSummary" />
      <form method="get" action={`${MANDATES_PATH}/papier`} novalidate>
        <Field t={t} name="client" label={t('directDebit.bo.paper.customer')} value={number} errors={error ? [error] : undefined} hint={t('directDebit.bo.paper.customer.hint')} required />
        <button type="submit" class="button">
          {t('directDebit.bo.paper.continue')}
        </button>
      </form>
      <p>
        <a href={MANDATES_PATH}>{t('directDebit.bo.back')}</a>
      </p>
    </section>
  );
}

export interface PaperFormData {
  found: PaperMandateCustomer;
  values: PaperMandateValues;
  errors: PaperMandateErrors;
}

function PaperText(p: { ctx: PageContext; name: Exclude<PaperField, 'contracts'>; label: string; value: string; errors: PaperMandateErrors; hint?: string; optional?: boolean; type?: string; mono?: boolean }) {
  return (
    <TextField
      ctx={p.ctx}
      name={p.name}
      label={p.label}
      value={p.value}
      error={p.errors[p.name]}
      hint={p.hint}
      optional={p.optional}
      autocomplete="off"
      type={p.type}
      extra={p.mono ? { class: 'dd-mono', spellcheck: false } : undefined}
    />
  );
}

export function PaperMandateFormView({ ctx, form }: { ctx: PageContext; form: PaperFormData }) {
  const { t } = ctx;
  const { values, errors, found } = form;
  const { customer, contracts } = found;
  const labels: Record<PaperField, string> = {
    ...mandateFieldLabels(t),
    signed_on: t('directDebit.bo.paper.signedOn'),
    rum: t('directDebit.bo.paper.rum'),
  };
  const f = { ctx, errors };
  const title = (
    <>
      <h1>{t('directDebit.bo.paper.title')}</h1>
      <p>
        {t('directDebit.bo.paper.for')} <a href={customerHref(customer.number)}>{customer.number}</a> {displayName(customer)}
      </p>
    </>
  );
  if (found.inForce) {
    // One mandate in force at a time: the one there is must end first.
    return (
      <>
        {title}
        <StatusMessage alert>{t('directDebit.bo.paper.inForce', { rum: found.inForce.rum })}</StatusMessage>
        <p>
          <a href={mandateHref(found.inForce.id)}>{t('directDebit.bo.paper.seeInForce', { rum: found.inForce.rum })}</a>
        </p>
      </>
    );
  }
  return (
    <>
      {title}
      <ErrorSummary t={t} errors={errors} labels={labels} anchors={{ contracts: `contract-${contracts[0]?.id ?? ''}` }} title="directDebit.form.errorSummary" />
      <form method="post" action={`${MANDATES_PATH}/papier`} novalidate class="dd-form">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="client" value={customer.number} />
        <fieldset class="panel dd-group">
          <legend>{t('directDebit.form.debtor')}</legend>
          <PaperText {...f} name="holder" label={labels.holder} value={values.holder} />
          <PaperText {...f} name="street" label={labels.street} value={values.street} />
          <div class="dd-row">
            <PaperText {...f} name="postal_code" label={labels.postal_code} value={values.postal_code} />
            <PaperText {...f} name="city" label={labels.city} value={values.city} />
          </div>
          <PaperText {...f} name="country" label={labels.country} value={values.country} />
        </fieldset>
        <fieldset class="panel dd-group">
          <legend>{t('directDebit.form.account')}</legend>
          <PaperText {...f} name="iban" label={labels.iban} value={values.iban} hint={t('directDebit.bo.paper.iban.hint')} mono />
          <PaperText {...f} name="bic" label={labels.bic} value={values.bic} hint={t('directDebit.form.bic.hint')} optional mono />
        </fieldset>
        <ContractsFieldset
          ctx={ctx}
          legend={labels.contracts}
          hint={t('directDebit.bo.paper.contracts.hint')}
          errors={errors.contracts}
          contracts={contracts}
          checked={values.contracts}
          empty={t('directDebit.bo.paper.noContracts')}
        />
        <fieldset class="panel dd-group">
          <legend>{t('directDebit.bo.paper.signature')}</legend>
          <PaperText {...f} name="signed_on" label={labels.signed_on} value={values.signed_on} type="date" hint={t('directDebit.bo.paper.signedOn.hint')} />
          <PaperText {...f} name="place" label={labels.place} value={values.place} />
          <PaperText {...f} name="rum" label={labels.rum} value={values.rum} hint={t('directDebit.bo.paper.rum.hint')} optional mono />
        </fieldset>
        <p class="hint">{t('directDebit.bo.paper.effect')}</p>
        <p class="dd-actions">
          <button type="submit" class="button">
            {t('directDebit.bo.paper.submit')}
          </button>
          <a href={MANDATES_PATH}>{t('directDebit.form.cancel')}</a>
        </p>
      </form>
    </>
  );
}
