import { formatDateTime, type MessageKey } from '../../lib/i18n.ts';
import { CsrfField, type PageContext, StatusMessage } from '../../lib/page.tsx';
import type { ExportState } from './mydata.rules.ts';

/*
 * "Mes données personnelles": the page (what the archive holds, the state of the latest
 * export, the one button), Profil's section, and the page of an expired link.
 */

export const MYDATA_PATH = '/profil/mes-donnees';
export const ARCHIVE_PATH = '/profil/mes-donnees/archive.zip';

/** An archive's size as the reader says it: kB under a megabyte, else MB with one decimal. */
function sizeText(ctx: PageContext, bytes: number): string {
  const { t, lang } = ctx;
  if (bytes < 1024 * 1024) return t('mydata.size.kb', { size: Math.max(1, Math.round(bytes / 1024)) });
  return t('mydata.size.mb', { size: (bytes / (1024 * 1024)).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1 }) });
}

/** The state of the latest export, in a sentence. */
export function ExportStateText({ ctx, state }: { ctx: PageContext; state: ExportState }) {
  const { t, lang } = ctx;
  switch (state.state) {
    case 'none':
      return <>{t('mydata.state.none')}</>;
    case 'pending':
      return <>{t('mydata.state.pending', { date: formatDateTime(state.requestedAt, lang) })}</>;
    case 'ready':
      return <>{t('mydata.state.ready', { date: formatDateTime(state.expiresAt, lang) })}</>;
    case 'expired':
      return <>{t('mydata.state.expired', { date: formatDateTime(state.expiredAt, lang) })}</>;
  }
}

export function MyDataView({ ctx, state, size, notice }: { ctx: PageContext; state: ExportState; size: number | null; notice?: { key: MessageKey; params?: Record<string, string | number>; alert?: boolean } }) {
  const { t } = ctx;
  const items: MessageKey[] = [
    'mydata.include.identity',
    'mydata.include.contracts',
    'mydata.include.consents',
    'mydata.include.logins',
    'mydata.include.requests',
    'mydata.include.mails',
    'mydata.include.documents',
    'mydata.include.audit',
  ];
  return (
    <>
      <h1>{t('mydata.title')}</h1>
      {notice && <StatusMessage alert={notice.alert}>{t(notice.key, notice.params)}</StatusMessage>}
      <section class="panel" aria-labelledby="mydata-what">
        <p id="mydata-what">{t('mydata.intro')}</p>
        <p>{t('mydata.includes')}</p>
        <ul>
          {items.map((k) => (
            <li key={k}>{t(k)}</li>
          ))}
        </ul>
        <p>{t('mydata.format')}</p>
      </section>
      <section class="panel" aria-labelledby="mydata-state">
        <h2 id="mydata-state">{t('mydata.section')}</h2>
        <p>
          <ExportStateText ctx={ctx} state={state} />
        </p>
        {state.state === 'ready' && size !== null && (
          <p>
            <a class="button" href={ARCHIVE_PATH} download>
              {t('mydata.download', { size: sizeText(ctx, size) })}
            </a>
          </p>
        )}
        {state.state !== 'pending' && (
          <form method="post" action={MYDATA_PATH}>
            <CsrfField ctx={ctx} />
            <button type="submit" class={state.state === 'ready' ? 'link-button dark' : 'button'}>
              {t('mydata.ask')}
            </button>
          </form>
        )}
      </section>
    </>
  );
}

/** Profil's section: the state of the latest export and the way to the page. */
export function MyDataSection({ ctx, state }: { ctx: PageContext; state: ExportState }) {
  const { t } = ctx;
  return (
    <section class="panel" aria-labelledby="mes-donnees">
      <h2 id="mes-donnees" tabindex={-1}>
        {t('mydata.section')}
      </h2>
      <p>{t('mydata.sectionIntro')}</p>
      <p>
        <ExportStateText ctx={ctx} state={state} />
      </p>
      <p>
        <a href={MYDATA_PATH}>{t('mydata.link')}</a>
      </p>
    </section>
  );
}

export function ExpiredView({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <section class="panel">
      <h1>{t('mydata.expired.title')}</h1>
      <p>{t('mydata.expired.p1')}</p>
      <p>
        <a href={MYDATA_PATH}>{t('mydata.expired.action')}</a>
      </p>
    </section>
  );
}
