import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { createRequire } from 'node:module';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
/*
 * Password hashing (security bar A3) and policy (A2).
 * argon2id, m = 19 MiB, t = 2, p = 1: the OWASP minimum, about 30 ms here.
 */
const ARGON2 = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 };
export function hashPassword(password) {
    return hash(password, ARGON2);
}
export async function verifyPassword(stored, password) {
    try {
        return await verify(stored, password);
    }
    catch {
        return false;
    }
}
/** A real hash of nothing, verified against when the account does not exist, so timing tells nothing (A5). */
let decoyHash;
export function decoyVerify(password) {
    decoyHash ??= hashPassword(`decoy-${randomInt(1e9)}`);
    return decoyHash.then((h) => verifyPassword(h, password));
}
/** Verifies against `stored`, or against the decoy when there is none: the same cost either way. */
export async function verifyOrDecoy(stored, password) {
    if (!stored) {
        await decoyVerify(password);
        return false;
    }
    return verifyPassword(stored, password);
}
export const CUSTOMER_MIN_LENGTH = 12;
export const STAFF_MIN_LENGTH = 16;
/** Long passphrases are welcome; the cap only bounds hashing work. */
export const MAX_LENGTH = 256;
// Built on the first check, not at import: it loads and ranks the three dictionaries (about
// a second of CPU and 20 MB), which the command line and a process serving pages may never
// need (only choosing a password checks one).
const load = createRequire(import.meta.url);
let zxcvbn;
const strength = () => {
    if (!zxcvbn) {
        const [common, en, fr] = ['@zxcvbn-ts/language-common', '@zxcvbn-ts/language-en', '@zxcvbn-ts/language-fr'].map((name) => load(name));
        zxcvbn = new ZxcvbnFactory({
            dictionary: { ...common.dictionary, ...en.dictionary, ...fr.dictionary },
            graphs: common.adjacencyGraphs,
        });
    }
    return zxcvbn;
};
/** Returns the message key of the first rule broken, or null when the password is acceptable. */
export function checkPassword(password, ctx) {
    const length = [...password].length;
    if (length < ctx.minLength)
        return 'error.password.tooShort';
    if (length > MAX_LENGTH)
        return 'error.password.tooLong';
    const lower = password.toLowerCase();
    const words = ctx.contextWords
        .flatMap((w) => [w, ...w.split(/[\s@.\-_']+/)])
        .map((w) => w.trim().toLowerCase())
        .filter((w) => w.length >= 4);
    if (words.some((w) => lower.includes(w)))
        return 'error.password.context';
    const result = strength().check(password.slice(0, 100), words);
    const isDictionaryWord = result.sequence.length === 1 && result.sequence[0]?.pattern === 'dictionary';
    if (isDictionaryWord)
        return 'error.password.common';
    // At least 10^9 estimated guesses (≈ 30 bits against an offline guesser that knows the
    // common patterns; far more against the throttled login of security bar A4).
    if (result.guessesLog10 < 9)
        return 'error.password.weak';
    return null;
}
/** Letters and digits that cannot be confused on paper: no 0/O/o, 1/l/I/i. */
export const TEMP_PASSWORD_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz';
export const TEMP_PASSWORD_LENGTH = 12;
/** A temporary password for the invoice (A1): 12 characters from a 54-letter alphabet ≈ 69 bits. */
export function generateTemporaryPassword() {
    let out = '';
    for (let i = 0; i < TEMP_PASSWORD_LENGTH; i++)
        out += TEMP_PASSWORD_ALPHABET[randomInt(TEMP_PASSWORD_ALPHABET.length)];
    return out;
}
//# sourceMappingURL=passwords.js.map