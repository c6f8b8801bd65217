import { readScopes } from './api-clients.rules.js';
const clientColumns = ['id', 'name', 'scopes', 'state', 'rate_limit_per_minute', 'created_at', 'disabled_at'];
const keyColumns = ['id', 'client_id', 'prefix', 'created_at', 'last_used_at', 'revoked_at'];
/** Every client with its keys, by name. */
export async function listApiClients(db) {
    const clients = await db.selectFrom('api_clients').select(clientColumns).orderBy('name').execute();
    const keys = await db.selectFrom('api_keys').select(keyColumns).orderBy('created_at', 'desc').orderBy('id').execute();
    return clients.map((c) => ({
        ...c,
        scopes: readScopes(c.scopes),
        keys: keys.filter((k) => k.client_id === c.id).map(({ client_id: _, ...k }) => k),
    }));
}
/** One client with its keys; undefined when there is none of this id. */
export async function findApiClient(db, id) {
    const c = await db.selectFrom('api_clients').select(clientColumns).where('id', '=', id).executeTakeFirst();
    if (!c)
        return undefined;
    const keys = await db.selectFrom('api_keys').select(['id', 'prefix', 'created_at', 'last_used_at', 'revoked_at']).where('client_id', '=', id).orderBy('created_at', 'desc').orderBy('id').execute();
    return { ...c, scopes: readScopes(c.scopes), keys };
}
/** The id of the client of this name, for the command line; undefined when there is none. */
export async function apiClientIdByName(db, name) {
    return (await db.selectFrom('api_clients').select('id').where('name', '=', name).executeTakeFirst())?.id;
}
//# sourceMappingURL=api-clients.queries.js.map