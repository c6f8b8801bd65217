import type { ComponentChildren } from 'preact';
import { ErrorSummary, FieldErrorText, FieldFrame, type FormError, describedBy } from '../../lib/forms.tsx';
import { type Translate, formatDate, formatDateTime, formatTime } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import { PendingVerification } from '../profile/profile.views.tsx';
import type { DirectDebitKey } from './direct-debit.messages.ts';
import type { CurrentMandate, MandateContract, MandateView } from './direct-debit.queries.ts';
import type { DirectDebitCoverage, FormField, MandateErrors, PaperField, MandateFormValues } from './direct-debit.rules.ts';

/*
 * The direct-debit pages. Server-rendered, no script. The IBAN is only ever shown masked,
 * with a spoken equivalent for screen readers ("IBAN FR ending in 0189") instead of a string
 * of bullets; what the customer typed is shown back only in their own form's field.
 */

export interface Creditor {
  name: string;
  address: string;
  ics: string;
}

const mandatePdfHref = (m: { id: string }) => `/prelevement/mandat/${m.id}.pdf`;

/** The masked IBAN, and what a screen reader says instead of the bullets. */
export function MaskedIban({ ctx, mandate }: { ctx: PageContext; mandate: Pick<MandateView, 'maskedIban' | 'ibanCountry' | 'ibanLast4'> }) {
  const { t } = ctx;
  return (
    <span class="dd-iban">
      <span aria-hidden="true">{mandate.maskedIban}</span>
      <span class="dd-sr">{t('directDebit.iban.spoken', { country: mandate.ibanCountry, last4: mandate.ibanLast4 })}</span>
    </span>
  );
}

function Status({ ctx, status }: { ctx: PageContext; status: MandateView['status'] }) {
  return <span class={`dd-status dd-status-${status}`}>{ctx.t(`directDebit.status.${status}`)}</span>;
}

const contractLabel = (t: Translate, k: Pick<MandateContract, 'number' | 'car_park_name'>) =>
  t('directDebit.contract', { number: k.number, carPark: k.car_park_name });

/**
 * What a customer without a mandate in force is told first: to sign up, unless their
 * contracts are already paid by direct debit (a paper mandate), all or some of them.
 */
function NoMandateIntro({ ctx, coverage }: { ctx: PageContext; coverage: DirectDebitCoverage }) {
  const { t } = ctx;
  if (coverage.all) return <p>{t('directDebit.intro.all')}</p>;
  if (coverage.numbers.length > 0) return <p>{t('directDebit.intro.some', { contracts: coverage.numbers.join(', ') })}</p>;
  return <p>{t('directDebit.intro')}</p>;
}

/**
 * The customer's mandate in a few lines, for Contrats and Mon compte: its RUM and state, the
 * masked IBAN, the contracts, and a link to /prelevement. Without a mandate: an invitation to
 * sign up, with the same link — or, for contracts already paid by direct debit, that they are.
 */
export function MandateSummary({ ctx, mandate, coverage }: { ctx: PageContext; mandate: CurrentMandate | null; coverage: DirectDebitCoverage }) {
  const { t } = ctx;
  if (!mandate) {
    return (
      <div class="dd-summary">
        <NoMandateIntro ctx={ctx} coverage={coverage} />
        <p>
          <a href="/prelevement">{t(coverage.all ? 'directDebit.summary.page' : 'directDebit.summary.start')}</a>
        </p>
      </div>
    );
  }
  return (
    <div class="dd-summary">
      <p>
        {t('directDebit.summary.mandate', { rum: mandate.rum, status: t(`directDebit.status.${mandate.status}`) })}{' '}
        {t('directDebit.summary.account')} <MaskedIban ctx={ctx} mandate={mandate} />
      </p>
      {mandate.contracts.length > 0 && <p>{t('directDebit.summary.contracts', { contracts: mandate.contracts.map((k) => k.number).join(', ') })}</p>}
      <p>
        <a href="/prelevement">{t('directDebit.summary.link')}</a>
      </p>
    </div>
  );
}

