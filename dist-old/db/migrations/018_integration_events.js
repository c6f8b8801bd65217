import { addSequenceId } from '../dialect.js';
/*
 * What the operator's billing system (ERP) reads back (issue 11): one log of what happened
 * online — a card payment booked, a mandate signed, validated, rejected or revoked, a contact
 * request, a change of contact details, of paperless consent or of plate — written by
 * `recordEvent` (`lib/events.ts`) in the transaction of the change it tells about, and read by
 * the API's feeds (`GET /api/v1/feeds/<feed>?cursor=`) in the order of `id`.
 *
 * `id` is a sequence (SQLite `autoincrement`, PostgreSQL identity: `addSequenceId`), so a
 * cursor is the last id read; the writers commit in the order of their ids
 * (`serialiseSequenceWriters`), so a reader never passes a row still to commit. `feed` is the
 * feed its `type` belongs to, kept to read one feed by the index. `payload` is JSON without a
 * secret: never a token, a password or a full IBAN (the IBAN is decrypted from the mandate
 * when a client holding `mandates:iban` reads the feed).
 */
export async function up(db) {
    await addSequenceId(db, db.schema.createTable('integration_events'))
        .addColumn('feed', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.id'))
        // What the event is about: the payment, the mandate, the contact request, the vehicle… (its portal id).
        .addColumn('subject_id', 'text')
        // Who made the change: the customer online, or customer service.
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    await db.schema.createIndex('integration_events_feed').on('integration_events').columns(['feed', 'id']).execute();
}
export async function down(db) {
    await db.schema.dropTable('integration_events').execute();
}
//# sourceMappingURL=018_integration_events.js.map