import { Query } from '@nestjs/cqrs';
import type { ReceiptMetadata } from '../../domain/receipt';

/** The metadata of a minted receipt; undefined while the token is not minted. */
export class GetReceiptMetadataQuery extends Query<ReceiptMetadata | undefined> {
  constructor(readonly tokenId: bigint) {
    super();
  }
}
