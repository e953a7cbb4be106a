import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../../libs/auth';
import { ProblemResponses } from '../../../../libs/http';
import { RateLimit } from '../../../../libs/rate-limit';
import { RegisterUserCommand } from '../application/accounts/account.commands';
import { IssueClientTokenCommand, LogInCommand, LogOutCommand, RefreshSessionCommand } from '../application/sessions/session.commands';
import { ClientTokenRequest, LogInRequest, RefreshTokenRequest, RegisterRequest } from './auth.requests';
import { ACCESS_TOKEN_EXAMPLE, AccessTokenResponse, SESSION_EXAMPLE, SessionResponse } from './auth.responses';
import { refusingBadCredentials } from './refusing-bad-credentials';

@ApiTags('identity')
@Controller('api/v1/auth')
@Public()
export class AuthController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('register')
  @RateLimit('auth', { account: 'email' })
  @HttpCode(202)
  @ApiOperation({
    summary: 'Register a customer account',
    description: 'Answers 202 whether or not the email already has an account, so the answer reveals no accounts. Log in next.',
  })
  @ApiAcceptedResponse({ description: 'Registered, unless the email was taken' })
  @ProblemResponses(400, 413, 415)
  async register(@Body() body: RegisterRequest): Promise<void> {
    await this.commandBus.execute(new RegisterUserCommand(body.email, body.password));
  }

  @Post('login')
  @RateLimit('auth', { account: 'email' })
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Log in with email and password: an access token and a refresh token' })
  @ApiOkResponse({ type: SessionResponse, example: SESSION_EXAMPLE })
  @ProblemResponses(400, 413, 415, { 401: 'The email or password is wrong' })
  async logIn(@Body() body: LogInRequest): Promise<SessionResponse> {
    return { ...(await refusingBadCredentials(this.commandBus.execute(new LogInCommand(body.email, body.password)))), tokenType: 'Bearer' };
  }

  @Post('refresh')
  @RateLimit('auth')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Trade a refresh token for a new pair',
    description: 'The refresh token is used up. Presenting a used one again revokes every token of its session.',
  })
  @ApiOkResponse({ type: SessionResponse, example: SESSION_EXAMPLE })
  @ProblemResponses(400, 413, 415, { 401: 'The refresh token is invalid, expired, used or revoked' })
  async refresh(@Body() body: RefreshTokenRequest): Promise<SessionResponse> {
    return { ...(await refusingBadCredentials(this.commandBus.execute(new RefreshSessionCommand(body.refreshToken)))), tokenType: 'Bearer' };
  }

  @Post('logout')
  @RateLimit('auth')
  @HttpCode(204)
  @ApiOperation({ summary: "End the refresh token's session; its access tokens expire on their own" })
  @ApiNoContentResponse({ description: 'The session is over (or was already)' })
  @ProblemResponses(400, 413, 415)
  async logOut(@Body() body: RefreshTokenRequest): Promise<void> {
    await this.commandBus.execute(new LogOutCommand(body.refreshToken));
  }

  @Post('token')
  @RateLimit('auth', { account: 'clientId' })
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: "A machine client's access token (client credentials), scoped to what the client was granted" })
  @ApiOkResponse({ type: AccessTokenResponse, example: ACCESS_TOKEN_EXAMPLE })
  @ProblemResponses(400, 413, 415, { 401: 'The client id or secret is wrong, or the client was revoked' })
  async clientToken(@Body() body: ClientTokenRequest): Promise<AccessTokenResponse> {
    const token = await refusingBadCredentials(this.commandBus.execute(new IssueClientTokenCommand(body.clientId, body.clientSecret)));
    return { ...token, tokenType: 'Bearer' };
  }
}
