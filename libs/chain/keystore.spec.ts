import { KeystoreError, openKeystore } from './keystore';

/** The test vectors of the Web3 Secret Storage definition: one key, its password, both key derivations. */
const SECRET = '0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d';
const PASSWORD = 'testpassword';
const PBKDF2 = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
    ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
    kdf: 'pbkdf2',
    kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
    mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
};
const SCRYPT = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '83dbcc02d8ccb40e466191a123791e0e' },
    ciphertext: 'd172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c',
    kdf: 'scrypt',
    kdfparams: { dklen: 32, n: 262144, r: 1, p: 8, salt: 'ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19' },
    mac: '2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
};

function refusal(json: string, password = PASSWORD): string {
  try {
    openKeystore(json, password);
  } catch (error) {
    expect(error).toBeInstanceOf(KeystoreError);
    return (error as Error).message;
  }
  throw new Error('the keystore opened');
}

describe(openKeystore.name, () => {
  it('opens the definition’s vectors, scrypt and PBKDF2, to their key', () => {
    expect(openKeystore(JSON.stringify(SCRYPT), PASSWORD)).toBe(SECRET);
    expect(openKeystore(JSON.stringify(PBKDF2), PASSWORD)).toBe(SECRET);
  });

  it('reads the `Crypto` spelling of early wallets', () => {
    const { crypto, ...rest } = PBKDF2;
    expect(openKeystore(JSON.stringify({ ...rest, Crypto: crypto }), PASSWORD)).toBe(SECRET);
  });

  it('refuses a wrong password by the MAC, without naming the password or the key', () => {
    const message = refusal(JSON.stringify(PBKDF2), 'testpassword!');
    expect(message).toBe('the password does not open it (its MAC does not match)');
    expect(message).not.toContain(SECRET.slice(2));
  });

  it('refuses a tampered ciphertext by the MAC', () => {
    const tampered = { ...PBKDF2, crypto: { ...PBKDF2.crypto, ciphertext: `6${PBKDF2.crypto.ciphertext.slice(1)}` } };
    expect(refusal(JSON.stringify(tampered))).toContain('MAC does not match');
  });

  it.each([
    ['not JSON', '{"crypto":', 'it is not JSON'],
    ['another version', JSON.stringify({ ...PBKDF2, version: 1 }), 'it is not a version 3 keystore (Web3 Secret Storage)'],
    ['another cipher', JSON.stringify({ ...PBKDF2, crypto: { ...PBKDF2.crypto, cipher: 'aes-256-gcm' } }), 'its cipher is aes-256-gcm; only aes-128-ctr is supported'],
    ['another kdf', JSON.stringify({ ...PBKDF2, crypto: { ...PBKDF2.crypto, kdf: 'argon2id' } }), 'its kdf is argon2id; only scrypt and pbkdf2 are supported'],
    [
      'another prf',
      JSON.stringify({ ...PBKDF2, crypto: { ...PBKDF2.crypto, kdfparams: { ...PBKDF2.crypto.kdfparams, prf: 'hmac-sha512' } } }),
      'its pbkdf2 prf is hmac-sha512; only hmac-sha256 is supported',
    ],
    ['a short iv', JSON.stringify({ ...PBKDF2, crypto: { ...PBKDF2.crypto, cipherparams: { iv: 'abcd' } } }), 'its cipherparams.iv must be 16 bytes of hex'],
    [
      'no scrypt cost',
      JSON.stringify({ ...SCRYPT, crypto: { ...SCRYPT.crypto, kdfparams: { ...SCRYPT.crypto.kdfparams, n: 0 } } }),
      'its kdfparams.n must be a positive integer',
    ],
  ])('refuses %s, saying what is wrong', (_case, json, message) => {
    expect(refusal(json)).toBe(message);
  });
});
