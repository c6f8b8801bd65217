import type { Config } from '../../config.ts';
import { decrypt, decryptBytes, encrypt, encryptBytes } from '../../lib/crypto.ts';
import { type ContentStore, sha256Hex } from '../../lib/content-store.ts';
import { AppError } from '../../lib/errors.ts';

/*
 * What a mandate keeps secret at rest, encrypted (AES-256-GCM, `lib/crypto.ts`) under
 * `config.mandateKey`: the IBAN, never anything else in its column, decrypted only to print the
 * signed mandate; and the signed mandate's PDF, which holds the full IBAN. Shown anywhere else,
 * an IBAN is masked (`maskIban`, `direct-debit.rules.ts`).
 */

export const sealIban = (config: Pick<Config, 'mandateKey'>, iban: string) => encrypt(config.mandateKey, iban);
export const openIban = (config: Config, stored: string) => decrypt(config.mandateKey, stored);

/** Stores the signed mandate's PDF encrypted, under the digest of the sealed bytes; returns that digest. */
export function storeMandatePdf(storage: ContentStore, config: Config, pdf: Buffer): Promise<string> {
  return storage.put(encryptBytes(config.mandateKey, pdf));
}

/** The signed mandate's PDF, checked against its digest and decrypted; throws if missing or altered. */
export async function readMandatePdf(storage: ContentStore, config: Config, sha256: string): Promise<Buffer> {
  const sealed = await storage.get(sha256);
  if (!sealed) throw new AppError('mandate_pdf_missing', { detail: `Mandate PDF ${sha256} is missing from storage` });
  if (sha256Hex(sealed) !== sha256) throw new AppError('mandate_pdf_corrupted', { detail: `Mandate PDF ${sha256} does not match its SHA-256` });
  return decryptBytes(config.mandateKey, sealed);
}
