/*
 * A vehicle's plate is French or foreign (issue 11: the ERP writes contracts and their plates
 * through the API and the import). `contract_vehicles.country`: the ISO 3166-1 alpha-2 code of
 * the country that registered it; `FR` for every plate before (the back office and the contact
 * form take French plates only). A French plate is stored in its one normalised form
 * (`normalisePlate`), a foreign one as written, upper case; both with their `plate_key`.
 */
export async function up(db) {
    await db.schema.alterTable('contract_vehicles').addColumn('country', 'text', (c) => c.notNull().defaultTo('FR')).execute();
}
export async function down(db) {
    await db.schema.alterTable('contract_vehicles').dropColumn('country').execute();
}
//# sourceMappingURL=016_vehicle_country.js.map