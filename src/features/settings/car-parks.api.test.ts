import { describe, expect, it } from 'vitest';
import { api, apiClientWith, expectProblem } from '../../../tests/support/api.ts';
import { Browser, databaseKinds, useTestApp } from '../../../tests/support/app.ts';

/* Car parks in the API: PUT by code with the petit-rouleur option, read, listed to the end. */

const base = '/api/v1/car-parks';
let serial = 0;
const newCode = () => `P${process.pid % 1000}X${Date.now() % 100000}X${++serial}`;

const body = (over: Record<string, unknown> = {}) => ({
  name: 'PARC DES LILAS',
  address: { line: '3 rue des Lilas', postal_code: '75019', city: 'PARIS' },
  phone: '01 42 00 00 00',
  opening_hours: [{ for: 'everyone' }, { for: 'reception', days: [1, 5], hours: ['08:00', '19:00'] }],
  services: ['ev_charging', 'motorcycles'],
  petit_rouleur_30: true,
  ...over,
});

describe.each(databaseKinds())('car parks in the API (%s)', (kind) => {
  const t = useTestApp(kind);

  const audited = async (code: string) => {
    const park = await t.db.selectFrom('car_parks').select('id').where('code', '=', code).executeTakeFirstOrThrow();
    return t.db.selectFrom('audit_log').select(['action', 'actor_type', 'details']).where('target_id', '=', park.id).orderBy('at').orderBy('id').execute();
  };

  it('creates a car park with its petit-rouleur option, says a repeat changed nothing, updates it; the public page shows it', async () => {
    const { key, client } = await apiClientWith(t, ['car_parks:write', 'car_parks:read']);
    const code = newCode();
    const created = await api(t, key, 'PUT', `${base}/${code}`, body());
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ code, petit_rouleur_30: true, services: ['ev_charging', 'motorcycles'], email: null, unchanged: false });
    const again = await api(t, key, 'PUT', `${base}/${code}`, body());
    expect(again.json()).toMatchObject({ unchanged: true });
    expect(await audited(code)).toHaveLength(1);

    t.clock.advance(1000);
    const changed = await api(t, key, 'PUT', `${base}/${code}`, body({ petit_rouleur_30: false }));
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ unchanged: false, petit_rouleur_30: false });
    const trail = await audited(code);
    expect(trail.map((a) => [a.action, a.actor_type])).toEqual([
      ['car_park.create', 'api'],
      ['car_park.update', 'api'],
    ]);
    expect(JSON.parse(trail[1]!.details!)).toEqual({ client: client.name, code, changes: { petit_rouleur_30: [1, 0] } });

    expect((await api(t, key, 'GET', `${base}/${code}`)).json()).toMatchObject({ code, opening_hours: body().opening_hours });
    const page = await new Browser(t.app, '198.51.100.81').get('/parkings');
    expect(page.body).toContain('PARC DES LILAS');
  });

  it('names every bad field and refuses unknown ones', async () => {
    const { key } = await apiClientWith(t, ['car_parks:write']);
    const res = await api(t, key, 'PUT', `${base}/${newCode()}`, {
      ...body({ phone: 'nope', opening_hours: [{ for: 'staff' }], petit_rouleur_30: 'oui' }),
      address: { line: '3 rue', postal_code: '750', city: 'PARIS' },
      levels: 4,
    });
    const problem = expectProblem(res, 422, 'validation_failed');
    expect(problem.errors!.map((e) => [e.field, e.code])).toEqual([
      ['address.postal_code', 'format'],
      ['phone', 'invalid'],
      ['opening_hours[0].for', 'enum'],
      ['petit_rouleur_30', 'type'],
      ['levels', 'unknown'],
    ]);
    expectProblem(await api(t, key, 'PUT', `${base}/bad code`, body()), 422, 'validation_failed');
  });

  it('pages through every car park to the end', async () => {
    const { key } = await apiClientWith(t, ['car_parks:write', 'car_parks:read']);
    const mine = [newCode(), newCode(), newCode()];
    for (const code of mine) await api(t, key, 'PUT', `${base}/${code}`, body());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await api(t, key, 'GET', `${base}?limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json() as { items: { code: string }[]; next_cursor: string | null };
      seen.push(...page.items.map((p) => p.code));
      cursor = page.next_cursor;
    } while (cursor);
    const total = Number((await t.db.selectFrom('car_parks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toEqual(expect.arrayContaining(mine));
    expectProblem(await api(t, key, 'GET', `${base}/NOPE`), 404, 'api_not_found');
  });
});
