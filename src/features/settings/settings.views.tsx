import type { ComponentChildren } from 'preact';
import type { CarPark, Language } from '../../db/schema.ts';
import { ErrorSummary, Field, FieldErrorText, type FormErrors, TextAreaField, describedBy } from '../../lib/forms.tsx';
import { type MessageKey, formatDateTime } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, PostButton, StatusMessage } from '../../lib/page.tsx';
import { SERVICE_CODES } from '../public/public.rules.ts';
import { openingHoursText } from '../public/public.views.tsx';
import {
  CAR_PARK_FIELDS,
  type CarParkField,
  type CarParkValues,
  type HoursRow,
  MAX_HOURS_LINES,
  MAX_LOGO_BYTES,
  SETTINGS_FIELDS,
  type SettingsField,
  type SettingsValues,
  emptyHoursRow,
} from './settings.rules.ts';
import { BADGES_PATH } from '../badges/badges.views.tsx';

export const SETTINGS_PATH = '/gestion/parametres';
export const PARKS_PATH = `${SETTINGS_PATH}/parkings`;

const Notice = ({ ctx, notice }: { ctx: PageContext; notice: { key: MessageKey; params?: Record<string, string | number> } | null }) =>
  notice && (
    <StatusMessage>{ctx.t(notice.key, notice.params)}</StatusMessage>
  );

const weekdayName = (day: number, lang: Language) =>
  new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, day)));

/**
 * Opening hours as lines of selects and times — no script: the lines stored and empty ones,
 * up to six; a line left at "—" is not used. `audiences`: whom a line may be for.
 */
