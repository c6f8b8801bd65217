import { z } from 'zod';
import { ErrorSummary, Field, FieldErrorText, type FormErrors, TextAreaField, describedBy } from '../../lib/forms.tsx';
import type { MessageKey } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import { STAFF_PREFIX } from '../../areas/staff-area.ts';
import {
  ADDRESS_LINE_MAX,
  type ContactDetailsField,
  type ContactDetailsValues,
  type PlateChangeField,
  type PlateChangeValues,
  type ReplaceableVehicle,
} from './customers.actions.rules.ts';

/** Where the actions on a customer live: `/gestion/clients/<number>` and below. */
export const customerPath = (number: string, rest = '') => `${STAFF_PREFIX}/clients/${encodeURIComponent(number)}${rest}`;

/** What an action did, said on the customer's page after it (`?fait=`), by its code. */
export const actionNotices = {
  deverrouille: 'customerActions.notice.unlocked',
  'sessions-fermees': 'customerActions.notice.sessionsEnded',
  'aucune-session': 'customerActions.notice.noSession',
  'verification-envoyee': 'customerActions.notice.verificationSent',
  'verification-attendre': 'customerActions.notice.verificationWait',
  'verification-deja': 'customerActions.notice.verificationDone',
  'verification-aucune': 'customerActions.notice.verificationNone',
  'coordonnees-corrigees': 'customerActions.notice.detailsCorrected',
  'coordonnees-inchangees': 'customerActions.notice.detailsUnchanged',
  immatriculation: 'customerActions.notice.plateChanged',
  'vue-terminee': 'customerActions.notice.viewEnded',
  'facturation-modifiee': 'billing.bo.done',
  'facturation-inchangee': 'billing.bo.unchanged',
  'invitation-renvoyee': 'users.bo.resend.sent',
  'invitation-attendre': 'users.bo.resend.throttled',
  'invitation-inutile': 'users.resend.notInvited',
} as const satisfies Record<string, MessageKey>;
export type ActionNotice = keyof typeof actionNotices;

/** The customer's page after an action: its notice, and the actions in view. */
export const afterAction = (number: string, notice: ActionNotice) => customerPath(number, `?fait=${notice}#actions`);

const noticeQuery = z.object({ fait: z.enum(Object.keys(actionNotices) as [ActionNotice, ...ActionNotice[]]).optional().catch(undefined) });

/** The notice an action's redirect named in this page's address, if any. */
function noticeOf(url: string): MessageKey | null {
  const query = Object.fromEntries(new URLSearchParams(url.split('?')[1]?.split('#')[0] ?? ''));
  const { fait } = noticeQuery.parse(query);
  return fait ? actionNotices[fait] : null;
}

/** A form of one button (and its hidden fields) posting to an action. */
function ActionButton({ ctx, action, label, fields = {} }: { ctx: PageContext; action: string; label: string; fields?: Record<string, string> }) {
  return (
    <form method="post" action={action} class="action-form">
      <CsrfField ctx={ctx} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" class="button">
        {label}
      </button>
    </form>
  );
}

/**
 * The actions customer service can take on one customer, shown on the customer's back-office
 * page (`customers.backoffice.views.tsx`): each is a form posting to its own route
 * (`customers.actions.routes.tsx`), which comes back here with a notice (`?fait=`, shown at
 * the top of this section) — but for the letter, which the answer downloads.
 */
