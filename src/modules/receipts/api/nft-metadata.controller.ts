import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../../../libs/auth';
import { InvalidInputException, ProblemResponses } from '../../../../libs/http';
import { GetReceiptMetadataQuery } from '../application/get-receipt-metadata/get-receipt-metadata.query';
import { parseTokenId } from '../domain/token-id';
import { NFT_METADATA_EXAMPLE, NftMetadataResponse } from './nft-metadata.response';
import { TOKEN_ID_MESSAGE, TokenIdParams } from './token-id.params';

/** The metadata of the order receipts' tokens: where their contract's tokenURI points wallets and marketplaces. */
@ApiTags('receipts')
@Controller('api/v1/nft')
export class NftMetadataController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':tokenId')
  @Public()
  @ApiOperation({
    summary: "An order receipt's ERC-721 metadata",
    description:
      'What the receipt contract\'s `tokenURI(tokenId)` leads to. Wallets and marketplaces read it without an account. ' +
      'The token id is the order id\'s 128 bits in decimal. The metadata names the order, its items (product, quantity, ' +
      'unit price), total and confirmation date; never the customer. Only a minted receipt has metadata.',
  })
  @ApiOkResponse({
    type: NftMetadataResponse,
    example: NFT_METADATA_EXAMPLE,
    headers: { 'Cache-Control': { description: 'public, max-age=300: a minted receipt does not change', schema: { type: 'string' } } },
  })
  @ProblemResponses({ 400: 'The token id is not a decimal number up to 2^128 - 1', 404: 'No receipt with this token id is minted' })
  async metadata(@Param() { tokenId }: TokenIdParams, @Res({ passthrough: true }) reply: FastifyReply): Promise<NftMetadataResponse> {
    const id = parseTokenId(tokenId);
    if (id === undefined) throw new InvalidInputException([{ field: 'tokenId', message: TOKEN_ID_MESSAGE }]);
    const metadata = await this.queryBus.execute(new GetReceiptMetadataQuery(id));
    if (!metadata) throw new NotFoundException(`no receipt with token id ${tokenId} is minted`);
    // Only once minted: a token not minted yet may be in a moment, and its 404 must not be kept.
    void reply.header('cache-control', 'public, max-age=300');
    return metadata;
  }
}