/** Creditor, ICS, RUM, recurrent payment: the head of the mandate text. */
function CreditorFacts({ ctx, creditor, rum }: { ctx: PageContext; creditor: Creditor; rum: string }) {
  const { t } = ctx;
  return (
    <dl class="facts">
      <dt>{t('directDebit.text.creditorName')}</dt>
      <dd>{creditor.name}</dd>
      <dt>{t('directDebit.text.creditorAddress')}</dt>
      <dd>{creditor.address}</dd>
      <dt>{t('directDebit.text.ics')}</dt>
      <dd>{creditor.ics}</dd>
      <dt>{t('directDebit.text.rum')}</dt>
      <dd class="dd-rum">{rum}</dd>
      <dt>{t('directDebit.text.paymentType')}</dt>
      <dd>{t('directDebit.text.recurrent')}</dd>
    </dl>
  );
}

/** The contracts a mandate is to cover, one checkbox each: the customer's form and the staff's paper form. */
export function ContractsFieldset({
  ctx,
  legend,
  hint,
  errors,
  contracts,
  checked,
  empty,
}: {
  ctx: PageContext;
  legend: string;
  hint: string;
  errors: FormError[] | undefined;
  contracts: Array<Pick<MandateContract, 'id' | 'number' | 'car_park_name'>>;
  checked: string[];
  /** Said when there is no contract to choose. */
  empty?: string;
}) {
  const { t } = ctx;
  return (
    <fieldset class={errors ? 'panel dd-group dd-contracts has-error' : 'panel dd-group dd-contracts'} aria-describedby={describedBy('contracts-hint', errors && 'contracts-error')}>
      <legend>
        {legend} <span class="req">{t('directDebit.form.required')}</span>
      </legend>
      <p class="hint" id="contracts-hint">
        {hint}
      </p>
      <FieldErrorText t={t} name="contracts" errors={errors} />
      {contracts.length === 0 && empty && <p>{empty}</p>}
      {contracts.map((k) => (
        <div class="checkbox" key={k.id}>
          <input type="checkbox" id={`contract-${k.id}`} name="contracts" value={k.id} checked={checked.includes(k.id)} />
          <label for={`contract-${k.id}`}>{contractLabel(t, k)}</label>
        </div>
      ))}
    </fieldset>
  );
}

/** The standard authorisation and refund-rights text, and the note on the customer's rights. */
function LegalText({ ctx, creditor }: { ctx: PageContext; creditor: Creditor }) {
  const { t } = ctx;
  return (
    <div class="dd-legal">
      <p>{t('directDebit.text.authorisation', { creditor: creditor.name })}</p>
      <p class="hint">{t('directDebit.text.rights')}</p>
      <p class="hint">{t('directDebit.text.privacy', { creditor: creditor.name })}</p>
    </div>
  );
}

/**
 * The debtor's part of a mandate's facts (holder, address, IBAN, BIC, contracts), as `<dt>`/`<dd>`
 * pairs inside a `<dl class="facts">`: the customer's page and the back office's mandate page.
 * `iban` replaces the masked IBAN (the back office shows it whole once revealed).
 */
export function DebtorFacts({ ctx, mandate, iban }: { ctx: PageContext; mandate: MandateView; iban?: ComponentChildren }) {
  const { t } = ctx;
  return (
    <>
      <dt>{t('directDebit.field.holder')}</dt>
      <dd>{mandate.holderName}</dd>
      <dt>{t('directDebit.field.address')}</dt>
      <dd>
        {mandate.holderAddress.map((l, i) => (
          <span class="line" key={i}>
            {l}
          </span>
        ))}
      </dd>
      <dt>{t('directDebit.field.iban')}</dt>
      <dd>{iban ?? <MaskedIban ctx={ctx} mandate={mandate} />}</dd>
      <dt>{t('directDebit.field.bic')}</dt>
      <dd>{mandate.bic ?? <span class="muted">{t('directDebit.none')}</span>}</dd>
      <dt>{t('directDebit.field.contracts')}</dt>
      <dd>
        {mandate.contracts.map((k) => (
          <span class="line" key={k.id}>
            {contractLabel(t, k)}
          </span>
        ))}
      </dd>
    </>
  );
}

