import { IdentityOptions } from '../identity.options';
import { PasswordHasher } from './password-hasher';

// The module object itself, whose functions the hasher looks up at each call (a namespace import would be a copy).
const argon2 = jest.requireActual<typeof import('argon2')>('argon2');

function hasherOf(concurrency: number): PasswordHasher {
  return new PasswordHasher({ passwordHashing: { memoryKib: 8192, iterations: 1, concurrency } } as IdentityOptions);
}

describe('PasswordHasher', () => {
  let running = 0;
  let mostAtOnce = 0;

  /** Counts the argon2 calls under way around the real ones. */
  function countCallsUnderWay(name: 'hash' | 'verify'): void {
    const real = argon2[name] as (...args: unknown[]) => Promise<unknown>;
    jest.spyOn(argon2, name).mockImplementation((async (...args: unknown[]) => {
      running++;
      mostAtOnce = Math.max(mostAtOnce, running);
      try {
        return await real(...args);
      } finally {
        running--;
      }
    }) as never);
  }

  beforeEach(() => {
    running = 0;
    mostAtOnce = 0;
    countCallsUnderWay('hash');
    countCallsUnderWay('verify');
  });

  afterEach(() => jest.restoreAllMocks());

  it('runs at most `concurrency` hashes and verifications at once, and each still answers', async () => {
    const hasher = hasherOf(2);
    const passwords = Array.from({ length: 6 }, (_, i) => `password number ${i}`);
    const hashes = await Promise.all(passwords.map((password) => hasher.hash(password)));
    expect(mostAtOnce).toBe(2);
    mostAtOnce = 0;
    const verdicts = await Promise.all([
      ...hashes.map((passwordHash, i) => hasher.verify(passwordHash, passwords[i])),
      hasher.verify(hashes[0], 'not the password'),
      hasher.verifyNobody('anything'),
    ]);
    expect(verdicts).toEqual([true, true, true, true, true, true, false, false]);
    expect(mostAtOnce).toBe(2);
  });

  it('hashes one at a time with a concurrency of 1', async () => {
    const hasher = hasherOf(1);
    await Promise.all(['first password', 'second password', 'third password'].map((password) => hasher.hash(password)));
    expect(mostAtOnce).toBe(1);
  });
});
