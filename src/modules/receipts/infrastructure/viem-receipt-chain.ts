import {
  BaseError,
  ContractFunctionRevertedError,
  Eip1559FeesNotSupportedError,
  encodeFunctionData,
  getAddress,
  HttpRequestError,
  keccak256,
  NonceTooLowError,
  SocketClosedError,
  TimeoutError,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  WaitForTransactionReceiptTimeoutError,
  WebSocketRequestError,
  zeroAddress,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
} from 'viem';
import { OrderReceiptAbi, RpcUnavailableError } from '../../../../libs/chain';
import { BroadcastOutcome, ChainUnavailableError, ChainUnreachableError, MintRefusedError, ReceiptChain } from '../application/ports/receipt-chain';
import { MinedTransaction, SignedMint } from '../domain/mint';
import { MintTarget } from '../domain/receipt';

/** Room over the node's gas estimate: a mint's cost does not move, but the estimate is taken a block early. */
const GAS_MARGIN_PERCENT = 20n;

/** The node has the transaction already, or its nonce went to another one (viem's own pattern, and geth's wordings). */
const NONCE_TAKEN = /nonce too low|already known|transaction already imported|nonce has already been used/i;

/** A JSON-RPC error the chain answered that no step expects: retried. Its message is viem's short one, without the RPC URL. */
export class ChainCallError extends Error {
  override readonly name = 'ChainCallError';
}

function found<T extends Error>(error: BaseError, type: abstract new (...args: never[]) => T): T | undefined {
  return (error.walk((e) => e instanceof type) as T | null) ?? undefined;
}

/** Whether the endpoint failed to answer at all, as opposed to answering with an error. */
function unreachable(error: BaseError): boolean {
  return [HttpRequestError, TimeoutError, SocketClosedError, WebSocketRequestError].some((type) => found(error, type) !== undefined);
}

function minedOf(receipt: TransactionReceipt): MinedTransaction {
  return { hash: receipt.transactionHash, status: receipt.status, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed };
}

/**
 * The receipt chain through viem: reads and broadcasts through the chain's public client
 * (ChainClients: every request behind the endpoint's circuit breaker `rpc:<chainId>`);
 * transactions signed locally by the minter's account, whose key never leaves it.
 */
export class ViemReceiptChain implements ReceiptChain {
  readonly minter: string;

  constructor(
    readonly chainId: number,
    private readonly client: PublicClient,
    private readonly account: LocalAccount,
    private readonly options: { confirmations: number; pollIntervalMs: number },
  ) {
    this.minter = account.address;
  }

  ownerOf({ contractAddress }: MintTarget, tokenId: bigint): Promise<string | null> {
    return this.call(
      () => this.client.readContract({ address: getAddress(contractAddress), abi: OrderReceiptAbi, functionName: 'ownerOf', args: [tokenId] }),
      // ERC721NonexistentToken: not minted (yet).
      (error) => (found(error, ContractFunctionRevertedError) ? null : undefined),
    );
  }

  async mintOf({ contractAddress }: MintTarget, tokenId: bigint): Promise<MinedTransaction | null> {
    const [log] = await this.call(
      () =>
        this.client.getContractEvents({
          address: getAddress(contractAddress),
          abi: OrderReceiptAbi,
          eventName: 'Transfer',
          args: { from: zeroAddress, tokenId },
          fromBlock: 'earliest',
        }),
      // Public endpoints bound the blocks one query may cover: the mint is then recorded without its transaction.
      () => [],
    );
    return log ? this.receiptOf(log.transactionHash) : null;
  }

  nextNonce(): Promise<number> {
    return this.call(() => this.client.getTransactionCount({ address: this.account.address, blockTag: 'pending' }));
  }

