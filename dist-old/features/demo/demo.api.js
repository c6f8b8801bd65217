import { API_SCOPES } from '../api-clients/api-clients.rules.js';
import { nowIso } from '../../lib/clock.js';
import { hashToken } from '../../lib/tokens.js';
/*
 * The demo's API client, `erp-demo`, holding every scope, with a known key that `npm start`
 * prints in its demo banner: an integrator tries the API (`/api/docs`) at once. Demo data only
 * (refused in production with the rest of the demo): a real installation creates its clients
 * with `portal api-clients create` or at `/gestion/api`, each key shown once.
 */
/** The key, shaped as every key is (`pk_live_` and 43 characters). */
export const DEMO_API_KEY = 'pk_live_demo0000ERPintegration0000publicDEMOkey0000';
export const DEMO_API_CLIENT = { id: '5eed5eed-0000-4000-8000-0000000a9101', name: 'erp-demo' };
export function demoApiRows(clock) {
    const now = nowIso(clock);
    return {
        client: { id: DEMO_API_CLIENT.id, name: DEMO_API_CLIENT.name, scopes: JSON.stringify(API_SCOPES), state: 'active', rate_limit_per_minute: 600, created_at: now, created_by: null, disabled_at: null },
        key: { id: '5eed5eed-0000-4000-8000-0000000a9102', client_id: DEMO_API_CLIENT.id, key_hash: hashToken(DEMO_API_KEY), prefix: DEMO_API_KEY.slice(0, 16), created_at: now, last_used_at: null, revoked_at: null },
    };
}
//# sourceMappingURL=demo.api.js.map