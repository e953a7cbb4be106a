import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AccessTokenStrategy } from './access-token.strategy';
import { AUTH_OPTIONS, AuthOptions } from './auth.options';
import { PolicyAudit } from './policy-audit';
import { PolicyGuard } from './policy.guard';
import { RemoteVerificationKeys, SigningKey, VERIFICATION_KEYS } from './token-keys';
import { VerifiedAccessTokens } from './verified-access-tokens';

/**
 * Authentication and authorization of every HTTP route: the policy guard, the access-token
 * strategy, and the keys it verifies with. Where identity runs, that is the process' own
 * SigningKey (also exported, for identity to sign with); elsewhere identity's JWKS endpoint.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    const keys: Provider =
      options.jwksUrl === undefined
        ? { provide: SigningKey, useFactory: () => SigningKey.fromPem(options.privateKeyPem) }
        : { provide: RemoteVerificationKeys, useFactory: () => new RemoteVerificationKeys(options.jwksUrl!) };
    const exported = options.jwksUrl === undefined ? [SigningKey] : [];
    return {
      module: AuthModule,
      global: true,
      imports: [PassportModule, DiscoveryModule],
      providers: [
        { provide: AUTH_OPTIONS, useValue: options },
        keys,
        { provide: VERIFICATION_KEYS, useExisting: options.jwksUrl === undefined ? SigningKey : RemoteVerificationKeys },
        AccessTokenStrategy,
        VerifiedAccessTokens,
        PolicyAudit,
        { provide: APP_GUARD, useClass: PolicyGuard },
      ],
      exports: [AUTH_OPTIONS, VerifiedAccessTokens, ...exported],
    };
  }
}
