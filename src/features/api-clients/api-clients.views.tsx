import { STAFF_PREFIX } from '../../areas/staff-area.ts';
import { ErrorSummary, Field, FieldErrorText, type FormErrors } from '../../lib/forms.tsx';
import { type MessageKey, formatDateTime } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import type { ApiClientRow } from './api-clients.queries.ts';
import { API_SCOPES, type NewClientValues, scopeLabel, shownKey } from './api-clients.rules.ts';
import type { IssuedKey } from './api-clients.service.ts';

/* The API's clients in the back office (admins): the list and the new client's form; one client's page, its keys and what can be done. */

const base = `${STAFF_PREFIX}/api`;

/** A key just made, shown once, with what to do with it. */
function KeyShown({ ctx, name, issued }: { ctx: PageContext; name: string; issued: IssuedKey }) {
  return (
    <div class="notice" role="status">
      <p>{ctx.t('api.bo.keyShown', { name })}</p>
      <p class="enrolment-link">
        <code>{issued.key}</code>
      </p>
      <p>{ctx.t('api.bo.keyShown.hint')}</p>
    </div>
  );
}

const activeKeys = (c: ApiClientRow) => c.keys.filter((k) => k.revoked_at === null);
const lastUsed = (c: ApiClientRow) =>
  c.keys
    .map((k) => k.last_used_at)
    .filter((d): d is string => d !== null)
    .sort()
    .at(-1) ?? null;