/** A mandate's facts: state, RUM, holder, masked IBAN, BIC, contracts, signature (without RUM and payment type under CreditorFacts). */
function MandateFacts({ ctx, mandate, debtorOnly = false }: { ctx: PageContext; mandate: MandateView; debtorOnly?: boolean }) {
  const { t } = ctx;
  return (
    <dl class="facts">
      <dt>{t('directDebit.field.status')}</dt>
      <dd>
        <Status ctx={ctx} status={mandate.status} />
      </dd>
      {!debtorOnly && (
        <>
          <dt>{t('directDebit.field.rum')}</dt>
          <dd class="dd-rum">{mandate.rum}</dd>
        </>
      )}
      <DebtorFacts ctx={ctx} mandate={mandate} />
      {!debtorOnly && (
        <>
          <dt>{t('directDebit.field.paymentType')}</dt>
          <dd>{t('directDebit.text.recurrent')}</dd>
        </>
      )}
      {mandate.signedAt ? (
        <>
          <dt>{t('directDebit.field.signed')}</dt>
          <dd>{t('directDebit.signedValue', { date: formatDate(mandate.signedAt, ctx.lang), place: mandate.signaturePlace ?? '' })}</dd>
        </>
      ) : (
        <>
          <dt>{t('directDebit.field.place')}</dt>
          <dd>{mandate.signaturePlace}</dd>
        </>
      )}
    </dl>
  );
}

// ---------------------------------------------------------------- /prelevement

export type DirectDebitNotice = 'signed' | 'revoked' | 'alreadyRevoked' | 'alreadySigned' | null;

export interface DirectDebitPageData {
  current: CurrentMandate | null;
  /** A change of bank account under way: the new mandate (to sign, or to validate) beside the active one. */
  replacement?: MandateView | undefined;
  lastEnded: MandateView | undefined;
  pending: MandateView | undefined;
  /** Where the signing code would go; null when the customer has no verified primary address. */
  signingAddress: string | null;
  /** The primary address while it awaits verification: its link can be sent again. */
  pendingAddress: string | null;
  hasCurrentContracts: boolean;
  /** Current contracts already paid by direct debit, without a mandate in force here. */
  coverage: DirectDebitCoverage;
  operatorAddress: string;
  notice: DirectDebitNotice;
  error: DirectDebitKey | null;
}

const noticeKey: Record<Exclude<DirectDebitNotice, null>, DirectDebitKey> = {
  signed: 'directDebit.notice.signed',
  revoked: 'directDebit.notice.revoked',
  alreadyRevoked: 'directDebit.notice.alreadyRevoked',
  alreadySigned: 'directDebit.notice.alreadySigned',
};

