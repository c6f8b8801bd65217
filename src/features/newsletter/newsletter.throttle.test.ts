import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { HOUR } from '../../lib/clock.ts';
import { NEWSLETTER_PER_IP_PER_HOUR } from './newsletter.routes.tsx';

describe.each(databaseKinds())('newsletter forms from one IP (%s)', (kind) => {
  const t = useTestApp(kind);

  it('cannot be used to mail any number of addresses: 429 with Retry-After after the hourly limit', async () => {
    const b = new Browser(t.app, '10.66.0.1');
    const statuses: number[] = [];
    for (let i = 0; i < NEWSLETTER_PER_IP_PER_HOUR + 3; i++) {
      const form = i % 2 === 0 ? ['/newsletter', { email: `flood${i}@example.fr` }] : ['/newsletter/desabonnement', { unsubscribe_email: `flood${i}@example.fr` }];
      const res = await b.submit('/newsletter', form[0] as string, form[1] as Record<string, string>);
      statuses.push(res.statusCode);
      if (res.statusCode === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, NEWSLETTER_PER_IP_PER_HOUR).every((s) => s === 303)).toBe(true);
    expect(statuses.slice(NEWSLETTER_PER_IP_PER_HOUR)).toEqual([429, 429, 429]);
    // Another IP is not concerned, and the hour passes.
    expect((await new Browser(t.app, '10.66.0.2').submit('/newsletter', '/newsletter', { email: 'other@example.fr' })).statusCode).toBe(303);
    t.clock.advance(HOUR + 1000);
    expect((await b.submit('/newsletter', '/newsletter', { email: 'later@example.fr' })).statusCode).toBe(303);
  });
});