export function CustomerActions({ ctx, customer }: { ctx: PageContext; customer: { id: string; number: string; kind?: string } }) {
  const { t } = ctx;
  const at = (rest: string) => customerPath(customer.number, rest);
  const notice = noticeOf(ctx.url);
  return (
    <section class="panel customer-actions" aria-labelledby="actions">
      <h2 id="actions" tabindex={-1}>
        {t('customerActions.title')}
      </h2>
      {notice && (
        <StatusMessage>{t(notice)}</StatusMessage>
      )}

      <h3>{t('customerActions.password.title')}</h3>
      <p>{t('customerActions.password.intro')}</p>
      <ActionButton ctx={ctx} action={at('/courrier-mot-de-passe')} label={t('customerActions.password.submit')} />

      <h3>{t('customerActions.login.title')}</h3>
      <p class="hint">{t('customerActions.unlock.hint')}</p>
      <ActionButton ctx={ctx} action={at('/deverrouillage')} label={t('customerActions.unlock.submit')} />
      <p class="hint">{t('customerActions.sessions.hint')}</p>
      <ActionButton ctx={ctx} action={at('/fin-des-sessions')} label={t('customerActions.sessions.submit')} />

      <h3>{t('customerActions.verify.title')}</h3>
      <p class="hint">{t('customerActions.verify.hint')}</p>
      <div class="action-row">
        <ActionButton ctx={ctx} action={at('/verification-email')} label={t('customerActions.verify.primary')} fields={{ slot: 'primary' }} />
        <ActionButton ctx={ctx} action={at('/verification-email')} label={t('customerActions.verify.secondary')} fields={{ slot: 'secondary' }} />
      </div>

      <h3>{t('customerActions.edit.title')}</h3>
      <ul>
        <li>
          <a href={at('/coordonnees')}>{t('customerActions.edit.details')}</a>
        </li>
        <li>
          <a href={at('/immatriculation')}>{t('customerActions.edit.plate')}</a>
        </li>
        {customer.kind === 'business' && (
          <li>
            <a href={at('/facturation')}>{t('billing.bo.action')}</a>
          </li>
        )}
      </ul>

      <h3>{t('customerActions.view.title')}</h3>
      <p class="hint">{t('customerActions.view.hint')}</p>
      <ActionButton ctx={ctx} action={at('/vue-client')} label={t('customerActions.view.submit')} />
    </section>
  );
}

const BackLink = ({ ctx, number }: { ctx: PageContext; number: string }) => (
  <p>
    <a href={customerPath(number)}>{ctx.t('customerActions.back')}</a>
  </p>
);

/** A labelled text field of an action's form, marked optional when it is. */
function TextField<F extends string>(props: {
  ctx: PageContext;
  name: F;
  label: MessageKey;
  values: Record<F, string>;
  errors: FormErrors<F>;
  optional?: boolean;
  hint?: string;
  type?: string;
  autocomplete?: string;
  inputmode?: string;
}) {
  const { ctx, name } = props;
  return (
    <Field
      t={ctx.t}
      name={name}
      label={
        <>
          {ctx.t(props.label)}
          {props.optional ? <> <span class="opt">{ctx.t('customerActions.optional')}</span></> : null}
        </>
      }
      value={props.values[name]}
      errors={props.errors[name]}
      hint={props.hint}
      type={props.type}
      autocomplete={props.autocomplete}
      inputmode={props.inputmode}
      required={!props.optional}
    />
  );
}

const DETAIL_LABELS = {
  address_line1: 'customerActions.details.address_line1',
  address_line2: 'customerActions.details.address_line2',
  postal_code: 'customerActions.details.postal_code',
  city: 'customerActions.details.city',
  country: 'customerActions.details.country',
  phone: 'customerActions.details.phone',
  mobile_phone: 'customerActions.details.mobile_phone',
  email_primary: 'customerActions.details.email_primary',
  email_secondary: 'customerActions.details.email_secondary',
  reason: 'customerActions.details.reason',
} as const satisfies Record<ContactDetailsField, MessageKey>;

