import { secp256k1 } from '@noble/curves/secp256k1';
import { bytesToHex } from 'viem';
import { HDKey, publicKeyToAddress } from 'viem/accounts';

/**
 * The shop's receiving addresses, one per transfer request, derived from an extended public key
 * (BIP-32, the account level of BIP-44's m/44'/60'/0'): the address at index i is the external
 * chain's child 0/i, as wallets derive it. The service holds no private key of them: the wallet
 * that holds the seed sees the payments, and moves them on.
 */
export class ReceivingAddresses {
  private readonly external: HDKey;

  constructor(extendedPublicKey: string) {
    const account = HDKey.fromExtendedKey(extendedPublicKey);
    // An extended private key would also parse; the service must never hold one.
    if (account.privateKey) throw new Error('the receiving key must be an extended public key (xpub), not a private one');
    this.external = account.deriveChild(0);
  }

  /** The address at `index`, in lower case. */
  at(index: bigint): string {
    if (index < 0n || index >= 2n ** 31n) throw new Error(`receiving address index ${index} is outside the non-hardened range`);
    const { publicKey } = this.external.deriveChild(Number(index));
    const uncompressed = secp256k1.ProjectivePoint.fromHex(publicKey!).toRawBytes(false);
    return publicKeyToAddress(bytesToHex(uncompressed)).toLowerCase();
  }
}
