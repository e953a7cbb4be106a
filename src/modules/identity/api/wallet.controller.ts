import { Body, ConflictException, Controller, Delete, ForbiddenException, Get, Header, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public, Requires } from '../../../../libs/auth';
import { ProblemResponses } from '../../../../libs/http';
import { RateLimit } from '../../../../libs/rate-limit';
import {
  IssueWalletNonceCommand,
  LinkWalletCommand,
  ListWalletsQuery,
  SignInWithWalletCommand,
  UnlinkWalletCommand,
} from '../application/wallets/wallet.commands';
import { LastWayToSignInError, UnknownUserError, UnknownWalletError, WalletOfAnotherAccountError } from '../domain/identity.errors';
import { SESSION_EXAMPLE, SessionResponse } from './auth.responses';
import { refusingBadCredentials } from './refusing-bad-credentials';
import { WalletAddressParams, WalletSignInRequest } from './wallet.requests';
import { WALLET_EXAMPLE, WALLET_NONCE_EXAMPLE, WalletNonceResponse, WalletResponse } from './wallet.responses';

const REFUSED_MESSAGE =
  'The signed message is refused: a bad signature, another domain or chain, a nonce unknown, used or expired, or outside its validity period';
const CONTRACT_WALLET_CHAIN_DOWN = "A contract wallet's signature is checked on its chain (EIP-1271), which cannot be reached now; the nonce is left unused";

/** The caller's account: a machine client has none to link wallets to. */
function userIdOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new ForbiddenException('a machine client has no account to link wallets to');
  return principal.id;
}

function walletErrorsAnswered(error: unknown): never {
  if (error instanceof WalletOfAnotherAccountError || error instanceof LastWayToSignInError) throw new ConflictException(error.message);
  if (error instanceof UnknownWalletError || error instanceof UnknownUserError) throw new NotFoundException(error.message);
  throw error;
}

/**
 * Sign-In with Ethereum (EIP-4361): a wallet signs a message naming this domain, a chain and a
 * nonce from here, and gets a session like a password login's. Only externally owned accounts:
 * smart-contract wallets (EIP-1271) are not supported yet.
 */
@ApiTags('identity')
@Controller('api/v1/auth/wallet')
export class WalletController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Get('nonce')
  @Public()
  @RateLimit('auth')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'A nonce for a wallet sign-in message: it signs in once, before it expires' })
  @ApiOkResponse({ type: WalletNonceResponse, example: WALLET_NONCE_EXAMPLE })
  @ProblemResponses()
  async nonce(): Promise<WalletNonceResponse> {
    const { nonce, expiresAt } = await this.commandBus.execute(new IssueWalletNonceCommand());
    return { nonce, expiresAt: expiresAt.toISOString() };
  }

  @Post('verify')
  @Public()
  @RateLimit('auth')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Sign in with a wallet (EIP-4361): an access token and a refresh token',
    description: 'A wallet signing in for the first time gets a new customer account, without email or password.',
  })
  @ApiOkResponse({ type: SessionResponse, example: SESSION_EXAMPLE })
  @ProblemResponses(400, 413, 415, { 401: REFUSED_MESSAGE, 503: CONTRACT_WALLET_CHAIN_DOWN })
  async verify(@Body() body: WalletSignInRequest): Promise<SessionResponse> {
    const session = await refusingBadCredentials(this.commandBus.execute(new SignInWithWalletCommand(body.message, body.signature)));
    return { ...session, tokenType: 'Bearer' };
  }

  @Get()
  @Requires('profile:read')
  @ApiOperation({ summary: "The caller's linked wallets" })
  @ApiOkResponse({ type: WalletResponse, isArray: true, example: [WALLET_EXAMPLE] })
  async list(@CurrentPrincipal() principal: Principal): Promise<WalletResponse[]> {
    const wallets = await this.queryBus.execute(new ListWalletsQuery(userIdOf(principal)));
    return wallets.map((wallet) => WalletResponse.of(wallet));
  }

  @Post('link')
  @Requires('profile:read')
  @RateLimit('auth')
  @ApiOperation({
    summary: "Link a wallet to the caller's account, proven by a signed sign-in message",
    description: 'The message is checked as for a sign-in, with a fresh nonce. Linking a wallet linked already to this account changes nothing.',
  })
  @ApiCreatedResponse({ type: WalletResponse, example: WALLET_EXAMPLE })
  @ProblemResponses(400, 413, 415, {
    401: REFUSED_MESSAGE,
    409: 'The wallet is linked to another account',
    503: CONTRACT_WALLET_CHAIN_DOWN,
  })
  async link(@CurrentPrincipal() principal: Principal, @Body() body: WalletSignInRequest): Promise<WalletResponse> {
    const linking = this.commandBus.execute(new LinkWalletCommand(userIdOf(principal), body.message, body.signature));
    return WalletResponse.of(await refusingBadCredentials(linking).catch(walletErrorsAnswered));
  }

  @Delete(':address')
  @Requires('profile:read')
  @HttpCode(204)
  @ApiOperation({ summary: "Unlink one of the caller's wallets" })
  @ApiNoContentResponse({ description: 'Unlinked' })
  @ProblemResponses(400, {
    404: 'No wallet of the caller has this address',
    409: 'It is the only way to sign in to an account without email and password',
  })
  async unlink(@CurrentPrincipal() principal: Principal, @Param() { address }: WalletAddressParams): Promise<void> {
    await this.commandBus.execute(new UnlinkWalletCommand(userIdOf(principal), address)).catch(walletErrorsAnswered);
  }
}
