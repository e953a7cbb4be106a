import { DynamicModule, Module } from '@nestjs/common';
import { ChainClients } from '../../../libs/chain';
import { NftMetadataController } from './api/nft-metadata.controller';
import { GetReceiptMetadataHandler } from './application/get-receipt-metadata/get-receipt-metadata.handler';
import { receiptsInbound } from './application/inbound-routes';
import { MintReceiptHandler } from './application/mint-receipt/mint-receipt.handler';
import { RECEIPT_CHAIN, ReceiptChain } from './application/ports/receipt-chain';
import { RecordOrderFactHandler } from './application/record-order-fact/record-order-fact.handler';
import { ReceiptRepository } from './infrastructure/receipt.repository';
import { ViemReceiptChain } from './infrastructure/viem-receipt-chain';
import { DEFAULT_RECEIPTS_OPTIONS, RECEIPTS_OPTIONS, ReceiptsOptions } from './receipts.options';

/** NFT receipts (ERC-721) of orders paid by an on-chain transfer, minted once to the wallet that paid. */
@Module({})
export class ReceiptsModule {
  static forRoot(options: Partial<ReceiptsOptions> = {}): DynamicModule {
    const resolved = { ...DEFAULT_RECEIPTS_OPTIONS, ...options };
    return {
      module: ReceiptsModule,
      controllers: [NftMetadataController],
      providers: [
        { provide: RECEIPTS_OPTIONS, useValue: resolved },
        {
          provide: RECEIPT_CHAIN,
          useFactory: (clients: ChainClients): ReceiptChain | undefined => {
            const { minting, pollIntervalMs } = resolved;
            if (!minting) return undefined;
            const { chain, minter } = minting;
            return new ViemReceiptChain(chain.id, clients.publicClient(chain.id), minter, { confirmations: chain.confirmations, pollIntervalMs });
          },
          // The process's chain clients (ChainModule): the receipt chain's endpoint and its breaker are shared with payments.
          inject: [ChainClients],
        },
        RecordOrderFactHandler,
        MintReceiptHandler,
        GetReceiptMetadataHandler,
        receiptsInbound.provider,
        ReceiptRepository,
      ],
    };
  }
}
