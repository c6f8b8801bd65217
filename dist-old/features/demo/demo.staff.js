import { nowIso } from '../../lib/clock.js';
import { hashPassword } from '../../lib/passwords.js';
import { sealTotpSecret } from '../staff/staff.totp.js';
/*
 * The demo's back-office staff: an admin and an agent, enrolled, with a known password and
 * known TOTP secrets that `npm start` prints in its demo banner (with their otpauth:// URIs,
 * for any authenticator app). Demo data only: a real installation creates its first admin
 * with `portal staff create`, who enrols with a secret of their own.
 */
/** The password of both demo members. */
export const DEMO_STAFF_PASSWORD = 'guichet lanterne boussole';
export const DEMO_STAFF = [
    { id: '5eed5eed-0000-4000-8000-00000000ad01', email: 'admin@parkings-demo.example', name: 'Camille Administratrice', role: 'admin', totpSecret: 'DEMOADMINXQ7K2PLR4VT6WZ3HJNB5YSE' },
    { id: '5eed5eed-0000-4000-8000-00000000a601', email: 'agent@parkings-demo.example', name: 'Léo Conseiller', role: 'agent', totpSecret: 'DEMOAGENTM4R7XK2QWZ5PLH3VNJ6BTYC' },
];
/** Their rows: active, enrolled (password and second factor), never logged in yet. */
export async function demoStaffRows(clock, sealing) {
    const passwordHash = await hashPassword(DEMO_STAFF_PASSWORD);
    const now = nowIso(clock);
    return DEMO_STAFF.map((m) => ({
        id: m.id,
        email: m.email,
        display_name: m.name,
        role: m.role,
        state: 'active',
        password_hash: passwordHash,
        totp_secret_encrypted: sealTotpSecret(sealing, m.totpSecret),
        created_at: now,
        updated_at: now,
    }));
}
//# sourceMappingURL=demo.staff.js.map