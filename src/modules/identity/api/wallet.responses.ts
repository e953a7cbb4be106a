import { ApiProperty } from '@nestjs/swagger';
import { getAddress } from 'viem';
import type { Wallet } from '../domain/wallet';

export class WalletNonceResponse {
  @ApiProperty({ example: '4f9c2a7d0e1b8c3f6a5d9e2b7c1f0a3d', description: 'Put it in the EIP-4361 message; it signs in once' })
  nonce!: string;

  @ApiProperty({ format: 'date-time', description: 'The message must be verified before then' })
  expiresAt!: string;
}

export class WalletResponse {
  @ApiProperty({ example: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', description: 'EIP-55 checksummed' })
  address!: string;

  @ApiProperty({ format: 'date-time' })
  linkedAt!: string;

  static of(wallet: Wallet): WalletResponse {
    return { address: getAddress(wallet.address), linkedAt: wallet.linkedAt.toISOString() };
  }
}

export const WALLET_NONCE_EXAMPLE: WalletNonceResponse = { nonce: '4f9c2a7d0e1b8c3f6a5d9e2b7c1f0a3d', expiresAt: '2026-01-15T09:35:00.000Z' };

export const WALLET_EXAMPLE: WalletResponse = { address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', linkedAt: '2026-01-15T09:30:00.000Z' };