export function ApiClientsView({
  ctx,
  clients,
  values,
  errors = {},
  created,
}: {
  ctx: PageContext;
  clients: ApiClientRow[];
  values: NewClientValues;
  errors?: FormErrors;
  created?: { name: string; key: IssuedKey } | undefined;
}) {
  const { t, lang } = ctx;
  const labels = { name: t('api.bo.field.name'), scopes: t('api.bo.field.scopes'), rate_limit: t('api.bo.field.rateLimit') };
  const scopesWrong = Boolean(errors.scopes?.length);
  return (
    <>
      <h1>{t('api.bo.title')}</h1>
      <p>{t('api.bo.intro')}</p>
      <p>
        <a href="/api/docs">{t('api.bo.docs')}</a>
      </p>
      {created && <KeyShown ctx={ctx} name={created.name} issued={created.key} />}
      <section class="panel">
        {clients.length === 0 ? (
          <p>{t('api.bo.none')}</p>
        ) : (
          <table class="stack">
            <caption>{t('api.bo.caption', { count: clients.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('api.bo.col.name')}</th>
                <th scope="col">{t('api.bo.col.scopes')}</th>
                <th scope="col">{t('api.bo.col.state')}</th>
                <th scope="col">{t('api.bo.col.keys')}</th>
                <th scope="col">{t('api.bo.col.lastUsed')}</th>
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => {
                const used = lastUsed(c);
                return (
                  <tr key={c.id}>
                    <th scope="row" data-label={t('api.bo.col.name')}>
                      <a href={`${base}/${c.id}`}>{c.name}</a>
                    </th>
                    <td data-label={t('api.bo.col.scopes')} class="bo-long">{c.scopes.join(', ')}</td>
                    <td data-label={t('api.bo.col.state')}>{t(c.state === 'active' ? 'api.bo.state.active' : 'api.bo.state.disabled')}</td>
                    <td data-label={t('api.bo.col.keys')}>{activeKeys(c).map((k) => shownKey(k.prefix)).join(', ') || '—'}</td>
                    <td data-label={t('api.bo.col.lastUsed')}>{used ? formatDateTime(used, lang) : t('api.bo.never')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
      <section class="panel narrow" aria-labelledby="new-client-heading">
        <h2 id="new-client-heading">{t('api.bo.create.heading')}</h2>
        <ErrorSummary t={t} errors={errors} labels={labels} anchors={{ scopes: `scope-${API_SCOPES[0]}` }} level={3} />
        <p>{t('api.bo.create.intro')}</p>
        <form method="post" action={base} novalidate>
          <CsrfField ctx={ctx} />
          <Field t={t} name="name" label={labels.name} hint={t('api.bo.field.name.hint')} value={values.name} errors={errors.name} autocomplete="off" required />
          <fieldset class={scopesWrong ? 'group has-error' : 'group'} aria-describedby={scopesWrong ? 'scopes-error' : undefined}>
            <legend>{labels.scopes}</legend>
            <FieldErrorText t={t} name="scopes" errors={errors.scopes} />
            {API_SCOPES.map((scope) => (
              <div class="checkbox" key={scope}>
                <input type="checkbox" id={`scope-${scope}`} name="scopes" value={scope} checked={values.scopes.includes(scope)} />
                <label for={`scope-${scope}`}>
                  {t(scopeLabel(scope))} (<code>{scope}</code>)
                </label>
              </div>
            ))}
          </fieldset>
          <Field t={t} name="rate_limit" label={labels.rate_limit} value={values.rateLimit} errors={errors.rate_limit} inputmode="numeric" autocomplete="off" />
          <button type="submit" class="button">
            {t('api.bo.create.submit')}
          </button>
        </form>
      </section>
    </>
  );
}

export function ApiClientView({
  ctx,
  client,
  notice,
  error,
  issued,
}: {
  ctx: PageContext;
  client: ApiClientRow;
  notice?: MessageKey | undefined;
  error?: MessageKey | undefined;
  issued?: IssuedKey | undefined;
}) {
  const { t, lang } = ctx;
  const here = `${base}/${client.id}`;
  const active = client.state === 'active';
  return (
    <>
      <p>
        <a href={base}>{t('api.bo.client.back')}</a>
      </p>
      <h1>{t('api.bo.client.title', { name: client.name })}</h1>
      {notice && (
        <StatusMessage>{t(notice)}</StatusMessage>
      )}
      {error && (
        <StatusMessage alert>{t(error)}</StatusMessage>
      )}
      {issued && <KeyShown ctx={ctx} name={client.name} issued={issued} />}
      <section class="panel" aria-labelledby="summary-heading">
        <h2 id="summary-heading">{t('api.bo.client.summary')}</h2>
        <dl>
          <dt>{t('api.bo.col.state')}</dt>
          <dd>{t(active ? 'api.bo.state.active' : 'api.bo.state.disabled')}</dd>
          <dt>{t('api.bo.col.scopes')}</dt>
          <dd>{client.scopes.map((s) => `${t(scopeLabel(s))} (${s})`).join(', ')}</dd>
          <dt>{t('api.bo.field.rateLimit')}</dt>
          <dd>{client.rate_limit_per_minute}</dd>
          <dt>{t('api.bo.client.created')}</dt>
          <dd>{formatDateTime(client.created_at, lang)}</dd>
        </dl>
      </section>
      <section class="panel" aria-labelledby="keys-heading">
        <h2 id="keys-heading">{t('api.bo.keys.heading')}</h2>
        <table class="stack">
          <caption>{t('api.bo.keys.caption', { name: client.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('api.bo.keys.col.prefix')}</th>
              <th scope="col">{t('api.bo.keys.col.created')}</th>
              <th scope="col">{t('api.bo.keys.col.lastUsed')}</th>
              <th scope="col">{t('api.bo.keys.col.state')}</th>
              <th scope="col">{t('api.bo.keys.col.action')}</th>
            </tr>
          </thead>
          <tbody>
            {client.keys.map((k) => (
              <tr key={k.id}>
                <th scope="row" data-label={t('api.bo.keys.col.prefix')}>
                  <code>{shownKey(k.prefix)}</code>
                </th>
                <td data-label={t('api.bo.keys.col.created')}>{formatDateTime(k.created_at, lang)}</td>
                <td data-label={t('api.bo.keys.col.lastUsed')}>{k.last_used_at ? formatDateTime(k.last_used_at, lang) : t('api.bo.never')}</td>
                <td data-label={t('api.bo.keys.col.state')}>
                  {k.revoked_at ? t('api.bo.keys.revoked', { date: formatDateTime(k.revoked_at, lang) }) : t('api.bo.keys.active')}
                </td>
                <td data-label={t('api.bo.keys.col.action')}>
                  {k.revoked_at === null && active ? (
                    <form method="post" action={`${here}/cles/${k.id}/revocation`}>
                      <CsrfField ctx={ctx} />
                      <button type="submit" class="button secondary">
                        {t('api.bo.keys.revoke', { prefix: shownKey(k.prefix) })}
                      </button>
                    </form>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {active && (
        <>
          <section class="panel" aria-labelledby="new-key-heading">
            <h2 id="new-key-heading">{t('api.bo.keys.new.heading')}</h2>
            <p>{t('api.bo.keys.new.intro')}</p>
            <form method="post" action={`${here}/cles`}>
              <CsrfField ctx={ctx} />
              <button type="submit" class="button">
                {t('api.bo.keys.new.submit')}
              </button>
            </form>
          </section>
          <section class="panel" aria-labelledby="disable-heading">
            <h2 id="disable-heading">{t('api.bo.disable.heading')}</h2>
            <p>{t('api.bo.disable.intro')}</p>
            <form method="post" action={`${here}/desactivation`}>
              <CsrfField ctx={ctx} />
              <button type="submit" class="button secondary">
                {t('api.bo.disable.submit', { name: client.name })}
              </button>
            </form>
          </section>
        </>
      )}
    </>
  );
}