export function DirectDebitView({ ctx, data }: { ctx: PageContext; data: DirectDebitPageData }) {
  const { t } = ctx;
  const { current, lastEnded, pending } = data;
  return (
    <>
      <h1>{t('directDebit.title')}</h1>
      {data.notice && (
        <div class="notice dd-notice" role="status">
          <p>{t(noticeKey[data.notice])}</p>
        </div>
      )}
      {data.error && (
        <StatusMessage alert>{t(data.error)}</StatusMessage>
      )}
      {!current && !data.signingAddress && data.hasCurrentContracts && (
        <section class="notice warning" aria-labelledby="adresse-a-verifier">
          <h2 id="adresse-a-verifier">{t('profileEmails.pendingTitle')}</h2>
          <NoVerifiedEmail ctx={ctx} pendingAddress={data.pendingAddress} />
        </section>
      )}
      {current ? (
        <section class="panel" aria-labelledby="mandat">
          <h2 id="mandat">{t('directDebit.current.title')}</h2>
          <MandateFacts ctx={ctx} mandate={current} />
          <p>{t(current.status === 'active' ? 'directDebit.active.note' : 'directDebit.toValidate.note')}</p>
          {current.hasPdf && (
            <p>
              <a href={mandatePdfHref(current)} aria-label={t('directDebit.pdf.label', { rum: current.rum })} download>
                {t('directDebit.pdf')}
              </a>
            </p>
          )}
          <p class="dd-actions">
            <a class="button dd-secondary" href={`/prelevement/mandat/${current.id}/revocation`}>
              {t('directDebit.revoke')}
            </a>
          </p>
          {current.status === 'active' && !data.replacement && data.signingAddress && (
            <>
              <p class="hint">{t('directDebit.change')}</p>
              <p>
                <a href={`/prelevement/mandat/${current.id}/changement`}>{t('directDebit.change.link')}</a>
              </p>
            </>
          )}
        </section>
      ) : null}
      {current && data.replacement && (
        <section class="panel" aria-labelledby="nouveau-compte">
          <h2 id="nouveau-compte">{t('directDebit.replace.pending.title')}</h2>
          <MandateFacts ctx={ctx} mandate={data.replacement} />
          {data.replacement.status === 'awaiting_signature' ? (
            <>
              <p>{t('directDebit.replace.draft', { rum: data.replacement.rum })}</p>
              <p>
                <a href={`/prelevement/mandat/${data.replacement.id}/signature`}>{t('directDebit.draft.continue', { rum: data.replacement.rum })}</a>
              </p>
            </>
          ) : (
            <>
              <p>{t('directDebit.replace.pending.note', { rum: current.rum })}</p>
              {data.replacement.hasPdf && (
                <p>
                  <a href={mandatePdfHref(data.replacement)} aria-label={t('directDebit.pdf.label', { rum: data.replacement.rum })} download>
                    {t('directDebit.pdf')}
                  </a>
                </p>
              )}
            </>
          )}
        </section>
      )}
      {!current && (
        <>
          <NoMandateIntro ctx={ctx} coverage={data.coverage} />
          {lastEnded && (
            <section class="panel dd-ended" aria-labelledby="dernier-mandat">
              <h2 id="dernier-mandat">
                {t(lastEnded.status === 'rejected' ? 'directDebit.rejected.title' : lastEnded.endReason === 'lapsed' ? 'directDebit.lapsed.title' : 'directDebit.revoked.title')}
              </h2>
              <p>
                {lastEnded.status === 'rejected'
                  ? t('directDebit.rejected.text', { rum: lastEnded.rum, reason: lastEnded.rejectionReason ?? '' })
                  : t(lastEnded.endReason === 'lapsed' ? 'directDebit.lapsed.text' : 'directDebit.revoked.text', {
                      rum: lastEnded.rum,
                      date: formatDate(lastEnded.revokedAt ?? lastEnded.createdAt, ctx.lang),
                    })}
              </p>
              {lastEnded.hasPdf && (
                <p>
                  <a href={mandatePdfHref(lastEnded)} aria-label={t('directDebit.pdf.label', { rum: lastEnded.rum })} download>
                    {t('directDebit.pdf')}
                  </a>
                </p>
              )}
            </section>
          )}
          {pending && data.signingAddress && (
            <section class="panel" aria-labelledby="a-signer">
              <h2 id="a-signer">{t('directDebit.draft.title')}</h2>
              <p>{t('directDebit.draft.text', { rum: pending.rum })}</p>
              <p>
                <a href={`/prelevement/mandat/${pending.id}/signature`}>{t('directDebit.draft.continue', { rum: pending.rum })}</a>
              </p>
            </section>
          )}
          <section class="panel" aria-labelledby="en-ligne">
            <h2 id="en-ligne">{t('directDebit.online.title')}</h2>
            {!data.hasCurrentContracts ? (
              <p>{t('directDebit.online.noContracts')}</p>
            ) : data.signingAddress ? (
              <>
                <p>{t('directDebit.online.text', { address: data.signingAddress })}</p>
                <p>
                  <a class="button" href="/prelevement/mandat">
                    {t('directDebit.online.start')}
                  </a>
                </p>
              </>
            ) : (
              <p>{t('directDebit.online.afterVerification')}</p>
            )}
          </section>
          <section class="panel" aria-labelledby="par-courrier">
            <h2 id="par-courrier">{t('directDebit.paper.title')}</h2>
            <p>{t('directDebit.paper.text', { address: data.operatorAddress })}</p>
            <p>
              <a href="/prelevement/formulaire.pdf" download>
                {t('directDebit.paper.link')}
              </a>
            </p>
          </section>
        </>
      )}
    </>
  );
}

