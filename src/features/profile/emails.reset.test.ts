import { describe, expect, it } from 'vitest';
import { Browser, databaseKinds, useTestApp } from '../../../tests/support/app.ts';
import { activeSubscriber } from '../../../tests/support/factories.ts';
import { hashToken } from '../../lib/tokens.ts';
import { newId } from '../../lib/clock.ts';
import { changeEmailAddresses } from './emails.service.ts';

describe.each(databaseKinds())('changing e-mail addresses (%s)', (kind) => {
  const t = useTestApp(kind);

  it('ends the reset links already sent to the old addresses', async () => {
    const { customer } = await activeSubscriber(t.db, t.clock);
    await t.db.updateTable('customers').set({ email_primary: 'old@example.fr', email_primary_verified_at: '2026-01-01T00:00:00.000Z' }).where('id', '=', customer.id).execute();
    const token = 'resetTokenSentToTheOldMailbox00000000000000'; // 43 characters, like a real one
    await t.db
      .insertInto('password_resets')
      .values({ id: newId(), customer_id: customer.id, token_hash: hashToken(token), expires_at: new Date(t.clock.now().getTime() + 3_600_000).toISOString(), used_at: null, created_at: t.clock.now().toISOString() })
      .execute();
    expect((await new Browser(t.app, '10.7.0.1').get(`/reinitialiser/${token}`)).statusCode).toBe(200);
    await changeEmailAddresses(t.db, t.clock, t.config, customer.id, { primary: 'new@example.fr', secondary: null });
    expect((await new Browser(t.app, '10.7.0.2').get(`/reinitialiser/${token}`)).statusCode).toBe(410);
  });
});
