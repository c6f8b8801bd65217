import { ErrorSummary, Field, FieldErrorText, type FormErrors } from '../../lib/forms.tsx';
import { formatDate, formatDateTime, type MessageKey } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, PostButton, StatusMessage } from '../../lib/page.tsx';
import { NewPasswordFields } from '../auth/auth.views.tsx';
import type { UserRow } from './users.queries.ts';
import { type InviteValues, USER_ROLES } from './users.rules.ts';
import type { UserLinkTarget } from './users.service.ts';

/** A notice of the users page, with its words filled. */
export interface UsersNotice {
  key: MessageKey;
  params?: Record<string, string>;
  /** A refusal (an invitation sent again too often), read out at once. */
  alert?: boolean;
}

/** A user's state as both lists show it: an invitation pending (until when) or expired (since when). */
function UserState({ ctx, user }: { ctx: PageContext; user: UserRow }) {
  const { t, lang } = ctx;
  const inv = user.invitation;
  if (!inv) return <>{t(`users.state.${user.state}`)}</>;
  const date = formatDate(inv.expiresAt, lang);
  return inv.state === 'pending' ? (
    <>
      {t('users.state.invited')} ({t('users.invitation.until', { date })})
    </>
  ) : (
    <>
      {t('users.state.expired')} ({t('users.invitation.expiredOn', { date })})
    </>
  );
}

