import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { verifyMessage } from 'viem';
import { parseSiweMessage, validateSiweMessage } from 'viem/siwe';
import { ChainClients } from '../../../../../libs/chain';
import { InvalidWalletSignInError } from '../../domain/identity.errors';
import { normalizeAddress } from '../../domain/wallet';
import { IDENTITY_OPTIONS, IdentityOptions } from '../../identity.options';
import { WalletNonceRepository } from '../../infrastructure/wallet-nonce.repository';

/** How far ahead of our clock a wallet's clock may be: a message issued later than that is refused. */
const ISSUED_AT_SKEW_MS = 60_000;

/** What a verified message proves: the holder of `address` signed it with `nonce`. */
export interface VerifiedSignIn {
  /** Lower case (see normalizeAddress). */
  address: string;
  nonce: string;
}

/**
 * Checks an EIP-4361 message and its signature; then its nonce, used up in the transaction of the
 * command it proves, so a refused command leaves it unused. An externally owned account's signature
 * is recovered here; one that does not recover the message's address may be a deployed
 * smart-contract wallet's (EIP-1271), which only the message's chain can judge: its
 * `isValidSignature` is called through that chain's client where WEB3_CHAINS enables it; elsewhere
 * it is refused as any bad signature is. A wallet not deployed yet (ERC-6492) is refused.
 */
@Injectable()
export class SignInMessageVerifier {
  private readonly options: IdentityOptions['wallet'];

  constructor(
    @Inject(IDENTITY_OPTIONS) { wallet }: IdentityOptions,
    private readonly nonces: WalletNonceRepository,
    private readonly chains: ChainClients,
  ) {
    this.options = wallet;
  }

  async verify(message: string, signature: `0x${string}`): Promise<VerifiedSignIn> {
    const now = new Date();
    const fields = parseSiweMessage(message);
    const { address, nonce, uri, chainId, issuedAt } = fields;
    if (!address || !nonce || !uri || chainId === undefined || !issuedAt || fields.version !== '1') {
      throw new InvalidWalletSignInError('it is not an EIP-4361 message');
    }
    if (fields.domain !== this.options.domain) throw new InvalidWalletSignInError('it is for another domain');
    if (!this.isOwnUri(uri)) throw new InvalidWalletSignInError('its URI is not on this domain');
    if (!this.options.allowedChainIds.includes(chainId)) throw new InvalidWalletSignInError('its chain is not accepted');
    if (Number.isNaN(issuedAt.getTime()) || issuedAt.getTime() > now.getTime() + ISSUED_AT_SKEW_MS) {
      throw new InvalidWalletSignInError('its issue time is invalid or in the future');
    }
    if (!validateSiweMessage({ message: fields, domain: this.options.domain, time: now })) {
      throw new InvalidWalletSignInError('it has expired or is not valid yet');
    }
    if (!(await this.signedBy(address, message, signature, chainId))) throw new InvalidWalletSignInError('it is not signed by its address');
    return { address: normalizeAddress(address), nonce };
  }

  /** Refused, and the transaction with it, when the nonce is unknown, used already or expired. */
  async useNonce(manager: EntityManager, { nonce }: VerifiedSignIn): Promise<void> {
    if (!(await this.nonces.consume(manager, nonce))) throw new InvalidWalletSignInError('its nonce is unknown, used or expired');
  }

  /** The resource signed in to is served from the domain the message names. */
  private isOwnUri(uri: string): boolean {
    try {
      const url = new URL(uri);
      return ['http:', 'https:'].includes(url.protocol) && url.host === this.options.domain;
    } catch {
      return false;
    }
  }

  private async signedBy(address: `0x${string}`, message: string, signature: `0x${string}`, chainId: number): Promise<boolean> {
    if (await verifyMessage({ address, message, signature }).catch(() => false)) return true;
    if (!this.chains.chains.some(({ id }) => id === chainId)) return false;
    const chain = this.chains.publicClient(chainId);
    let code: `0x${string}` | undefined;
    try {
      // First, as viem's check reads a failed call as a refusal: an unreachable chain must not pass for a bad signature.
      code = await chain.getCode({ address });
    } catch {
      throw new ServiceUnavailableException(`the signature of a contract wallet is checked on chain ${chainId}, which cannot be reached now`);
    }
    // An address without code is an externally owned account, whose signature did not recover it.
    if (!code || code === '0x') return false;
    return chain.verifyMessage({ address, message, signature }).catch(() => false);
  }

}