/** Correcting a customer's contact details, with the reason. */
export function ContactDetailsView({
  ctx,
  number,
  values,
  errors,
}: {
  ctx: PageContext;
  number: string;
  values: ContactDetailsValues;
  errors: FormErrors<ContactDetailsField>;
}) {
  const { t } = ctx;
  const labels = Object.fromEntries(Object.entries(DETAIL_LABELS).map(([k, key]) => [k, t(key)])) as Record<ContactDetailsField, string>;
  const field = (name: ContactDetailsField, extra: Partial<Parameters<typeof TextField<ContactDetailsField>>[0]> = {}) => (
    <TextField ctx={ctx} name={name} label={DETAIL_LABELS[name]} values={values} errors={errors} {...extra} />
  );
  const lineHint = t('customerActions.details.lineHint', { max: ADDRESS_LINE_MAX });
  return (
    <>
      <h1>{t('customerActions.details.title', { number })}</h1>
      <BackLink ctx={ctx} number={number} />
      <p>{t('customerActions.details.intro')}</p>
      <form method="post" action={customerPath(number, '/coordonnees')} class="panel" novalidate>
        <ErrorSummary t={t} errors={errors} labels={labels} />
        <CsrfField ctx={ctx} />
        <fieldset class="group">
          <legend>{t('customerActions.details.postal')}</legend>
          {field('address_line1', { hint: lineHint })}
          {field('address_line2', { optional: true })}
          {field('postal_code', { autocomplete: 'off' })}
          {field('city')}
          {field('country')}
        </fieldset>
        <fieldset class="group">
          <legend>{t('customerActions.details.phones')}</legend>
          {field('phone', { optional: true, type: 'tel' })}
          {field('mobile_phone', { optional: true, type: 'tel' })}
        </fieldset>
        <fieldset class="group">
          <legend>{t('customerActions.details.emails')}</legend>
          {field('email_primary', { optional: !values.email_primary && !errors.email_primary, type: 'email' })}
          {field('email_secondary', { optional: true, type: 'email' })}
        </fieldset>
        <TextAreaField
          t={t}
          name="reason"
          label={t('customerActions.details.reason')}
          hint={t('customerActions.details.reason.hint')}
          errors={errors.reason}
          rows={3}
          required
          value={values.reason}
        />
        <button type="submit" class="button">
          {t('customerActions.details.submit')}
        </button>
      </form>
    </>
  );
}

const PLATE_LABELS = {
  vehicle: 'customerActions.plate.vehicle',
  new_plate: 'customerActions.plate.new_plate',
  effective_date: 'customerActions.plate.effective_date',
  description: 'customerActions.plate.description',
} as const satisfies Record<PlateChangeField, MessageKey>;

/** Recording a change of plate on one of the customer's contracts, with its effective date. */
export function PlateChangeView({
  ctx,
  number,
  vehicles,
  values,
  errors,
}: {
  ctx: PageContext;
  number: string;
  vehicles: ReplaceableVehicle[];
  values: PlateChangeValues;
  errors: FormErrors<PlateChangeField>;
}) {
  const { t } = ctx;
  const labels = Object.fromEntries(Object.entries(PLATE_LABELS).map(([k, key]) => [k, t(key)])) as Record<PlateChangeField, string>;
  return (
    <>
      <h1>{t('customerActions.plate.title', { number })}</h1>
      <BackLink ctx={ctx} number={number} />
      {vehicles.length === 0 ? (
        <p>{t('customerActions.plate.none')}</p>
      ) : (
        <>
          <p>{t('customerActions.plate.intro')}</p>
          <form method="post" action={customerPath(number, '/immatriculation')} class="panel" novalidate>
            <ErrorSummary t={t} errors={errors} labels={labels} />
            <CsrfField ctx={ctx} />
            <div class={errors.vehicle ? 'field has-error' : 'field'}>
              <label for="vehicle">{t('customerActions.plate.vehicle')}</label>
              <FieldErrorText t={t} name="vehicle" errors={errors.vehicle} />
              <select id="vehicle" name="vehicle" aria-required="true" aria-invalid={errors.vehicle ? 'true' : undefined} aria-describedby={describedBy(errors.vehicle && 'vehicle-error')}>
                {vehicles.length > 1 && <option value="">{t('customerActions.plate.choose')}</option>}
                {vehicles.map((v) => (
                  <option key={v.id} value={v.id} selected={values.vehicle === v.id}>
                    {t('customerActions.plate.vehicleOption', { plate: v.plate, contract: v.contractNumber })}
                  </option>
                ))}
              </select>
            </div>
            <TextField ctx={ctx} name="new_plate" label="customerActions.plate.new_plate" values={values} errors={errors} hint={t('customerActions.plate.new_plate.hint')} autocomplete="off" />
            <TextField
              ctx={ctx}
              name="effective_date"
              label="customerActions.plate.effective_date"
              values={values}
              errors={errors}
              hint={t('customerActions.plate.effective_date.hint')}
              type="date"
            />
            <TextField
              ctx={ctx}
              name="description"
              label="customerActions.plate.description"
              values={values}
              errors={errors}
              hint={t('customerActions.plate.description.hint')}
              optional
            />
            <button type="submit" class="button">
              {t('customerActions.plate.submit')}
            </button>
          </form>
        </>
      )}
    </>
  );
}
