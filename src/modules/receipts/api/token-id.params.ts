import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { MAX_TOKEN_ID, TOKEN_ID_PATTERN } from '../domain/token-id';

export const TOKEN_ID_MESSAGE = `tokenId must be a whole number in decimal, from 0 to ${MAX_TOKEN_ID} (2^128 - 1)`;

/** The `:tokenId` of a receipt: its order id's 128 bits, in decimal, as the contract's tokenURI writes it. */
export class TokenIdParams {
  @ApiProperty({ example: '2170380086868086862995200902732710049', pattern: TOKEN_ID_PATTERN, description: TOKEN_ID_MESSAGE })
  @Matches(new RegExp(TOKEN_ID_PATTERN), { message: TOKEN_ID_MESSAGE })
  tokenId!: string;
}
