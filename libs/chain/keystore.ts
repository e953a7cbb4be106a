import { Keystore } from 'ox';

/**
 * Why a keystore does not open. The message names what is wrong with the file, never the
 * password nor anything of the key.
 */
export class KeystoreError extends Error {
  override readonly name = 'KeystoreError';
}

const HEX = /^[0-9a-fA-F]+$/;
/** A derived key is 32 bytes: 16 for AES-128, 16 for the MAC. */
const DERIVED_KEY_BYTES = 32;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function hexField(value: unknown, field: string, bytes?: number): string {
  const hex = typeof value === 'string' ? value.replace(/^0x/, '') : '';
  if (!HEX.test(hex) || hex.length % 2 !== 0 || (bytes !== undefined && hex.length !== bytes * 2)) {
    throw new KeystoreError(`its ${field} must be ${bytes === undefined ? '' : `${bytes} bytes of `}hex`);
  }
  return hex;
}

function positiveInteger(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw new KeystoreError(`its ${field} must be a positive integer`);
  return value as number;
}

/** The parts of a version 3 keystore that ox reads, checked first: ox assumes what it is given is well-formed. */
function keystoreOf(json: string): Keystore.Keystore {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new KeystoreError('it is not JSON');
  }
  // Geth writes `crypto`; early wallets wrote `Crypto`.
  const crypto = isObject(parsed) ? (parsed.crypto ?? parsed.Crypto) : undefined;
  if (!isObject(parsed) || parsed.version !== 3 || !isObject(crypto)) throw new KeystoreError('it is not a version 3 keystore (Web3 Secret Storage)');
  if (crypto.cipher !== 'aes-128-ctr') throw new KeystoreError(`its cipher is ${String(crypto.cipher)}; only aes-128-ctr is supported`);
  const { kdf, kdfparams: params } = crypto;
  if (!isObject(params) || params.dklen !== DERIVED_KEY_BYTES) throw new KeystoreError(`its kdfparams must derive ${DERIVED_KEY_BYTES} bytes (dklen)`);
  const salt = hexField(params.salt, 'kdfparams.salt');
  const common = {
    ciphertext: hexField(crypto.ciphertext, 'ciphertext', 32),
    cipherparams: { iv: hexField(isObject(crypto.cipherparams) ? crypto.cipherparams.iv : undefined, 'cipherparams.iv', 16) },
    mac: hexField(crypto.mac, 'mac', 32),
  };
  const id = typeof parsed.id === 'string' ? parsed.id : '';
  if (kdf === 'scrypt') {
    const [n, r, p] = [positiveInteger(params.n, 'kdfparams.n'), positiveInteger(params.r, 'kdfparams.r'), positiveInteger(params.p, 'kdfparams.p')];
    return { id, version: 3, crypto: { ...common, cipher: 'aes-128-ctr', kdf, kdfparams: { dklen: DERIVED_KEY_BYTES, n, r, p, salt } } };
  }
  if (kdf === 'pbkdf2') {
    if (params.prf !== 'hmac-sha256') throw new KeystoreError(`its pbkdf2 prf is ${String(params.prf)}; only hmac-sha256 is supported`);
    const c = positiveInteger(params.c, 'kdfparams.c');
    return { id, version: 3, crypto: { ...common, cipher: 'aes-128-ctr', kdf, kdfparams: { dklen: DERIVED_KEY_BYTES, c, prf: 'hmac-sha256', salt } } };
  }
  throw new KeystoreError(`its kdf is ${String(kdf)}; only scrypt and pbkdf2 are supported`);
}

/**
 * Opens an Ethereum V3 keystore (the Web3 Secret Storage definition: scrypt or PBKDF2-HMAC-SHA256,
 * AES-128-CTR, a Keccak-256 MAC) with its password: the private key, as 0x hex. Throws
 * KeystoreError when the file is malformed or uses what the definition does not, and when the
 * password does not open it (the MAC does not match). Takes as long as the file's key derivation
 * asks (about two seconds for geth's scrypt parameters).
 */
export function openKeystore(json: string, password: string): `0x${string}` {
  const keystore = keystoreOf(json);
  const key = Keystore.toKey(keystore, { password });
  try {
    return Keystore.decrypt(keystore, key);
  } catch {
    throw new KeystoreError('the password does not open it (its MAC does not match)');
  }
}