/** Why the online form needs a verified address; the link to verify it sent again when there is one awaiting. */
export function NoVerifiedEmail({ ctx, pendingAddress = null }: { ctx: PageContext; pendingAddress?: string | null }) {
  const { t } = ctx;
  return (
    <>
      <p>{t('directDebit.online.noEmail')}</p>
      {pendingAddress && <PendingVerification ctx={ctx} slot="primary" address={pendingAddress} />}
      <p>
        <a href="/profil#adresses-email">{t('directDebit.online.noEmail.link')}</a>
      </p>
    </>
  );
}

/** A page that only says why the online form cannot be used, with the way out. */
export function CannotSignView({ ctx, reason }: { ctx: PageContext; reason: 'no_verified_email' | 'no_contracts' | 'already_has_mandate' | 'too_many_codes' }) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('directDebit.form.title')}</h1>
      {reason === 'no_verified_email' ? (
        <NoVerifiedEmail ctx={ctx} />
      ) : (
        <p role="alert">
          {t(
            reason === 'no_contracts'
              ? 'directDebit.online.noContracts'
              : reason === 'already_has_mandate'
                ? 'directDebit.already'
                : 'directDebit.error.tooManyCodes',
          )}
        </p>
      )}
      <p>
        <a href="/prelevement">{t('directDebit.title')}</a>
      </p>
    </section>
  );
}

// ---------------------------------------------------------------- the form

export function TextField(p: {
  ctx: PageContext;
  /** A field of the customer's form or of the staff's paper form. */
  name: Exclude<FormField | PaperField, 'contracts'>;
  label: string;
  value: string;
  error: FormError[] | undefined;
  hint?: string;
  optional?: boolean;
  autocomplete: string;
  type?: string;
  extra?: Record<string, string | boolean>;
}) {
  const { t } = p.ctx;
  return (
    <FieldFrame
      t={t}
      name={p.name}
      label={
        <>
          {p.label} <span class={p.optional ? 'opt' : 'req'}>{t(p.optional ? 'directDebit.form.optional' : 'directDebit.form.required')}</span>
        </>
      }
      hint={p.hint}
      errors={p.error}
    >
      <input
        id={p.name}
        name={p.name}
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        autocomplete={p.autocomplete}
        aria-required={p.optional ? undefined : 'true'}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p.hint && `${p.name}-hint`, p.error && `${p.name}-error`)}
        {...(p.extra ?? {})}
      />
    </FieldFrame>
  );
}

export interface MandateFormData {
  values: MandateFormValues;
  errors: MandateErrors;
  contracts: MandateContract[];
  creditor: Creditor;
  /** A change of bank account: the active mandate the new one replaces (its contracts are the new one's). */
  replaces?: MandateView | undefined;
}

/** The names of a mandate form's fields: the customer's form, and the staff's paper form (which adds its own). */
export const mandateFieldLabels = (t: Translate): Record<FormField, string> => ({
  holder: t('directDebit.form.holder'),
  street: t('directDebit.form.street'),
  postal_code: t('directDebit.form.postalCode'),
  city: t('directDebit.form.city'),
  country: t('directDebit.form.country'),
  iban: t('directDebit.form.iban'),
  bic: t('directDebit.form.bic'),
  contracts: t('directDebit.form.contracts'),
  place: t('directDebit.form.place'),
});

