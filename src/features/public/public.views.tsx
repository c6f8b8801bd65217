import type { CarPark } from '../../db/schema.ts';
import type { PageContext } from '../../lib/page.tsx';

export const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

export function CarParkCard({ ctx, park, headingLevel }: { ctx: PageContext; park: CarPark; headingLevel: 2 | 3 }) {
  const { t } = ctx;
  const services = JSON.parse(park.services) as string[];
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
        {t('contact.phone')} : <a href={telHref(park.phone)}>{park.phone}</a>
        {park.email && (
          <>
            <br />
            {t('contact.email')} : <a href={`mailto:${park.email}`}>{park.email}</a>
          </>
        )}
      </p>
      <p>
        {t('parkings.hours')} : {park.opening_hours}
      </p>
      {services.length > 0 && (
        <p>
          {t('parkings.services')} : {services.join(', ')}
        </p>
      )}
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
