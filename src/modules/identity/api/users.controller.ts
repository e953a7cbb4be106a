import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Requires } from '../../../../libs/auth';
import { IdParams, ProblemResponses } from '../../../../libs/http';
import { GetUserQuery, SetUserRolesCommand } from '../application/accounts/account.commands';
import { CreateClientCommand, RevokeClientCommand } from '../application/clients/client.commands';
import { UnknownClientError, UnknownUserError } from '../domain/identity.errors';
import { CreateClientRequest, SetRolesRequest } from './auth.requests';
import { CLIENT_EXAMPLE, ClientResponse, USER_EXAMPLE, UserResponse } from './auth.responses';

function notFoundFor<T>(type: new (...args: never[]) => Error): (error: unknown) => T {
  return (error) => {
    if (error instanceof type) throw new NotFoundException(error.message);
    throw error;
  };
}

@ApiTags('identity')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('me')
  @Requires('profile:read')
  @ApiOperation({ summary: 'The calling user' })
  @ApiOkResponse({ type: UserResponse, example: USER_EXAMPLE })
  @ProblemResponses({ 404: 'The token is a machine client’s, or its user was deleted' })
  async me(@CurrentPrincipal() principal: Principal): Promise<UserResponse> {
    const user = await this.queryBus.execute(new GetUserQuery(principal.id));
    if (!user) throw new NotFoundException('no user has this token’s subject');
    return UserResponse.of(user);
  }
}

@ApiTags('admin')
@Controller('api/v1/admin')
export class IdentityAdminController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put('users/:id/roles')
  @Requires('users:manage')
  @ApiOperation({ summary: "Set a user's roles; they take effect with the user's next access token" })
  @ApiOkResponse({ type: UserResponse, example: { ...USER_EXAMPLE, roles: ['staff'] } })
  @ProblemResponses(400, 413, 415, { 404: 'No user has this id' })
  async setRoles(@Param() { id }: IdParams, @Body() body: SetRolesRequest): Promise<UserResponse> {
    return UserResponse.of(await this.commandBus.execute(new SetUserRolesCommand(id, body.roles)).catch(notFoundFor(UnknownUserError)));
  }

  @Post('clients')
  @Requires('clients:manage')
  @ApiOperation({ summary: 'Create a machine client; its secret is in this answer only' })
  @ApiCreatedResponse({ type: ClientResponse, example: CLIENT_EXAMPLE })
  @ProblemResponses(400, 413, 415)
  async createClient(@Body() body: CreateClientRequest): Promise<ClientResponse> {
    const { client, secret } = await this.commandBus.execute(new CreateClientCommand(body.name, body.scopes));
    return ClientResponse.of(client, secret);
  }

  @Delete('clients/:id')
  @HttpCode(204)
  @Requires('clients:manage')
  @ApiOperation({ summary: 'Revoke a machine client: no new tokens; issued ones expire within their lifetime' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ProblemResponses(400, { 404: 'No active client has this id' })
  async revokeClient(@Param() { id }: IdParams): Promise<void> {
    await this.commandBus.execute(new RevokeClientCommand(id)).catch(notFoundFor(UnknownClientError));
  }
}
