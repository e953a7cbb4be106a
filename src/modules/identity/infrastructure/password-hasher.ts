import { Inject, Injectable } from '@nestjs/common';
import { argon2id, hash, type HashOptions, needsRehash, verify } from 'argon2';
import { randomBytes } from 'node:crypto';
import { IDENTITY_OPTIONS, IdentityOptions } from '../identity.options';

/** argon2id, as OWASP's password storage guidance recommends; only the hash is ever stored. */
@Injectable()
export class PasswordHasher {
  private readonly options: HashOptions;
  /** Verified against when an email is unknown, so that answer takes as long as a wrong password. */
  private readonly decoy: Promise<string>;

  constructor(@Inject(IDENTITY_OPTIONS) { passwordHashing }: IdentityOptions) {
    this.options = { type: argon2id, memoryCost: passwordHashing.memoryKib, timeCost: passwordHashing.iterations, parallelism: 1 };
    this.decoy = this.hash(randomBytes(32).toString('base64url'));
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
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
