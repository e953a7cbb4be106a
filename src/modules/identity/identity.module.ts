import { DynamicModule, Module } from '@nestjs/common';
import { IdentityAdminController, UsersController } from './api/users.controller';
import { AuthController } from './api/auth.controller';
import { JwksController } from './api/jwks.controller';
import { WalletController } from './api/wallet.controller';
import { AdminBootstrap } from './application/accounts/admin-bootstrap';
import { GetUserHandler } from './application/accounts/get-user.handler';
import { GrantAdminHandler } from './application/accounts/grant-admin.handler';
import { RegisterUserHandler } from './application/accounts/register-user.handler';
import { SetUserRolesHandler } from './application/accounts/set-user-roles.handler';
import { CreateClientHandler } from './application/clients/create-client.handler';
import { RevokeClientHandler } from './application/clients/revoke-client.handler';
import { IssueClientTokenHandler } from './application/sessions/issue-client-token.handler';
import { IssueDevelopmentStaffTokenHandler } from './application/sessions/issue-development-staff-token.handler';
import { LogInHandler } from './application/sessions/log-in.handler';
import { LogOutHandler } from './application/sessions/log-out.handler';
import { RefreshSessionHandler } from './application/sessions/refresh-session.handler';
import { TokenIssuer } from './application/token-issuer';
import { IssueWalletNonceHandler } from './application/wallets/issue-wallet-nonce.handler';
import { LinkWalletHandler } from './application/wallets/link-wallet.handler';
import { ListWalletsHandler } from './application/wallets/list-wallets.handler';
import { SignInMessageVerifier } from './application/wallets/sign-in-message-verifier';
import { SignInWithWalletHandler } from './application/wallets/sign-in-with-wallet.handler';
import { UnlinkWalletHandler } from './application/wallets/unlink-wallet.handler';
import { IDENTITY_OPTIONS, IdentityOptions } from './identity.options';
import { ClientRepository } from './infrastructure/client.repository';
import { PasswordHasher } from './infrastructure/password-hasher';
import { RefreshTokenRepository } from './infrastructure/refresh-token.repository';
import { UserRepository } from './infrastructure/user.repository';
import { WalletNonceRepository } from './infrastructure/wallet-nonce.repository';
import { WalletRepository } from './infrastructure/wallet.repository';

const commandHandlers = [
  RegisterUserHandler,
  GrantAdminHandler,
  SetUserRolesHandler,
  LogInHandler,
  RefreshSessionHandler,
  LogOutHandler,
  IssueClientTokenHandler,
  IssueDevelopmentStaffTokenHandler,
  CreateClientHandler,
  RevokeClientHandler,
  IssueWalletNonceHandler,
  SignInWithWalletHandler,
  LinkWalletHandler,
  UnlinkWalletHandler,
];
const infrastructure = [UserRepository, RefreshTokenRepository, ClientRepository, PasswordHasher, WalletRepository, WalletNonceRepository];

/**
 * Users, passwords, wallets, sessions and machine clients: issues the access tokens every context's
 * routes are guarded by (libs/auth verifies them, here or in another process through JWKS).
 */
@Module({})
export class IdentityModule {
  static forRoot(options: IdentityOptions): DynamicModule {
    return {
      module: IdentityModule,
      controllers: [AuthController, WalletController, UsersController, IdentityAdminController, JwksController],
      providers: [
        { provide: IDENTITY_OPTIONS, useValue: options },
        ...commandHandlers,
        GetUserHandler,
        ListWalletsHandler,
        TokenIssuer,
        SignInMessageVerifier,
        AdminBootstrap,
        ...infrastructure,
      ],
    };
  }
}
