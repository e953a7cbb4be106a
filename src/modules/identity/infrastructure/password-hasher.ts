import { Inject, Injectable } from '@nestjs/common';
import { argon2id, hash, type HashOptions, needsRehash, verify } from 'argon2';
import { Semaphore } from 'async-mutex';
import { randomBytes } from 'node:crypto';
import { IDENTITY_OPTIONS, IdentityOptions } from '../identity.options';

/**
 * argon2id, as OWASP's password storage guidance recommends; only the hash is ever stored.
 * A hash holds its memory cost (7 MiB by default) while it runs, and a burst of sign-ins would
 * run one on every thread of libuv's pool: at most `concurrency` run at once (by default one a
 * core, as many as can make progress), the rest wait their turn, and the pool's other threads
 * stay free for the file system, DNS and the rest of crypto.
 */
@Injectable()
export class PasswordHasher {
  private readonly options: HashOptions;
  private readonly turns: Semaphore;
  /** Verified against when an email is unknown, so that answer takes as long as a wrong password. */
  private readonly decoy: Promise<string>;

  constructor(@Inject(IDENTITY_OPTIONS) { passwordHashing }: IdentityOptions) {
    this.options = { type: argon2id, memoryCost: passwordHashing.memoryKib, timeCost: passwordHashing.iterations, parallelism: 1 };
    this.turns = new Semaphore(passwordHashing.concurrency);
    this.decoy = this.hash(randomBytes(32).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return this.turns.runExclusive(() => hash(password, this.options));
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await this.turns.runExclusive(() => verify(passwordHash, password));
    } catch {
      return false;
    }
  }

  /** Spends a verification's time and answers false: the path for an email nobody has. */
  async verifyNobody(password: string): Promise<false> {
    await this.verify(await this.decoy, password);
    return false;
  }

  /** True when the hash was made with other parameters than today's. */
  outdated(passwordHash: string): boolean {
    return needsRehash(passwordHash, this.options);
  }
}
