import type { CarPark, Language } from '../../db/schema.ts';
import type { Translate } from '../../lib/i18n.ts';
import type { PageContext } from '../../lib/page.tsx';
import { type HoursLine, isServiceCode, readHours, readServices } from './public.rules.ts';

export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

const weekdayFormats: Record<Language, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { weekday: 'long', timeZone: 'UTC' }),
  en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }),
};
/** `lundi` / `Monday` for 1 (1 January 2024 was a Monday). */
const weekdayName = (day: number, lang: Language) => weekdayFormats[lang].format(new Date(Date.UTC(2024, 0, day)));

/** `8h`, `7h30` / `8:00`, `7:30`. */
function hourText(t: Translate, hhmm: string) {
  const [h, minutes] = hhmm.split(':');
  return minutes === '00' ? t('parkings.hours.timeOnTheHour', { hour: Number(h) }) : t('parkings.hours.time', { hour: Number(h), minutes: minutes! });
}

function hoursLineText(t: Translate, lang: Language, line: HoursLine) {
  const span = line.hours && { open: hourText(t, line.hours[0]), close: hourText(t, line.hours[1]) };
  const days = line.days && { first: weekdayName(line.days[0], lang), last: weekdayName(line.days[1], lang) };
  const when = days
    ? span
      ? t('parkings.hours.days', { ...days, ...span })
      : t('parkings.hours.daysAllDay', days)
    : span
      ? t('parkings.hours.daily', span)
      : t('parkings.hours.always');
  return line.for === 'everyone' ? when : t(`parkings.hours.for.${line.for}`, { hours: when });
}

/**
 * A car park's opening hours in the reader's language (`car_parks.opening_hours`, see
 * public.rules.ts); a value that is not structured hours is shown as it is.
 */
export function openingHoursText({ t, lang }: Pick<PageContext, 't' | 'lang'>, stored: string): string {
  const lines = readHours(stored);
  return lines ? lines.map((line) => hoursLineText(t, lang, line)).join(t('format.listSeparator')) : stored;
}

/** A car park's services in the reader's language (a service stored as text: as it is). */
export const serviceLabels = (t: Translate, stored: string): string[] =>
  readServices(stored).map((s) => (isServiceCode(s) ? t(`parkings.service.${s}`) : s));

export function CarParkCard({ ctx, park, headingLevel }: { ctx: PageContext; park: CarPark; headingLevel: 2 | 3 }) {
  const { t } = ctx;
  const services = serviceLabels(t, park.services);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article class="card" aria-labelledby={`park-${park.code}`}>
      <H id={`park-${park.code}`}>{park.name}</H>
      <p>
        {park.address_line}
        <br />
        {park.postal_code} {park.city}
      </p>
      <p>
        {t('format.label', { label: t('contact.phone') })} <a href={telHref(park.phone)}>{park.phone}</a>
        {park.email && (
          <>
            <br />
            {t('format.label', { label: t('contact.email') })} <a href={`mailto:${park.email}`}>{park.email}</a>
          </>
        )}
      </p>
      <p>{t('format.labelValue', { label: t('parkings.hours'), value: openingHoursText(ctx, park.opening_hours) })}</p>
      {services.length > 0 && <p>{t('format.labelValue', { label: t('parkings.services'), value: services.join(', ') })}</p>}
    </article>
  );
}

export function CarParksView({ ctx, parks }: { ctx: PageContext; parks: CarPark[] }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('parkings.title')}</h1>
      <p>{t('parkings.intro')}</p>
      {parks.length === 0 ? (
        <p>{t('parkings.none')}</p>
      ) : (
        // A list, so that assistive technologies announce how many car parks there are.
        <ul class="cards">
          {parks.map((p) => (
            <li key={p.id}>
              <CarParkCard ctx={ctx} park={p} headingLevel={2} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
