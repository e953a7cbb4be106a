import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { receiptMetadata, ReceiptMetadata } from '../../domain/receipt';
import { orderIdOf } from '../../domain/token-id';
import { ReceiptRepository } from '../../infrastructure/receipt.repository';
import { GetReceiptMetadataQuery } from './get-receipt-metadata.query';

@QueryHandler(GetReceiptMetadataQuery)
export class GetReceiptMetadataHandler implements IQueryHandler<GetReceiptMetadataQuery> {
  constructor(private readonly receipts: ReceiptRepository) {}

  async execute({ tokenId }: GetReceiptMetadataQuery): Promise<ReceiptMetadata | undefined> {
    // The token id is the order id: no lookup table.
    const receipt = await this.receipts.mintedReceipt(orderIdOf(tokenId));
    return receipt && receiptMetadata(receipt);
  }
}
