import { decrypt, decryptBytes, encrypt, encryptBytes } from '../../lib/crypto.js';
import { sha256Hex } from '../../lib/content-store.js';
import { AppError } from '../../lib/errors.js';
/*
 * What a mandate keeps secret at rest, encrypted (AES-256-GCM, `lib/crypto.ts`) under
 * `config.mandateKey`: the IBAN, never anything else in its column, decrypted only to print the
 * signed mandate; and the signed mandate's PDF, which holds the full IBAN. Shown anywhere else,
 * an IBAN is masked (`maskIban`, `direct-debit.rules.ts`).
 */
export const sealIban = (config, iban) => encrypt(config.mandateKey, iban);
export const openIban = (config, stored) => decrypt(config.mandateKey, stored);
/** Stores the signed mandate's PDF encrypted, under the digest of the sealed bytes; returns that digest. */
export function storeMandatePdf(storage, config, pdf) {
    return storage.put(encryptBytes(config.mandateKey, pdf));
}
/** The signed mandate's PDF, checked against its digest and decrypted; throws if missing or altered. */
export async function readMandatePdf(storage, config, sha256) {
    const sealed = await storage.get(sha256);
    if (!sealed)
        throw new AppError('mandate_pdf_missing', { detail: `Mandate PDF ${sha256} is missing from storage` });
    if (sha256Hex(sealed) !== sha256)
        throw new AppError('mandate_pdf_corrupted', { detail: `Mandate PDF ${sha256} does not match its SHA-256` });
    return decryptBytes(config.mandateKey, sealed);
}
//# sourceMappingURL=direct-debit.secrets.js.map