/** The owner's page of the account's users: the roles explained, the list (role changed, access removed), the invitation form. */
export function UsersView({ ctx, users, values, errors = {}, notice }: { ctx: PageContext; users: UserRow[]; values: InviteValues; errors?: FormErrors; notice?: UsersNotice | undefined }) {
  const { t, lang } = ctx;
  const labels = { email: t('users.invite.email'), name: t('users.invite.name'), role: t('users.invite.role') };
  const current = users.filter((u) => u.state !== 'removed');
  return (
    <>
      <h1>{t('users.title')}</h1>
      {notice && <StatusMessage alert={notice.alert}>{t(notice.key, notice.params)}</StatusMessage>}
      <p>{t('users.intro')}</p>
      <section class="panel" aria-labelledby="roles">
        <h2 id="roles">{t('users.roles.title')}</h2>
        <ul>
          {USER_ROLES.map((r) => (
            <li key={r}>
              <strong>{t(`users.role.${r}`)}</strong> : {t(`users.role.${r}.help`)}
            </li>
          ))}
        </ul>
      </section>
      <section class="panel" aria-labelledby="liste">
        <h2 id="liste">{t('users.list.title')}</h2>
        {current.length === 0 ? (
          <p>{t('users.list.empty')}</p>
        ) : (
          <table class="stack">
            <thead>
              <tr>
                <th scope="col">{t('users.col.name')}</th>
                <th scope="col">{t('users.col.email')}</th>
                <th scope="col">{t('users.col.state')}</th>
                <th scope="col">{t('users.col.lastLogin')}</th>
                <th scope="col">{t('users.col.role')}</th>
                <th scope="col">{t('users.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {current.map((u) => (
                <tr key={u.id}>
                  <th scope="row" data-label={t('users.col.name')}>
                    {u.name}
                  </th>
                  <td data-label={t('users.col.email')}>{u.email}</td>
                  <td data-label={t('users.col.state')}>
                    <UserState ctx={ctx} user={u} />
                  </td>
                  <td data-label={t('users.col.lastLogin')}>{u.last_login_at ? formatDateTime(u.last_login_at, lang) : t('users.lastLogin.never')}</td>
                  <td data-label={t('users.col.role')}>
                    <form method="post" action={`/profil/utilisateurs/${encodeURIComponent(u.id)}/role`} class="inline">
                      <CsrfField ctx={ctx} />
                      <select id={`role-${u.id}`} name="role" aria-label={t('users.role.changeLabel', { name: u.name })}>
                        {USER_ROLES.map((r) => (
                          <option key={r} value={r} selected={u.role === r}>
                            {t(`users.role.${r}`)}
                          </option>
                        ))}
                      </select>{' '}
                      <button type="submit" class="link-button dark">
                        {t('users.role.submit')}
                      </button>
                    </form>
                  </td>
                  <td data-label={t('users.col.actions')}>
                    {u.invitation && (
                      <>
                        <PostButton ctx={ctx} action={`/profil/utilisateurs/${encodeURIComponent(u.id)}/invitation`} class="link-button dark" label={t('users.resend.label', { name: u.name })}>
                          {t('users.resend.submit')}
                        </PostButton>{' '}
                      </>
                    )}
                    <PostButton ctx={ctx} action={`/profil/utilisateurs/${encodeURIComponent(u.id)}/suppression`} class="link-button dark" label={t('users.remove.label', { name: u.name })}>
                      {t('users.remove.submit')}
                    </PostButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="panel narrow" aria-labelledby="inviter">
        <h2 id="inviter" tabindex={-1}>
          {t('users.invite.title')}
        </h2>
        <ErrorSummary t={t} errors={errors} labels={labels} level={3} />
        <p>{t('users.invite.hint')}</p>
        <form method="post" action="/profil/utilisateurs#inviter" novalidate>
          <CsrfField ctx={ctx} />
          <Field t={t} name="email" type="email" label={labels.email} value={values.email} errors={errors.email} autocomplete="off" required />
          <Field t={t} name="name" label={labels.name} value={values.name} errors={errors.name} autocomplete="off" required />
          <div class={errors.role ? 'field has-error' : 'field'}>
            <label for="role">{labels.role}</label>
            <FieldErrorText t={t} name="role" errors={errors.role} />
            <select id="role" name="role" aria-required="true" aria-invalid={errors.role ? 'true' : undefined} aria-describedby={errors.role ? 'role-error' : undefined}>
              <option value="">{t('users.invite.role.choose')}</option>
              {USER_ROLES.map((r) => (
                <option key={r} value={r} selected={values.role === r}>
                  {t(`users.role.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button">
            {t('users.invite.submit')}
          </button>
        </form>
      </section>
      <p>
        <a href="/profil">{t('emailChange.cancel')}</a>
      </p>
    </>
  );
}

export interface UserPasswordValues {
  password: string;
  password_confirm: string;
}

/** The page a user's link opens (invitation or new password): who they are for which account, their password twice. */
export function UserPasswordView({ ctx, token, target, values, errors = {} }: { ctx: PageContext; token: string; target: UserLinkTarget; values: UserPasswordValues; errors?: FormErrors }) {
  const { t } = ctx;
  const labels = { password: t('reset.form.password'), password_confirm: t('reset.form.confirm') };
  const account = target.kind === 'business' && target.company_name ? target.company_name : target.last_name;
  return (
    <section class="panel narrow">
      <h1>{t('users.accept.title')}</h1>
      <ErrorSummary t={t} errors={errors} labels={labels} />
      <p>{t('users.accept.intro', { account, number: target.number, role: t(`users.role.${target.role}`) })}</p>
      <p>{t('users.accept.login', { email: target.email })}</p>
      <form method="post" action="/utilisateur" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="token" value={token} />
        <NewPasswordFields t={t} labels={labels} values={values} errors={errors} />
        <button type="submit" class="button">
          {t('users.accept.submit')}
        </button>
      </form>
    </section>
  );
}

export function UserLinkInvalidView({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <section class="panel narrow">
      <h1>{t('users.accept.invalid.title')}</h1>
      <p>{t('users.accept.invalid')}</p>
      <p>
        <a href="/connexion">{t('reset.backToLogin')}</a>
      </p>
    </section>
  );
}

/** The users of an account on its back-office page: who, their role and state, their last login; a way to send an invitation again, and to remove one. */
export function BackofficeUsersSection({ ctx, customerNumber, users }: { ctx: PageContext; customerNumber: string; users: UserRow[] }) {
  const { t, lang } = ctx;
  return (
    <section class="panel" aria-labelledby="utilisateurs">
      <h2 id="utilisateurs">{t('users.bo.title')}</h2>
      {users.length === 0 ? (
        <p>{t('users.bo.none')}</p>
      ) : (
        <table class="stack">
          <thead>
            <tr>
              <th scope="col">{t('users.col.name')}</th>
              <th scope="col">{t('users.col.email')}</th>
              <th scope="col">{t('users.col.role')}</th>
              <th scope="col">{t('users.col.state')}</th>
              <th scope="col">{t('users.col.lastLogin')}</th>
              <th scope="col">{t('users.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <th scope="row" data-label={t('users.col.name')}>
                  {u.name}
                </th>
                <td data-label={t('users.col.email')}>{u.email}</td>
                <td data-label={t('users.col.role')}>{t(`users.role.${u.role}`)}</td>
                <td data-label={t('users.col.state')}>
                  <UserState ctx={ctx} user={u} />
                  {u.removed_at && ` (${formatDate(u.removed_at, lang)})`}
                </td>
                <td data-label={t('users.col.lastLogin')}>{u.last_login_at ? formatDateTime(u.last_login_at, lang) : t('users.lastLogin.never')}</td>
                <td data-label={t('users.col.actions')}>
                  {u.state === 'invited' && (
                    <PostButton
                      ctx={ctx}
                      action={`/gestion/clients/${encodeURIComponent(customerNumber)}/utilisateurs/${encodeURIComponent(u.id)}/invitation`}
                      class="link-button dark"
                      label={t('users.resend.label', { name: u.name })}
                    >
                      {t('users.resend.submit')}
                    </PostButton>
                  )}{' '}
                  {u.state !== 'removed' && (
                    <PostButton
                      ctx={ctx}
                      action={`/gestion/clients/${encodeURIComponent(customerNumber)}/utilisateurs/${encodeURIComponent(u.id)}/suppression`}
                      class="link-button dark"
                      label={t('users.bo.remove.label', { name: u.name })}
                    >
                      {t('users.bo.remove')}
                    </PostButton>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
