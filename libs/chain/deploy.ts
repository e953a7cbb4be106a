import { getAddress, isAddressEqual, type Account, type Chain, type Hash, type PublicClient, type Transport, type WalletClient } from 'viem';
import { OrderReceiptAbi, OrderReceiptBytecode } from './contracts/generated/order-receipt';
import { TestSmartWalletAbi, TestSmartWalletBytecode } from './contracts/generated/test-smart-wallet';
import { TestStablecoinAbi, TestStablecoinBytecode } from './contracts/generated/test-stablecoin';

/**
 * The role OrderReceipt's `mint` needs: keccak256("MINTER_ROLE"), as the contract computes it
 * (test/web3/contracts.e2e-spec.ts reads it back from a deployed contract). Written out, as is
 * the admin role: computed here, they would load viem with this file (docs/decisions/0063).
 */
export const MINTER_ROLE: Hash = '0x9f2df0fed2c77648de5860a4cc508cd0818c85b8b8a1ab4ceeef8d981c8956a6';
/** AccessControl's admin role (bytes32 zero), which grants and revokes the others. */
export const DEFAULT_ADMIN_ROLE: Hash = `0x${'0'.repeat(64)}`;

/** Signs and sends the deployment: a wallet client with its account and chain (ChainClients.walletClient). */
export type Deployer = WalletClient<Transport, Chain, Account>;
/** Waits for the receipts. */
export type ReceiptReader = Pick<PublicClient, 'waitForTransactionReceipt'>;

/** A deployment or set-up transaction that was mined but reverted. */
export class DeploymentFailedError extends Error {
  override readonly name = 'DeploymentFailedError';
}

async function mined(publicClient: ReceiptReader, hash: Hash, what: string): Promise<`0x${string}` | null | undefined> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new DeploymentFailedError(`${what} reverted (transaction ${hash})`);
  return receipt.contractAddress;
}

async function deployed(publicClient: ReceiptReader, hash: Hash, contract: string): Promise<`0x${string}`> {
  const address = await mined(publicClient, hash, `deploying ${contract}`);
  if (!address) throw new DeploymentFailedError(`deploying ${contract} created no contract (transaction ${hash})`);
  // Checksummed, as configuration (WEB3_CHAINS) wants it.
  return getAddress(address);
}

/** Deploys a TestStablecoin (tests and local development only), owned by the deployer, who alone may mint. */
export async function deployTestStablecoin(
  walletClient: Deployer,
  publicClient: ReceiptReader,
  { name, symbol }: { name: string; symbol: string },
): Promise<`0x${string}`> {
  const hash = await walletClient.deployContract({ abi: TestStablecoinAbi, bytecode: TestStablecoinBytecode, args: [name, symbol] });
  return deployed(publicClient, hash, 'TestStablecoin');
}

/** Deploys a TestSmartWallet (tests and local development only): an EIP-1271 contract wallet for which `owner`'s key signs. */
export async function deployTestSmartWallet(walletClient: Deployer, publicClient: ReceiptReader, { owner }: { owner: `0x${string}` }): Promise<`0x${string}`> {
  const hash = await walletClient.deployContract({ abi: TestSmartWalletAbi, bytecode: TestSmartWalletBytecode, args: [owner] });
  return deployed(publicClient, hash, 'TestSmartWallet');
}

/**
 * Deploys an OrderReceipt whose token URIs are `baseUri` + token id, grants `minter` the minter
 * role, and leaves `admin` the only admin. The deployer is the first admin, as only an admin may
 * grant the minter role; when `admin` is another account (a multisig), the deployer hands the admin
 * role over and renounces its own. Resolves once every transaction is mined.
 */
export async function deployOrderReceipt(
  walletClient: Deployer,
  publicClient: ReceiptReader,
  { name, symbol, baseUri, admin, minter }: { name: string; symbol: string; baseUri: string; admin: `0x${string}`; minter: `0x${string}` },
): Promise<`0x${string}`> {
  const deployer = walletClient.account.address;
  const address = await deployed(
    publicClient,
    await walletClient.deployContract({ abi: OrderReceiptAbi, bytecode: OrderReceiptBytecode, args: [name, symbol, baseUri, deployer] }),
    'OrderReceipt',
  );
  const send = async (functionName: 'grantRole' | 'renounceRole', role: Hash, account: `0x${string}`): Promise<void> => {
    const hash = await walletClient.writeContract({ address, abi: OrderReceiptAbi, functionName, args: [role, account] });
    await mined(publicClient, hash, `${functionName} on OrderReceipt ${address}`);
  };
  await send('grantRole', MINTER_ROLE, minter);
  if (!isAddressEqual(admin, deployer)) {
    await send('grantRole', DEFAULT_ADMIN_ROLE, admin);
    await send('renounceRole', DEFAULT_ADMIN_ROLE, deployer);
  }
  return address;
}