export function MandateFormView({ ctx, form }: { ctx: PageContext; form: MandateFormData }) {
  const { t } = ctx;
  const { values, errors, contracts, replaces } = form;
  const labels = mandateFieldLabels(t);
  return (
    <>
      <h1>{t(replaces ? 'directDebit.replace.title' : 'directDebit.form.title')}</h1>
      {replaces && <p>{t('directDebit.replace.intro', { rum: replaces.rum, iban: replaces.maskedIban })}</p>}
      <p>{t('directDebit.form.intro')}</p>
      <ErrorSummary
        t={ctx.t}
        errors={errors}
        labels={labels}
        anchors={{ contracts: `contract-${contracts[0]?.id ?? ''}` }}
        title="directDebit.form.errorSummary"
      />
      <form method="post" action={replaces ? `/prelevement/mandat/${replaces.id}/changement` : '/prelevement/mandat'} novalidate class="dd-form">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="rum" value={values.rum} />
        <section class="panel" aria-labelledby="creancier">
          <h2 id="creancier">{t('directDebit.text.creditor')}</h2>
          <CreditorFacts ctx={ctx} creditor={form.creditor} rum={values.rum} />
        </section>

        <fieldset class="panel dd-group">
          <legend>{t('directDebit.form.debtor')}</legend>
          <TextField ctx={ctx} name="holder" label={labels.holder} value={values.holder} error={errors.holder} hint={t('directDebit.form.holder.hint')} autocomplete="name" />
          <TextField ctx={ctx} name="street" label={labels.street} value={values.street} error={errors.street} autocomplete="street-address" />
          <div class="dd-row">
            <TextField ctx={ctx} name="postal_code" label={labels.postal_code} value={values.postal_code} error={errors.postal_code} autocomplete="postal-code" />
            <TextField ctx={ctx} name="city" label={labels.city} value={values.city} error={errors.city} autocomplete="address-level2" />
          </div>
          <TextField ctx={ctx} name="country" label={labels.country} value={values.country} error={errors.country} autocomplete="country-name" />
        </fieldset>

        <fieldset class="panel dd-group">
          <legend>{t('directDebit.form.account')}</legend>
          <TextField
            ctx={ctx}
            name="iban"
            label={labels.iban}
            value={values.iban}
            error={errors.iban}
            hint={t('directDebit.form.iban.hint')}
            autocomplete="off"
            extra={{ spellcheck: 'false', autocapitalize: 'characters', class: 'dd-mono' }}
          />
          <TextField
            ctx={ctx}
            name="bic"
            label={labels.bic}
            value={values.bic}
            error={errors.bic}
            hint={t('directDebit.form.bic.hint')}
            optional
            autocomplete="off"
            extra={{ spellcheck: 'false', autocapitalize: 'characters', class: 'dd-mono' }}
          />
        </fieldset>

        {replaces ? (
          <p class="panel">{t('directDebit.replace.contracts', { contracts: replaces.contracts.map((k) => `${k.number} (${k.car_park_name})`).join(', ') })}</p>
        ) : (
          <ContractsFieldset
            ctx={ctx}
            legend={labels.contracts}
            hint={t('directDebit.form.contracts.hint')}
            errors={errors.contracts}
            contracts={contracts}
            checked={values.contracts}
          />
        )}

        <section class="panel" aria-labelledby="texte-mandat">
          <h2 id="texte-mandat">{t('directDebit.form.text')}</h2>
          <LegalText ctx={ctx} creditor={form.creditor} />
          <TextField ctx={ctx} name="place" label={labels.place} value={values.place} error={errors.place} hint={t('directDebit.form.place.hint')} autocomplete="address-level2" />
        </section>

        <p class="dd-actions">
          <button type="submit" class="button">
            {t('directDebit.form.submit')}
          </button>
          <a href="/prelevement">{t('directDebit.form.cancel')}</a>
        </p>
      </form>
    </>
  );
}

// ---------------------------------------------------------------- signing

