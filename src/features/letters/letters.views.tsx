import { ErrorSummary, FieldErrorText, type FormErrors, TextAreaField } from '../../lib/forms.tsx';
import { formatDateTime } from '../../lib/i18n.ts';
import { CsrfField, type PageContext } from '../../lib/page.tsx';
import type { recentBatches } from './letters.queries.ts';
import { type BatchValues, MAX_LISTED } from './letters.rules.ts';

export const LETTERS_PATH = '/gestion/courriers';

export type BatchRow = Awaited<ReturnType<typeof recentBatches>>[number];
export type BatchErrors = FormErrors<'selection' | 'numbers'>;

/** `/gestion/courriers`: a batch for every customer never activated, or for a list; the batches printed, with their CSV. */
export function LettersView({
  ctx,
  neverActivated,
  batches,
  values,
  errors,
}: {
  ctx: PageContext;
  neverActivated: number;
  batches: BatchRow[];
  values: BatchValues;
  errors: BatchErrors;
}) {
  const { t } = ctx;
  const listErrors = errors.numbers;
  return (
    <>
      <h1>{t('letters.title')}</h1>
      <p>{t('letters.intro')}</p>
      <p>{t('letters.download')}</p>
      <ErrorSummary
        t={t}
        errors={errors}
        labels={{ selection: t('letters.never.title'), numbers: t('letters.list.label') }}
        anchors={{ selection: 'jamais' }}
        title="letters.error.summary"
      />

      <section class="panel" aria-labelledby="jamais">
        <h2 id="jamais" tabindex={-1}>
          {t('letters.never.title')}
        </h2>
        <FieldErrorText t={t} name="selection" errors={errors.selection} />
        <p>{t('letters.never.count', { count: neverActivated })}</p>
        <form method="post" action={LETTERS_PATH}>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="selection" value="jamais" />
          <button type="submit" class="button">
            {t('letters.never.submit')}
          </button>
        </form>
      </section>

      <section class="panel" aria-labelledby="liste">
        <h2 id="liste">{t('letters.list.title')}</h2>
        <form method="post" action={LETTERS_PATH} novalidate>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="selection" value="liste" />
          <TextAreaField
            t={t}
            name="numbers"
            label={t('letters.list.label')}
            hint={t('letters.list.hint', { max: MAX_LISTED })}
            errors={listErrors}
            list
            rows={6}
            required
            value={values.numbers}
          />
          <button type="submit" class="button">
            {t('letters.list.submit')}
          </button>
        </form>
      </section>

      <section class="panel" aria-labelledby="lots">
        <h2 id="lots">{t('letters.batches.title')}</h2>
        {batches.length === 0 ? (
          <p>{t('letters.batches.none')}</p>
        ) : (
          <table class="stack">
              <caption>{t('letters.batches.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('letters.batches.date')}</th>
                  <th scope="col">{t('letters.batches.staff')}</th>
                  <th scope="col" class="num">
                    {t('letters.batches.count')}
                  </th>
                  <th scope="col">{t('letters.batches.csv')}</th>
                </tr>
              </thead>
              <tbody>
                {batches.map((b) => {
                  const date = formatDateTime(b.created_at, 'fr');
                  return (
                    <tr key={b.id}>
                      <th scope="row" data-label={t('letters.batches.date')}>
                        {date}
                      </th>
                      <td data-label={t('letters.batches.staff')}>{b.staff_name}</td>
                      <td class="num" data-label={t('letters.batches.count')}>
                        {b.letter_count}
                      </td>
                      <td data-label={t('letters.batches.csv')}>
                        <a href={`/gestion/courriers/${b.id}.csv`} download>
                          {t('letters.batches.download', { date })}
                        </a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
          </table>
        )}
      </section>
    </>
  );
}
