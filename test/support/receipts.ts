import { decodeFunctionData, getAddress, isAddressEqual, zeroAddress, type PublicClient } from 'viem';
import { ChainClients, deployOrderReceipt, OrderReceiptAbi } from '../../libs/chain';
import { IntegrationMessage } from '../../libs/contracts';
import { OrderCompletedV1, OrderConfirmedV1 } from '../../libs/contracts/ordering';
import { PaymentTransferReceivedV1 } from '../../libs/contracts/payments';
import { newId } from '../../libs/persistence';
import { EvmNode } from './evm-node';

export const BASE_URI = 'https://shop.test.example/api/v1/nft/';
export const EUR = (amount: number) => ({ amount, currency: 'EUR' });

/** An order's token id, as receipts derives it: the order id's 128 bits. */
export function tokenIdOf(orderId: string): bigint {
  return BigInt(`0x${orderId.replace(/-/g, '')}`);
}

/** The local chain, its clients, and an OrderReceipt deployed by the first account, minted by `minter`. */
export interface ReceiptChainFixture {
  chains: ChainClients;
  reader: PublicClient;
  contract: `0x${string}`;
  minter: EvmNode['accounts'][number];
  /** What the service is configured with to mint there. */
  env: Record<string, string>;
}

export async function deployReceipts(node: EvmNode, minterIndex = 1): Promise<ReceiptChainFixture> {
  const chains = new ChainClients([{ id: node.chainId, name: 'Local', rpcUrl: node.rpcUrl, confirmations: 1, tokens: {} }]);
  const [deployer, minter] = [node.accounts[0], node.accounts[minterIndex]];
  const contract = await deployOrderReceipt(chains.walletClient(node.chainId, deployer.privateKey), chains.publicClient(node.chainId), {
    name: 'Order receipts',
    symbol: 'RCPT',
    baseUri: BASE_URI,
    admin: deployer.address,
    minter: minter.address,
  });
  const env = {
    WEB3_CHAINS: JSON.stringify([{ id: node.chainId, rpcUrl: node.rpcUrl, receiptContract: contract }]),
    RECEIPTS_CHAIN_ID: String(node.chainId),
    RECEIPTS_MINTER_PRIVATE_KEY: minter.privateKey,
    RECEIPTS_MINT_POLL_MS: '50',
    RECEIPTS_MINT_TIMEOUT_MS: '10000',
  };
  return { chains, reader: chains.publicClient(node.chainId), contract, minter, env };
}

/** The three events a receipt waits for, as ordering and payments publish them: confirmed, paid on-chain, completed. */
export function orderEvents(orderId: string, payer: string, total = 5997): { confirmed: IntegrationMessage; paid: IntegrationMessage; completed: IntegrationMessage } {
  return {
    confirmed: new OrderConfirmedV1({
      orderId,
      customerId: 'cus_receipts',
      total: EUR(total),
      lines: [
        { productId: '0190a000-0000-7000-8000-000000000001', quantity: 2, unitPrice: EUR(1999) },
        { productId: '0190a000-0000-7000-8000-000000000002', quantity: 1, unitPrice: EUR(total - 3998) },
      ],
    }),
    paid: new PaymentTransferReceivedV1({
      orderId,
      paymentId: newId(),
      chainId: 31337,
      payer,
      tokenAddress: '0x5fbdb2315678afecb367f032d93f642f64180aa3',
      amount: String(total * 10_000),
      transactionHashes: [`0x${'ab'.repeat(32)}`],
    }),
    completed: new OrderCompletedV1({ orderId, customerId: 'cus_receipts', total: EUR(total) }),
  };
}

/** The `Transfer(0x0 → …, tokenId)` logs of the contract: the token's mints. */
export async function mintsOf({ reader, contract }: ReceiptChainFixture, tokenId: bigint) {
  return reader.getContractEvents({ address: contract, abi: OrderReceiptAbi, eventName: 'Transfer', args: { from: zeroAddress, tokenId }, fromBlock: 'earliest' });
}

/** Every mined transaction of the minter that calls `mint(…, tokenId)`, found block by block (anvil mines each at once). */
export async function mintTransactionsOf({ reader, contract, minter }: ReceiptChainFixture, tokenId: bigint): Promise<`0x${string}`[]> {
  const head = await reader.getBlockNumber({ cacheTime: 0 });
  const hashes: `0x${string}`[] = [];
  for (let number = 0n; number <= head; number++) {
    const block = await reader.getBlock({ blockNumber: number, includeTransactions: true });
    for (const transaction of block.transactions) {
      if (!transaction.to || !isAddressEqual(transaction.to, contract) || !isAddressEqual(transaction.from, minter.address)) continue;
      const { functionName, args } = decodeFunctionData({ abi: OrderReceiptAbi, data: transaction.input });
      if (functionName === 'mint' && args[1] === tokenId) hashes.push(transaction.hash);
    }
  }
  return hashes;
}

/** Who holds the token, or null while it is not minted. */
export async function ownerOf({ reader, contract }: ReceiptChainFixture, tokenId: bigint): Promise<string | null> {
  return reader.readContract({ address: contract, abi: OrderReceiptAbi, functionName: 'ownerOf', args: [tokenId] }).then(getAddress, () => null);
}

/** A private key as it could be written out: its hex digits in either case (with or without 0x). */
export function keySpellings(key: string): string[] {
  const hex = key.slice(2);
  return [hex.toLowerCase(), hex.toUpperCase()];
}