export interface SignatureData {
  mandate: MandateView;
  creditor: Creditor;
  /** The latest code, when it can still sign. */
  code: { sentTo: string; sentAt: string; expiresAt: string } | null;
  codeError: FormError | undefined;
  /** A message about the code as a whole (dead, resent, too soon…). */
  message: { key: DirectDebitKey; params?: Record<string, string | number>; kind: 'error' | 'status' } | null;
}

export function SignatureView({ ctx, data }: { ctx: PageContext; data: SignatureData }) {
  const { t } = ctx;
  const { mandate, code, codeError, message } = data;
  const base = `/prelevement/mandat/${mandate.id}`;
  return (
    <>
      <h1>{t('directDebit.sign.title')}</h1>
      {message &&
        (message.kind === 'error' ? (
          <StatusMessage alert>{t(message.key, message.params)}</StatusMessage>
        ) : (
          <div class="notice dd-notice" role="status">
            <p>{t(message.key, message.params)}</p>
          </div>
        ))}
      <p>{t('directDebit.sign.intro')}</p>

      <section class="panel" aria-labelledby="le-mandat">
        <h2 id="le-mandat">{t('directDebit.text.title')}</h2>
        <CreditorFacts ctx={ctx} creditor={data.creditor} rum={mandate.rum} />
        <h3 class="dd-subhead">{t('directDebit.pdf.debtor')}</h3>
        <MandateFacts ctx={ctx} mandate={mandate} debtorOnly />
        <LegalText ctx={ctx} creditor={data.creditor} />
      </section>

      <section class="panel" aria-labelledby="signer">
        <h2 id="signer">{t('directDebit.sign.step')}</h2>
        {code && (
          <p>
            {t('directDebit.sign.sent', { date: formatDateTime(code.sentAt, ctx.lang), address: code.sentTo, time: formatTime(code.expiresAt, ctx.lang) })}
          </p>
        )}
        <form method="post" action={`${base}/signature`} novalidate>
          <CsrfField ctx={ctx} />
          <div class={codeError ? 'field has-error' : 'field'}>
            <label for="code">{t('directDebit.sign.code')}</label>
            <p class="hint" id="code-hint">
              {t('directDebit.sign.code.hint')}
            </p>
            <FieldErrorText t={ctx.t} name="code" errors={codeError && [codeError]} />
            <input
              id="code"
              name="code"
              type="text"
              inputmode="numeric"
              autocomplete="one-time-code"
              maxlength={12}
              class="dd-code"
              aria-required="true"
              aria-invalid={codeError ? 'true' : undefined}
              aria-describedby={describedBy('code-hint', 'consent', codeError && 'code-error')}
            />
          </div>
          <p id="consent">{t('directDebit.sign.consent', { place: mandate.signaturePlace ?? '' })}</p>
          <button type="submit" class="button">
            {t('directDebit.sign.submit')}
          </button>
        </form>
        <form method="post" action={`${base}/nouveau-code`} class="dd-resend">
          <CsrfField ctx={ctx} />
          <p class="hint" id="resend-hint">
            {t('directDebit.sign.resend.hint')}
          </p>
          <button type="submit" class="button dd-secondary" aria-describedby="resend-hint">
            {t('directDebit.sign.resend')}
          </button>
        </form>
      </section>
    </>
  );
}

// ---------------------------------------------------------------- revocation

export function RevocationView({ ctx, mandate }: { ctx: PageContext; mandate: MandateView }) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('directDebit.revoke.title', { rum: mandate.rum })}</h1>
      <p>{t('directDebit.revoke.text')}</p>
      <MandateFacts ctx={ctx} mandate={mandate} />
      <form method="post" action={`/prelevement/mandat/${mandate.id}/revocation`} class="dd-actions">
        <CsrfField ctx={ctx} />
        <button type="submit" class="button dd-danger">
          {t('directDebit.revoke.confirm')}
        </button>
        <a href="/prelevement">{t('directDebit.revoke.back')}</a>
      </form>
    </section>
  );
}
