import { ErrorSummary, Field, FieldErrorText, FieldFrame, describedBy } from '../../lib/forms.tsx';
import { formatDate } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import { vehiclesPath } from './vehicles.mails.ts';
import type { ContractVehiclesPage } from './vehicles.queries.ts';
import { type ContractVehicle, PLATE_COUNTRIES, type VehicleErrors, type VehicleField, type VehicleValues, canAdd, canReplace } from './vehicles.rules.ts';

/** A country's name in the reader's language (ISO 3166-1 alpha-2 code → name). */
export const countryName = (code: string, lang: string) => new Intl.DisplayNames([lang], { type: 'region' }).of(code) ?? code;

/** A plate with its country when it is not French. */
export const plateText = (plate: string, country: string, lang: string) => (country === 'FR' ? plate : `${plate} (${countryName(country, lang)})`);

export const requestPath = (contractNumber: string, replaces?: string) => `${vehiclesPath(contractNumber)}/demande${replaces ? `?remplace=${encodeURIComponent(replaces)}` : ''}`;

function period(ctx: PageContext, v: ContractVehicle, today: string): string {
  const { t, lang } = ctx;
  const parts: string[] = [];
  if (v.validFrom) parts.push(t(v.validFrom > today ? 'vehicles.from' : 'vehicles.since', { date: formatDate(v.validFrom, lang) }));
  if (v.validTo) parts.push(t('vehicles.until', { date: formatDate(v.validTo, lang) }));
  return parts.join(', ');
}

