import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsDefined, IsString, Matches, ValidateIf, ValidateNested } from 'class-validator';
import type { StoredPreferences } from '../infrastructure/contact.repository';
import { CUSTOMER_ID_PATTERN } from './list-notifications.request';

/** E.164: a plus, then 2 to 15 digits, the first not 0. */
const PHONE_PATTERN = '^\\+[1-9][0-9]{1,14}$';
/** FCM's and APNs' tokens, and room to spare; never a space, which separates them in a recipient. */
const DEVICE_TOKEN_PATTERN = '^[A-Za-z0-9_:.-]{1,512}$';
const MAX_DEVICES = 10;

/** Ten tokens of 512 characters and the rest, with room for white space. */
export const PREFERENCES_BODY_LIMIT = 8 * 1024;

export class ChannelChoice {
  @ApiProperty({ description: 'On unless turned off', example: true })
  @IsBoolean()
  email!: boolean;

  @ApiProperty({ description: 'Text messages to `phone`; off unless turned on', example: true })
  @IsBoolean()
  sms!: boolean;

  @ApiProperty({ description: 'Pushes to every device in `devices`; off unless turned on', example: false })
  @IsBoolean()
  push!: boolean;
}

/** The whole of a customer's preferences: what is left out is refused, not kept. */
export class UpdatePreferencesRequest {
  @ApiProperty({ type: ChannelChoice, description: 'The channels to be told on about orders' })
  @IsDefined()
  @ValidateNested()
  @Type(() => ChannelChoice)
  channels!: ChannelChoice;

  @ApiProperty({ type: String, nullable: true, pattern: PHONE_PATTERN, maxLength: 16, example: '+4915112345678', description: 'E.164; null for none' })
  @ValidateIf((request: UpdatePreferencesRequest) => request.phone !== null)
  @IsString()
  @Matches(new RegExp(PHONE_PATTERN), { message: 'phone must be an E.164 number: + and 2 to 15 digits, as +4915112345678' })
  phone!: string | null;

  @ApiProperty({
    type: [String],
    maxItems: MAX_DEVICES,
    uniqueItems: true,
    items: { type: 'string', pattern: DEVICE_TOKEN_PATTERN, maxLength: 512 },
    example: ['fcm:dGhpcyBpcyBhIHRva2Vu'],
    description: "The push tokens of the customer's app installations",
  })
  @IsArray()
  @ArrayMaxSize(MAX_DEVICES)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(new RegExp(DEVICE_TOKEN_PATTERN), { each: true, message: 'devices must be tokens of 1 to 512 letters, digits or _:.-' })
  devices!: string[];
}

export class PreferencesResponse {
  @ApiProperty() customerId!: string;
  @ApiProperty({ type: ChannelChoice }) channels!: ChannelChoice;
  @ApiProperty({ type: String, nullable: true, example: '+4915112345678' }) phone!: string | null;
  @ApiProperty({ type: [String] }) devices!: string[];
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'When the customer last chose; null: never, these are the defaults' })
  updatedAt!: string | null;

  static of(customerId: string, { channels, phone, devices, updatedAt }: StoredPreferences): PreferencesResponse {
    return { customerId, channels: { ...channels }, phone, devices: [...devices], updatedAt: updatedAt?.toISOString() ?? null };
  }
}

export class CustomerParams {
  @ApiProperty({ pattern: CUSTOMER_ID_PATTERN })
  @IsString()
  @Matches(new RegExp(CUSTOMER_ID_PATTERN), { message: 'customerId must be 1-100 letters, digits or ._@:-' })
  customerId!: string;
}
