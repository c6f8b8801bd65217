import type { CarPark } from '../../db/schema.ts';
import type { PageContext } from '../../lib/page.tsx';

const telHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

function CarParkCard({ ctx, park, headingLevel }: { ctx: PageContext; park: CarPark; headingLevel: 2 | 3 }) {
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

export function ContactView({ ctx, parks, operator }: { ctx: PageContext; parks: CarPark[]; operator: { phone: string; email: string; address: string; name: string } }) {
  const { t } = ctx;
  return (
    <>
      <h1>{t('contact.title')}</h1>
      <p>{t('contact.intro')}</p>
      <section class="panel" aria-labelledby="service">
        <h2 id="service">{t('contact.service')}</h2>
        <dl class="facts">
          <dt>{t('contact.phone')}</dt>
          <dd>
            <a href={telHref(operator.phone)}>{operator.phone}</a>
          </dd>
          <dt>{t('contact.email')}</dt>
          <dd>
            <a href={`mailto:${operator.email}`}>{operator.email}</a>
          </dd>
          <dt>{t('contact.address')}</dt>
          <dd>
            {operator.name}, {operator.address}
          </dd>
        </dl>
      </section>
      {parks.length > 0 && (
        <section class="panel" aria-labelledby="your-parks">
          <h2 id="your-parks">{t('contact.yourParks')}</h2>
          <div class="cards">
            {parks.map((p) => (
              <CarParkCard key={p.id} ctx={ctx} park={p} headingLevel={3} />
            ))}
          </div>
        </section>
      )}
    </>
  );
}

export function CarParksView({ ctx, parks }: { ctx: PageContext; parks: CarPark[] }) {
  return (
    <>
      <h1>{ctx.t('parkings.title')}</h1>
      <div class="cards">
        {parks.map((p) => (
          <CarParkCard key={p.id} ctx={ctx} park={p} headingLevel={2} />
        ))}
      </div>
    </>
  );
}
