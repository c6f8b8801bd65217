import type { VehicleChangeStatus } from '../../db/schema.ts';
import { ErrorSummary, type FormErrors, TextAreaField } from '../../lib/forms.tsx';
import { type MessageKey, formatDate, formatDateTime } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import { displayName } from '../customers/customers.service.ts';
import { customerHref } from '../direct-debit/direct-debit.backoffice.views.tsx';
import type { StaffVehicleChange } from './vehicles.queries.ts';
import { plateText } from './vehicles.views.tsx';

/* The back office's "Véhicules à vérifier": the queue by state, one request with its certificate and the decision. */

export const VEHICLES_BO_PATH = '/gestion/vehicules';
export const changeHref = (id: string) => `${VEHICLES_BO_PATH}/${id}`;
const listHref = (status: VehicleChangeStatus) => `${VEHICLES_BO_PATH}?etat=${status}`;

const sizeText = (bytes: number, lang: string) => `${new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(bytes / 1024)} Ko`;

function changeText(ctx: PageContext, r: StaffVehicleChange) {
  const plate = plateText(r.plate, r.country, ctx.lang);
  return r.replaced_plate ? ctx.t('vehicles.bo.kind.replace', { old: plateText(r.replaced_plate, r.replaced_country ?? 'FR', ctx.lang), plate }) : ctx.t('vehicles.bo.kind.add', { plate });
}

export interface VehicleListData {
  status: VehicleChangeStatus;
  states: readonly VehicleChangeStatus[];
  counts: Record<VehicleChangeStatus, number>;
  rows: StaffVehicleChange[];
}

export function VehicleChangeListView({ ctx, data }: { ctx: PageContext; data: VehicleListData }) {
  const { t, lang } = ctx;
  const { status, rows } = data;
  return (
    <>
      <h1>{t('vehicles.bo.title')}</h1>
      <nav aria-label={t('vehicles.bo.states')} class="paging bo-states">
        <ul>
          {data.states.map((s) => (
            <li key={s}>
              <a href={listHref(s)} aria-current={s === status ? 'page' : undefined}>
                {t('directDebit.bo.state', { state: t(`vehicles.bo.state.${s}`), count: data.counts[s] })}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {rows.length === 0 ? (
        <p>{t('vehicles.bo.none')}</p>
      ) : (
        <table class="stack">
          <caption>{t('directDebit.bo.state', { state: t(`vehicles.bo.state.${status}`), count: data.counts[status] })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('vehicles.bo.col.date')}</th>
              <th scope="col">{t('vehicles.bo.col.customer')}</th>
              <th scope="col">{t('vehicles.bo.col.contract')}</th>
              <th scope="col">{t('vehicles.bo.col.change')}</th>
              <th scope="col">{t('vehicles.bo.col.from')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <th scope="row" data-label={t('vehicles.bo.col.date')}>
                  <a href={changeHref(r.id)}>{formatDateTime(r.created_at, lang)}</a>
                </th>
                <td data-label={t('vehicles.bo.col.customer')}>
                  <span>
                    <a href={customerHref(r.customer_number)}>{r.customer_number}</a> {displayName(r)}
                  </span>
                </td>
                <td data-label={t('vehicles.bo.col.contract')}>{r.contract_number}</td>
                <td data-label={t('vehicles.bo.col.change')}>{changeText(ctx, r)}</td>
                <td data-label={t('vehicles.bo.col.from')}>{formatDate(r.valid_from, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export interface VehicleChangePageData {
  change: StaffVehicleChange;
  notice: { key: MessageKey; kind: 'status' | 'error' } | null;
  reason: string;
  errors: FormErrors<'reason'>;
}

export function VehicleChangeView({ ctx, data }: { ctx: PageContext; data: VehicleChangePageData }) {
  const { t, lang } = ctx;
  const { change: r, notice, errors } = data;
  return (
    <>
      <p>
        <a href={listHref(r.status)}>{t('vehicles.bo.back')}</a>
      </p>
      <h1>{t('vehicles.bo.request.title', { contract: r.contract_number })}</h1>
      {notice && <StatusMessage alert={notice.kind === 'error'}>{t(notice.key)}</StatusMessage>}
      <dl class="facts">
        <dt>{t('vehicles.bo.state')}</dt>
        <dd>{t(`vehicles.bo.state.${r.status}`)}</dd>
        <dt>{t('vehicles.bo.customer')}</dt>
        <dd>
          <a href={customerHref(r.customer_number)}>{r.customer_number}</a> {displayName(r)}
        </dd>
        <dt>{t('vehicles.bo.contract')}</dt>
        <dd>{r.contract_number}</dd>
        <dt>{t('vehicles.bo.carPark')}</dt>
        <dd>
          {r.car_park_name} ({r.car_park_code})
        </dd>
        <dt>{t('vehicles.bo.change')}</dt>
        <dd>{changeText(ctx, r)}</dd>
        <dt>{t('vehicles.bo.vehicle')}</dt>
        <dd>
          {r.make} {r.model}
        </dd>
        <dt>{t('vehicles.bo.from')}</dt>
        <dd>{formatDate(r.valid_from, lang)}</dd>
        <dt>{t('vehicles.bo.received')}</dt>
        <dd>{formatDateTime(r.created_at, lang)}</dd>
        <dt>{t('vehicles.bo.certificate')}</dt>
        <dd>
          <a href={`${changeHref(r.id)}/certificat`} download>
            {t('vehicles.bo.certificate.download', { name: r.certificate_name, size: sizeText(r.certificate_size, lang) })}
          </a>
        </dd>
        {r.decided_at && (
          <>
            <dt>{t('vehicles.bo.state')}</dt>
            <dd>{t('vehicles.bo.decided', { date: formatDateTime(r.decided_at, lang), by: r.decided_by_name ?? '—' })}</dd>
          </>
        )}
        {r.refusal_reason && (
          <>
            <dt>{t('vehicles.bo.reason')}</dt>
            <dd>{r.refusal_reason}</dd>
          </>
        )}
      </dl>
      {r.status === 'pending' && (
        <>
          <form method="post" action={`${changeHref(r.id)}/approbation`}>
            <CsrfField ctx={ctx} />
            <button type="submit" class="button">
              {t('vehicles.bo.approve')}
            </button>
          </form>
          <form method="post" action={`${changeHref(r.id)}/refus`} novalidate>
            <CsrfField ctx={ctx} />
            <ErrorSummary t={t} errors={errors} labels={{ reason: t('vehicles.bo.reason') }} />
            <TextAreaField t={t} name="reason" label={t('vehicles.bo.reason')} hint={t('vehicles.bo.reason.hint')} value={data.reason} errors={errors.reason} rows={3} required />
            <button type="submit" class="button secondary">
              {t('vehicles.bo.refuse')}
            </button>
          </form>
        </>
      )}
    </>
  );
}