/** `/contrats/:number/vehicules`: the contract's vehicles, its requests, and the ways to replace or add one. */
export function VehiclesPageView({ ctx, page, today, sent }: { ctx: PageContext; page: ContractVehiclesPage; today: string; sent: boolean }) {
  const { t, lang } = ctx;
  const { contract, vehicles, pending, refused, situation } = page;
  const open = contract.status !== 'ended';
  const plates = new Map(vehicles.map((v) => [v.id, v.plate]));
  return (
    <>
      <p>
        <a href={`/contrats/${encodeURIComponent(contract.number)}`}>{t('vehicles.back')}</a>
      </p>
      <h1>{t('vehicles.title', { number: contract.number })}</h1>
      {sent && <StatusMessage>{t('vehicles.sent')}</StatusMessage>}
      <p>{t('vehicles.allowed', { max: contract.max_vehicles })}</p>
      <section class="panel" aria-labelledby="vehicles-list">
        <h2 id="vehicles-list">{t('vehicles.list.title')}</h2>
        {vehicles.length === 0 ? (
          <p>{t('vehicles.list.none')}</p>
        ) : (
          <ul>
            {vehicles.map((v) => (
              <li key={v.id}>
                <strong class="plate">{plateText(v.plate, v.country, lang)}</strong>
                {v.description ? ` — ${v.description}` : ''}
                {period(ctx, v, today) ? ` (${period(ctx, v, today)})` : ''}
                {open && canReplace(situation, v.id) && (
                  <>
                    {' '}
                    <a class="button secondary" href={requestPath(contract.number, v.id)}>
                      {t('vehicles.replace', { plate: v.plate })}
                    </a>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        {open && (canAdd(situation) ? <p><a class="button" href={requestPath(contract.number)}>{t('vehicles.add')}</a></p> : <p>{t('vehicles.full')}</p>)}
      </section>
      {pending.length > 0 && (
        <section class="panel" aria-labelledby="vehicles-pending">
          <h2 id="vehicles-pending">{t('vehicles.pending.title')}</h2>
          <ul>
            {pending.map((r) => {
              const params = { plate: plateText(r.plate, r.country, lang), car: `${r.make} ${r.model}`, date: formatDate(r.valid_from, lang), old: r.replaced_plate ?? plates.get(r.replaces_vehicle_id ?? '') ?? '' };
              return <li key={r.id}>{t(r.replaces_vehicle_id ? 'vehicles.pending.replace' : 'vehicles.pending.add', params)}</li>;
            })}
          </ul>
        </section>
      )}
      {refused.length > 0 && (
        <section class="panel" aria-labelledby="vehicles-refused">
          <h2 id="vehicles-refused">{t('vehicles.refused.title')}</h2>
          <ul>
            {refused.map((r) => (
              <li key={r.id}>
                {t('vehicles.refused.item', { plate: plateText(r.plate, r.country, lang), car: `${r.make} ${r.model}`, date: formatDate(r.created_at, lang), reason: r.refusal_reason ?? '' })}
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

export interface VehicleFormData {
  contractNumber: string;
  replaces: ContractVehicle | null;
  values: VehicleValues;
  errors: VehicleErrors;
}

export const emptyVehicleValues = (replaces: string): VehicleValues => ({ replaces, plate: '', country: 'FR', make: '', model: '', valid_from: '' });

/** The form to replace a vehicle or add one: multipart (the certificate), CSRF token first, working without JavaScript. */
export function VehicleFormView({ ctx, data }: { ctx: PageContext; data: VehicleFormData }) {
  const { t, lang } = ctx;
  const { values, errors, replaces, contractNumber } = data;
  const hasErrors = Object.keys(errors).length > 0;
  const title = replaces ? t('vehicles.form.title.replace', { plate: replaces.plate }) : t('vehicles.form.title.add');
  const labels: Record<VehicleField, string> = {
    replaces: t('vehicles.form.replaces'),
    plate: t('vehicles.form.plate'),
    country: t('vehicles.form.country'),
    make: t('vehicles.form.make'),
    model: t('vehicles.form.model'),
    valid_from: t('vehicles.form.validFrom'),
    certificate: t('vehicles.form.certificate'),
  };
  return (
    <>
      <p>
        <a href={vehiclesPath(contractNumber)}>{t('vehicles.back')}</a>
      </p>
      <h1>{title}</h1>
      <p>{t('vehicles.form.intro')}</p>
      <ErrorSummary t={t} errors={errors} labels={labels} title="contact.form.errorSummary">
        <p>{t('contact.form.files.again')}</p>
      </ErrorSummary>
      <form method="post" action={requestPath(contractNumber)} enctype="multipart/form-data" novalidate class="contact-form">
        {/* First: the route checks the token before it reads any file. */}
        <CsrfField ctx={ctx} />
        <input type="hidden" name="replaces" value={values.replaces} />
        {errors.replaces && (
          <div class="field has-error" id="replaces" tabindex={-1}>
            <FieldErrorText t={t} name="replaces" errors={errors.replaces} />
          </div>
        )}
        <Field t={t} name="plate" label={labels.plate} value={values.plate} errors={errors.plate} hint={t('vehicles.form.plate.hint')} autocomplete="off" required />
        <FieldFrame t={t} name="country" label={labels.country} errors={errors.country}>
          <select id="country" name="country" aria-invalid={errors.country ? 'true' : undefined} aria-describedby={describedBy(errors.country && 'country-error')}>
            {PLATE_COUNTRIES.map((c) => (
              <option key={c} value={c} selected={values.country.toUpperCase() === c}>
                {countryName(c, lang)}
              </option>
            ))}
          </select>
        </FieldFrame>
        <Field t={t} name="make" label={labels.make} value={values.make} errors={errors.make} required />
        <Field t={t} name="model" label={labels.model} value={values.model} errors={errors.model} required />
        <Field t={t} name="valid_from" type="date" label={labels.valid_from} value={values.valid_from} errors={errors.valid_from} hint={t('vehicles.form.validFrom.hint')} required />
        <div class={errors.certificate ? 'field has-error' : 'field'}>
          <label for="certificate">{labels.certificate}</label>
          <p class="hint" id="certificate-hint">
            {t('vehicles.form.certificate.hint')}
          </p>
          {hasErrors && (
            <p class="hint warning" id="certificate-again">
              {t('contact.form.files.again')}
            </p>
          )}
          <FieldErrorText t={t} name="certificate" errors={errors.certificate} list />
          <input
            type="file"
            id="certificate"
            name="certificate"
            accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
            aria-required="true"
            aria-invalid={errors.certificate ? 'true' : undefined}
            aria-describedby={describedBy('certificate-hint', hasErrors && 'certificate-again', errors.certificate && 'certificate-error')}
          />
        </div>
        <p class="actions">
          <button type="submit" class="button">{t('vehicles.form.submit')}</button> <a href={vehiclesPath(contractNumber)}>{t('vehicles.form.cancel')}</a>
        </p>
      </form>
    </>
  );
}