function HoursEditor(props: { ctx: PageContext; legend: string; rows: HoursRow[]; errors: FormErrors; audiences: readonly HoursRow['for'][] }) {
  const { ctx, rows, errors } = props;
  const { t } = ctx;
  const shown = [...rows, emptyHoursRow(), emptyHoursRow()].slice(0, Math.max(MAX_HOURS_LINES, rows.length));
  const wrong = Boolean(errors.hours?.length);
  const days = [1, 2, 3, 4, 5, 6, 7];
  return (
    <fieldset id="hours" class={wrong ? 'group has-error' : 'group'} aria-describedby={describedBy('hours-hint', wrong && 'hours-error')}>
      <legend>{props.legend}</legend>
      <p class="hint" id="hours-hint">
        {t('settings.hours.hint')}
      </p>
      <FieldErrorText t={t} name="hours" errors={errors.hours} list />
      {shown.map((row, i) => {
        const id = (part: string) => `hours_${i}_${part}`;
        return (
          <fieldset key={i} class="hours-line">
            <legend>{t('settings.hours.line', { line: i + 1 })}</legend>
            <div class="field">
              <label for={id('for')}>{t('settings.hours.for')}</label>
              <select id={id('for')} name={id('for')}>
                <option value="">{t('settings.hours.for.none')}</option>
                {props.audiences.map((a) => (
                  <option key={a} value={a} selected={row.for === a}>
                    {t(`settings.hours.for.${a as 'everyone'}`)}
                  </option>
                ))}
              </select>
            </div>
            {(['first', 'last'] as const).map((part) => (
              <div class="field" key={part}>
                <label for={id(part)}>{t(`settings.hours.${part}`)}</label>
                <select id={id(part)} name={id(part)}>
                  <option value="">{t('settings.hours.everyDay')}</option>
                  {days.map((d) => (
                    <option key={d} value={String(d)} selected={row[part] === String(d)}>
                      {weekdayName(d, ctx.lang)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
            {(['open', 'close'] as const).map((part) => (
              <div class="field" key={part}>
                <label for={id(part)}>{t(`settings.hours.${part}`)}</label>
                <input id={id(part)} name={id(part)} type="time" value={row[part]} />
              </div>
            ))}
          </fieldset>
        );
      })}
    </fieldset>
  );
}

function Section({ title, id, children }: { title: string; id: string; children: ComponentChildren }) {
  return (
    <fieldset class="group" id={id}>
      <legend>{title}</legend>
      {children}
    </fieldset>
  );
}

export interface SettingsPageProps {
  values: SettingsValues;
  errors: FormErrors;
  notice: { key: MessageKey; params?: Record<string, string | number> } | null;
  lastSaved: { at: string; by: string | null } | null;
  logo: { url: string | null; errors: FormErrors };
}

const HINTS: Partial<Record<SettingsField, MessageKey>> = {
  share_capital: 'settings.field.share_capital.hint',
  siren: 'settings.field.siren.hint',
  rcs: 'settings.field.rcs.hint',
  vat_number: 'settings.field.vat_number.hint',
  website: 'settings.field.website.hint',
  phone: 'settings.field.phone.hint',
  creditor_id: 'settings.field.creditor_id.hint',
  late_payment_penalty: 'settings.field.late_payment_penalty.hint',
  reminder_first_days: 'settings.field.reminder_first_days.hint',
  reminder_second_days: 'settings.field.reminder_second_days.hint',
  staff_notification_email: 'settings.field.staff_notification_email.hint',
  brand_colour: 'settings.field.brand_colour.hint',
};
const OPTIONAL_FIELDS: readonly SettingsField[] = ['share_capital', 'mediator_name', 'mediator_address', 'mediator_website'];
const INPUT_TYPES: Partial<Record<SettingsField, string>> = { email: 'email', staff_notification_email: 'email', website: 'url', mediator_website: 'url', phone: 'tel', reminder_first_days: 'number', reminder_second_days: 'number' };

/** The settings page: the form of the operator's settings, the logo's form, the way to the car parks. */
export function SettingsView({ ctx, values, errors, notice, lastSaved, logo }: { ctx: PageContext } & SettingsPageProps) {
  const { t } = ctx;
  const label = (f: SettingsField) => t(`settings.field.${f}`);
  const labels = { ...(Object.fromEntries(SETTINGS_FIELDS.map((f) => [f, label(f)])) as Record<SettingsField, string>), hours: t('settings.field.hours') };
  const field = (f: SettingsField) => (
    <Field
      t={t}
      name={f}
      type={INPUT_TYPES[f]}
      label={
        OPTIONAL_FIELDS.includes(f) ? (
          <>
            {label(f)} <span class="opt">{t('settings.optional')}</span>
          </>
        ) : (
          label(f)
        )
      }
      value={values[f]}
      errors={errors[f]}
      hint={HINTS[f] && t(HINTS[f])}
      required={!OPTIONAL_FIELDS.includes(f)}
    />
  );
  return (
    <>
      <h1>{t('settings.title')}</h1>
      <Notice ctx={ctx} notice={notice} />
      <p>{t('settings.intro')}</p>
      {lastSaved && (
        <p class="muted">
          {lastSaved.by
            ? t('settings.lastSaved', { date: formatDateTime(lastSaved.at, ctx.lang), name: lastSaved.by })
            : t('settings.lastSaved.start', { date: formatDateTime(lastSaved.at, ctx.lang) })}
        </p>
      )}
      <p>
        <a href={PARKS_PATH}>{t('settings.parks.link')}</a>
      </p>
      <p>
        <a href={`${BADGES_PATH}/tarifs`}>{t('badges.bo.fees.link')}</a>
      </p>
      <section class="panel" aria-labelledby="operator-settings">
        <h2 id="operator-settings">{t('settings.form.title')}</h2>
        <ErrorSummary t={t} errors={errors} labels={labels} level={3} />
        <form method="post" action={SETTINGS_PATH} novalidate class="settings-form">
          <CsrfField ctx={ctx} />
          <Section title={t('settings.section.identity')} id="section-identity">
            {(['name', 'legal_form', 'share_capital', 'address', 'siren', 'rcs', 'vat_number', 'website'] as const).map(field)}
          </Section>
          <Section title={t('settings.section.service')} id="section-service">
            {field('phone')}
            {field('email')}
            <HoursEditor ctx={ctx} legend={t('settings.field.hours')} rows={values.hours} errors={errors} audiences={['everyone']} />
          </Section>
          <Section title={t('settings.section.mediator')} id="section-mediator">
            {(['mediator_name', 'mediator_address', 'mediator_website'] as const).map(field)}
          </Section>
          <Section title={t('settings.section.creditor')} id="section-creditor">
            {(['creditor_name', 'creditor_address', 'creditor_id'] as const).map(field)}
          </Section>
          <Section title={t('settings.section.invoices')} id="section-invoices">
            {field('late_payment_penalty')}
            {field('reminder_first_days')}
            {field('reminder_second_days')}
            <p class="hint" id="vat_on_debits-hint">
              {t('settings.field.vat_on_debits.hint')}
            </p>
            <div class="checkbox">
              <input type="checkbox" id="vat_on_debits" name="vat_on_debits" value="1" checked={values.vat_on_debits === true} aria-describedby="vat_on_debits-hint" />
              <label for="vat_on_debits">{t('settings.field.vat_on_debits')}</label>
            </div>
          </Section>
          <Section title={t('settings.section.staff')} id="section-staff">
            {field('staff_notification_email')}
          </Section>
          <Section title={t('settings.section.look')} id="section-look">
            {field('brand_colour')}
          </Section>
          <button type="submit" class="button">
            {t('settings.submit')}
          </button>
        </form>
      </section>
      <LogoPanel ctx={ctx} url={logo.url} errors={logo.errors} />
    </>
  );
}

function LogoPanel({ ctx, url, errors }: { ctx: PageContext; url: string | null; errors: FormErrors }) {
  const { t } = ctx;
  const wrong = Boolean(errors.logo?.length);
  return (
    <section class="panel" aria-labelledby="logo-title" id="logo-panel">
      <h2 id="logo-title">{t('settings.logo.title')}</h2>
      <p>{t('settings.logo.intro', { max: MAX_LOGO_BYTES / 1024 })}</p>
      {url ? (
        <p>
          {t('settings.logo.current')} <img class="logo-preview" src={url} alt={t('settings.logo.currentAlt')} />
        </p>
      ) : (
        <p class="muted">{t('settings.logo.none')}</p>
      )}
      <form method="post" action={`${SETTINGS_PATH}/logo`} enctype="multipart/form-data" novalidate>
        {/* First: the route checks the token before it reads the file. */}
        <CsrfField ctx={ctx} />
        <div class={wrong ? 'field has-error' : 'field'}>
          <label for="logo">{t('settings.logo.file')}</label>
          <FieldErrorText t={t} name="logo" errors={errors.logo} />
          <input id="logo" name="logo" type="file" accept="image/png,image/jpeg" aria-invalid={wrong ? 'true' : undefined} aria-describedby={describedBy(wrong && 'logo-error')} />
        </div>
        <button type="submit" class="button">
          {t('settings.logo.submit')}
        </button>
      </form>
      {url && (
        <PostButton ctx={ctx} action={`${SETTINGS_PATH}/logo/suppression`} class="link-button dark">
          {t('settings.logo.remove')}
        </PostButton>
      )}
    </section>
  );
}

/** Every car park, with the way to its form. */
export function CarParksListView({ ctx, parks }: { ctx: PageContext; parks: CarPark[] }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('settings.parks.title')}</h1>
      <p>{t('settings.parks.intro')}</p>
      <p>
        <a href={SETTINGS_PATH}>{t('settings.parks.toSettings')}</a>
      </p>
      {parks.length === 0 ? (
        <p>{t('settings.parks.none')}</p>
      ) : (
        <table class="stack">
          <caption>{t('settings.parks.caption', { count: parks.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('settings.parks.col.name')}</th>
              <th scope="col">{t('settings.parks.col.code')}</th>
              <th scope="col">{t('settings.parks.col.city')}</th>
              <th scope="col">{t('settings.parks.col.phone')}</th>
              <th scope="col">{t('settings.parks.col.pr30')}</th>
              <th scope="col">{t('settings.parks.col.edit')}</th>
            </tr>
          </thead>
          <tbody>
            {parks.map((p) => (
              <tr key={p.id}>
                <th scope="row" data-label={t('settings.parks.col.name')}>
                  {p.name}
                </th>
                <td data-label={t('settings.parks.col.code')}>{p.code}</td>
                <td data-label={t('settings.parks.col.city')}>{p.city}</td>
                <td data-label={t('settings.parks.col.phone')}>{p.phone}</td>
                <td data-label={t('settings.parks.col.pr30')}>{t(p.petit_rouleur_30 ? 'settings.parks.yes' : 'settings.parks.no')}</td>
                <td data-label={t('settings.parks.col.edit')}>
                  <a href={`${PARKS_PATH}/${encodeURIComponent(p.code)}`} aria-label={t('settings.parks.editLabel', { name: p.name })}>
                    {t('settings.parks.edit')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** One car park's form: contact details, hours, services, petit-rouleur variant. */
export function CarParkView(props: {
  ctx: PageContext;
  park: CarPark;
  values: CarParkValues;
  errors: FormErrors;
  notice: { key: MessageKey; params?: Record<string, string | number> } | null;
}) {
  const { ctx, park, values, errors } = props;
  const { t } = ctx;
  const label = (f: CarParkField | 'hours' | 'services' | 'other_services' | 'petit_rouleur_30') => t(`settings.park.field.${f}`);
  const labels = {
    ...(Object.fromEntries(CAR_PARK_FIELDS.map((f) => [f, label(f)])) as Record<CarParkField, string>),
    hours: label('hours'),
    services: label('services'),
    other_services: label('other_services'),
  };
  const action = `${PARKS_PATH}/${encodeURIComponent(park.code)}`;
  const servicesWrong = Boolean(errors.services?.length);
  return (
    <>
      <h1>{t('settings.park.title', { name: park.name })}</h1>
      <Notice ctx={ctx} notice={props.notice} />
      <p class="muted">{t('settings.park.code', { code: park.code })}</p>
      <p class="muted">{t('format.labelValue', { label: t('parkings.hours'), value: openingHoursText(ctx, park.opening_hours) })}</p>
      <p>
        <a href={PARKS_PATH}>{t('settings.parks.back')}</a>
      </p>
      <section class="panel" aria-labelledby="park-form">
        <h2 id="park-form">{t('settings.parks.edit')}</h2>
        <ErrorSummary t={t} errors={errors} labels={labels} anchors={{ services: `service-${SERVICE_CODES[0]}` }} level={3} />
        <form method="post" action={action} novalidate class="settings-form">
          <CsrfField ctx={ctx} />
          {CAR_PARK_FIELDS.map((f) => (
            <Field
              key={f}
              t={t}
              name={f}
              type={f === 'email' ? 'email' : f === 'phone' ? 'tel' : undefined}
              label={
                f === 'email' ? (
                  <>
                    {label(f)} <span class="opt">{t('settings.optional')}</span>
                  </>
                ) : (
                  label(f)
                )
              }
              value={values[f]}
              errors={errors[f]}
              inputmode={f === 'postal_code' ? 'numeric' : undefined}
              required={f !== 'email'}
            />
          ))}
          <HoursEditor ctx={ctx} legend={label('hours')} rows={values.hours} errors={errors} audiences={['everyone', 'subscribers', 'reception']} />
          <fieldset class={servicesWrong ? 'group has-error' : 'group'} aria-describedby={servicesWrong ? 'services-error' : undefined}>
            <legend>{label('services')}</legend>
            <FieldErrorText t={t} name="services" errors={errors.services} />
            {SERVICE_CODES.map((code) => (
              <div class="checkbox" key={code}>
                <input type="checkbox" id={`service-${code}`} name="services" value={code} checked={values.services.includes(code)} />
                <label for={`service-${code}`}>{t(`parkings.service.${code}`)}</label>
              </div>
            ))}
          </fieldset>
          <TextAreaField
            t={t}
            name="other_services"
            label={
              <>
                {label('other_services')} <span class="opt">{t('settings.optional')}</span>
              </>
            }
            hint={t('settings.park.field.other_services.hint')}
            errors={errors.other_services}
            rows={3}
            value={values.other_services}
          />
          <fieldset class="group">
            <legend>{label('petit_rouleur_30')}</legend>
            <p class="hint" id="petit_rouleur_30-hint">
              {t('settings.park.pr30.hint')}
            </p>
            <div class="checkbox">
              <input type="checkbox" id="petit_rouleur_30" name="petit_rouleur_30" value="1" checked={values.petit_rouleur_30} aria-describedby="petit_rouleur_30-hint" />
              <label for="petit_rouleur_30">{t('settings.park.pr30')}</label>
            </div>
          </fieldset>
          <button type="submit" class="button">
            {t('settings.submit')}
          </button>
        </form>
      </section>
    </>
  );
}
