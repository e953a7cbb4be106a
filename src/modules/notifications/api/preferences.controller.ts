import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Requires } from '../../../../libs/auth';
import { BodyLimit, ProblemResponses } from '../../../../libs/http';
import { GetPreferencesQuery } from '../application/get-preferences/get-preferences.query';
import { UpdatePreferencesCommand } from '../application/update-preferences/update-preferences.command';
import { CustomerParams, PREFERENCES_BODY_LIMIT, PreferencesResponse, UpdatePreferencesRequest } from './preferences.dto';

const EXAMPLE: PreferencesResponse = {
  customerId: '0190a3f2-3c2b-7f54-9b72-3c4d5e6f7081',
  channels: { email: true, sms: true, push: false },
  phone: '+4915112345678',
  devices: [],
  updatedAt: '2026-01-15T09:30:00.500Z',
};

/** Which channels a customer is told on about their orders, and where: their own to read and change, staff's to read. */
@ApiTags('notifications')
@Controller('api/v1/notifications/preferences')
export class PreferencesController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly commandBus: CommandBus,
  ) {}

  @Get()
  @Requires('notifications:preferences-own')
  @ApiOperation({
    summary: "The caller's notification preferences",
    description: 'A customer who never chose has the defaults: e-mail on, SMS and push off, no phone, no devices (`updatedAt` null).',
  })
  @ApiOkResponse({ type: PreferencesResponse, example: EXAMPLE })
  async own(@CurrentPrincipal() caller: Principal): Promise<PreferencesResponse> {
    return PreferencesResponse.of(caller.id, await this.queryBus.execute(new GetPreferencesQuery(caller.id)));
  }

  @Put()
  @BodyLimit(PREFERENCES_BODY_LIMIT)
  @Requires('notifications:preferences-own')
  @ApiOperation({
    summary: "Replace the caller's notification preferences",
    description:
      'Channels, phone number and devices together. Notices of orders from now on go to every channel turned on; ' +
      'one without its address (SMS without a phone, push without a device) is kept NOT_SENT with the reason.',
  })
  @ApiOkResponse({ type: PreferencesResponse, example: EXAMPLE })
  @ProblemResponses(413, 415, { 400: 'A field is missing, unknown or malformed (phone not E.164, a device token too long, more than 10): named in errors[]' })
  async replace(@CurrentPrincipal() caller: Principal, @Body() request: UpdatePreferencesRequest): Promise<PreferencesResponse> {
    const { channels, phone, devices } = request;
    const stored = await this.commandBus.execute(
      new UpdatePreferencesCommand(caller.id, { channels: { email: channels.email, sms: channels.sms, push: channels.push }, phone, devices }),
    );
    return PreferencesResponse.of(caller.id, stored);
  }

  @Get(':customerId')
  @Requires('notifications:read-all')
  @ApiOperation({ summary: "A customer's notification preferences (staff)", description: 'The defaults for a customer who never chose.' })
  @ApiOkResponse({ type: PreferencesResponse, example: EXAMPLE })
  @ProblemResponses({ 400: 'customerId malformed' })
  async ofCustomer(@Param() { customerId }: CustomerParams): Promise<PreferencesResponse> {
    return PreferencesResponse.of(customerId, await this.queryBus.execute(new GetPreferencesQuery(customerId)));
  }
}