  async signMint({ contractAddress, owner }: MintTarget, tokenId: bigint, nonce: number): Promise<SignedMint> {
    const to = getAddress(contractAddress);
    const args = [getAddress(owner), tokenId] as const;
    const estimate = await this.call(
      () => this.client.estimateContractGas({ address: to, abi: OrderReceiptAbi, functionName: 'mint', args, account: this.account }),
      (error) => {
        const revert = found(error, ContractFunctionRevertedError);
        if (revert) throw new MintRefusedError(`the receipt contract ${to} refuses the mint: ${revert.data?.errorName ?? revert.reason ?? revert.shortMessage}`);
        return undefined;
      },
    );
    const gas = estimate + (estimate * GAS_MARGIN_PERCENT) / 100n;
    const common = { chainId: this.chainId, to, data: encodeFunctionData({ abi: OrderReceiptAbi, functionName: 'mint', args }), nonce, gas };
    const fees = await this.call(
      () => this.client.estimateFeesPerGas({ chain: undefined, type: 'eip1559' }),
      (error) => (found(error, Eip1559FeesNotSupportedError) ? null : undefined),
    );
    const serialized = fees
      ? await this.account.signTransaction({ ...common, type: 'eip1559', ...fees })
      : await this.account.signTransaction({ ...common, type: 'legacy', gasPrice: await this.call(() => this.client.getGasPrice()) });
    return { hash: keccak256(serialized), nonce, serialized };
  }

  async broadcast({ hash, serialized }: SignedMint): Promise<BroadcastOutcome> {
    const outcome = await this.call(
      async (): Promise<BroadcastOutcome | 'nonce-taken'> => {
        await this.client.sendRawTransaction({ serializedTransaction: serialized as Hex });
        return 'sent';
      },
      (error) => (found(error, NonceTooLowError) || NONCE_TAKEN.test(`${error.message} ${error.details}`) ? 'nonce-taken' : undefined),
    );
    if (outcome !== 'nonce-taken') return outcome;
    // "already known" and "nonce too low" read alike: the node tells which by knowing the transaction or not.
    return (await this.knows(hash)) ? 'sent' : 'nonce-used';
  }

  async knows(hash: string): Promise<boolean> {
    const transaction = await this.call(
      () => this.client.getTransaction({ hash: hash as Hex }),
      (error) => (found(error, TransactionNotFoundError) ? null : undefined),
    );
    return transaction !== null;
  }

  async receiptOf(hash: string): Promise<MinedTransaction | null> {
    const receipt = await this.call(
      () => this.client.getTransactionReceipt({ hash: hash as Hex }),
      (error) => (found(error, TransactionReceiptNotFoundError) ? null : undefined),
    );
    if (!receipt) return null;
    const head = await this.call(() => this.client.getBlockNumber({ cacheTime: 0 }));
    return head - receipt.blockNumber + 1n >= BigInt(this.options.confirmations) ? minedOf(receipt) : null;
  }

  async waitForReceipt(hash: string, timeoutMs: number): Promise<MinedTransaction | null> {
    const { confirmations, pollIntervalMs } = this.options;
    const receipt = await this.call(
      () => this.client.waitForTransactionReceipt({ hash: hash as Hex, confirmations, timeout: timeoutMs, pollingInterval: pollIntervalMs, retryCount: 0 }),
      (error) => (found(error, WaitForTransactionReceiptTimeoutError) ? null : undefined),
    );
    return receipt && minedOf(receipt);
  }

  /**
   * A call to the chain, whose errors become: ChainUnavailableError while the endpoint's circuit is
   * open (the mint is deferred until a probe may go through); ChainUnreachableError when the
   * endpoint did not answer (retried); what `answered` makes of an error the chain answered with,
   * when it expects it; else ChainCallError. None carries viem's error, whose message repeats the
   * RPC URL, which may hold an API key.
   */
  private async call<T>(call: () => Promise<T>, answered?: (error: BaseError) => T | undefined): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof BaseError)) throw error;
      const open = found(error, RpcUnavailableError);
      if (open) throw new ChainUnavailableError(`chain ${this.chainId}'s RPC endpoint keeps failing: its circuit is open`, open.retryInMs);
      if (unreachable(error)) throw new ChainUnreachableError(`chain ${this.chainId} did not answer: ${error.shortMessage}`);
      const answer = answered?.(error);
      if (answer !== undefined) return answer;
      throw new ChainCallError(`chain ${this.chainId}: ${error.shortMessage}`);
    }
  }
}
