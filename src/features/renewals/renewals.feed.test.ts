import { describe, expect, it } from 'vitest';
import { api, apiClientWith, expectProblem } from '../../../tests/support/api.ts';
import { databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { createCarPark, createContract, createCustomer, emailColumns } from '../../../tests/support/factories.ts';
import { newId } from '../../lib/clock.ts';
import { sendRenewalNotices } from './renewals.service.ts';

describe.each(databaseKinds())('the renewal notices in the ERP’s terminations feed (%s)', (kind) => {
  const t = useTestApp(kind);

  type Page = { items: Record<string, unknown>[]; next_cursor: string };
  const read = async (key: string, cursor?: string) => {
    const res = await api(t, key, 'GET', `/api/v1/feeds/terminations?limit=500${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };

  it('tells each notice sent once: contract, car park, renewal, deadline, channel, late', async () => {
    const { key } = await apiClientWith(t, ['terminations:read']);
    const from = (await read(key)).next_cursor;
    const customer = await createCustomer(t.db, t.clock, emailColumns(`feed-${newId().slice(-10)}@example.test`, null, '2026-01-01T00:00:00.000Z'));
    const park = await createCarPark(t.db, t.clock);
    const contract = await createContract(t.db, t.clock, customer.id, park.id);
    await t.db.updateTable('contracts').set({ renewal_date: '2027-02-15' }).where('id', '=', contract.id).execute();
    await sendRenewalNotices(t.db, t.clock, t.config); // 27 November: the window opened on 14 November
    await sendRenewalNotices(t.db, t.clock, t.config);
    const page = await read(key, from);
    expect(page.items).toEqual([
      {
        id: expect.any(Number),
        type: 'contract.renewal_notice_sent',
        occurred_at: '2026-11-27T10:00:00.000Z',
        customer_number: customer.number,
        origin: 'system',
        contract_number: contract.number,
        car_park: park.code,
        renewal_date: '2027-02-15',
        deadline: '2027-02-14',
        channel: 'email',
        late: false,
      },
    ]);
    expect((await read(key, page.next_cursor)).items).toEqual([]);
  });

  it('is read with terminations:read only', async () => {
    const { key } = await apiClientWith(t, ['vehicle_changes:read', 'contracts:read']);
    await expectProblem(await api(t, key, 'GET', '/api/v1/feeds/terminations'), 403, 'api_scope_missing');
  });
});
