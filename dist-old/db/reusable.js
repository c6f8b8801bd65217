import { keepPrepared, readAtOnce } from './dialect.js';
/*
 * A query run on every page view, built and compiled by Kysely once instead of on every
 * call. Kysely builds a query as a tree of frozen objects and compiles it to SQL each time it
 * runs: for the dozen queries of a page such as "Mon compte", that was as much work as the
 * database's own (issue 12). `reusableQuery` builds the query once per kind of database with
 * a marker in place of each argument, keeps the SQL and where each argument goes, and then
 * only fills in the values. The SQL the database sees, and so the prepared statement it keeps
 * (`withStatementCache` in dialect.ts; on PostgreSQL, `keepPrepared`), is the same on every
 * call. On SQLite it runs at once on the read connection (`readAtOnce`), except inside a
 * transaction: such a query only reads (`query_only` refuses a write there).
 *
 * The build function must give the query the same shape whatever the values: arguments are
 * used only as values (`where('x', '=', args.id)`, `limit(args.limit)`), never tested
 * (`if (args.x)`) nor computed with (`${args.year}-01-01`) — a query whose shape depends on
 * its arguments stays an ordinary Kysely query. Computing with one is refused when the query
 * is first built; under the tests (`VITEST`), every call is also built afresh and compared
 * with what the reusable query ran, so a build that tests a value fails there.
 *
 * An argument named in `literals` is written into the SQL (`sql.lit(args.limit)` in the
 * build) and the query is kept once per value: SQLite plans `limit 20` better than
 * `limit ?` (a page of the history read a third faster), and a page's size takes few values.
 */
const MARK = '\u0000arg:';
const checkEveryCall = Boolean(process.env.VITEST);
/** The rows of `build(db, args)`, built and compiled once per kind of database. */
export function reusableQuery(build, options = {}) {
    const literals = options.literals ?? [];
    // Per adapter: SQLite and PostgreSQL write different SQL for the same query; per value of the literals.
    const templates = new Map();
    return async (db, args) => {
        const adapter = db.getExecutor().adapter.constructor;
        const byAdapter = templates.get(adapter) ?? templates.set(adapter, new Map()).get(adapter);
        const values = args;
        const key = literals.map((k) => String(values[k])).join('\u0000');
        let template = byAdapter.get(key);
        if (!template) {
            const marks = new Map(Object.keys(args).filter((k) => !literals.includes(k)).map((k) => [`${MARK}${k}`, k]));
            const marked = { ...values, ...Object.fromEntries([...marks].map(([mark, k]) => [k, mark])) };
            const compiled = build(db, marked).compile();
            const slots = compiled.parameters.map((p) => {
                const arg = typeof p === 'string' ? marks.get(p) : undefined;
                if (arg !== undefined)
                    return { arg };
                if (typeof p === 'string' && p.includes(MARK))
                    throw new Error(`reusableQuery: an argument is computed with, not passed as a value: ${compiled.sql}`);
                return { value: p };
            });
            // An argument written into the SQL text (`sql.lit`, `sql.raw`) without being a literal.
            if (compiled.sql.includes(MARK))
                throw new Error(`reusableQuery: an argument is written into the SQL, not passed as a value: ${compiled.sql}`);
            template = { compiled, slots, keys: Object.keys(args).join() };
            keepPrepared(compiled.sql);
            byAdapter.set(key, template);
        }
        if (Object.keys(args).join() !== template.keys)
            throw new Error(`reusableQuery: called with the arguments ${Object.keys(args).join()}, built with ${template.keys}`);
        const parameters = template.slots.map((s) => ('arg' in s ? values[s.arg] : s.value));
        if (checkEveryCall) {
            const fresh = build(db, args).compile();
            if (fresh.sql !== template.compiled.sql || JSON.stringify(fresh.parameters) !== JSON.stringify(parameters)) {
                throw new Error(`reusableQuery: the query's shape depends on its arguments:\n${fresh.sql}\n${template.compiled.sql}`);
            }
        }
        const rows = readAtOnce(db, template.compiled.sql, parameters);
        if (rows)
            return rows;
        const result = await db.executeQuery({ ...template.compiled, parameters });
        return result.rows;
    };
}
//# sourceMappingURL=reusable.js.map