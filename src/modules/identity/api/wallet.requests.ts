import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

/** EIP-4361 messages are a few hundred characters; a bound keeps the parsing of one cheap. */
export const MAX_SIGN_IN_MESSAGE = 4096;
const SIGNATURE_PATTERN = '^0x[0-9a-fA-F]{130}$';
const ADDRESS_PATTERN = '^0x[0-9a-fA-F]{40}$';

const MESSAGE_EXAMPLE = [
  'shop.example wants you to sign in with your Ethereum account:',
  '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
  '',
  'Sign in to the shop.',
  '',
  'URI: https://shop.example',
  'Version: 1',
  'Chain ID: 8453',
  'Nonce: 4f9c2a7d0e1b8c3f6a5d9e2b7c1f0a3d',
  'Issued At: 2026-01-15T09:30:00.000Z',
].join('\n');

/** A Sign-In with Ethereum message (EIP-4361) and its EIP-191 signature by the message's address. */
export class WalletSignInRequest {
  @ApiProperty({ example: MESSAGE_EXAMPLE, maxLength: MAX_SIGN_IN_MESSAGE, description: 'The EIP-4361 message, with a nonce from GET /api/v1/auth/wallet/nonce' })
  @IsString()
  @MaxLength(MAX_SIGN_IN_MESSAGE)
  message!: string;

  @ApiProperty({ example: `0x${'ab'.repeat(65)}`, pattern: SIGNATURE_PATTERN, description: 'personal_sign of the message: 65 bytes, hex' })
  @IsString()
  @Matches(new RegExp(SIGNATURE_PATTERN), { message: '$property must be 0x and 130 hex digits' })
  signature!: `0x${string}`;
}

/** The `:address` of a route: an Ethereum address in any case. */
export class WalletAddressParams {
  @ApiProperty({ example: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', pattern: ADDRESS_PATTERN })
  @Matches(new RegExp(ADDRESS_PATTERN), { message: '$property must be 0x and 40 hex digits' })
  address!: string;
}
