/* The discount of a month as billed: the document carrying it may prorate, the rule alone cannot. */
export async function up(db) {
    await db.schema.alterTable('exit_statements').addColumn('discount_ht_cents', 'integer').execute();
}
export async function down(db) {
    await db.schema.alterTable('exit_statements').dropColumn('discount_ht_cents').execute();
}
//# sourceMappingURL=005_statement_discount.js.map