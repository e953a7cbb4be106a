import { randomBytes } from 'node:crypto';
import { HDKey, hdKeyToAccount } from 'viem/accounts';
import { ReceivingAddresses } from './receiving-addresses';

describe(ReceivingAddresses.name, () => {
  const seed = HDKey.fromMasterSeed(randomBytes(64));
  const account = seed.derive("m/44'/60'/0'");

  it("derives from the xpub the addresses a wallet of the seed derives, each index its own", () => {
    const addresses = new ReceivingAddresses(account.publicExtendedKey);
    for (const index of [0, 1, 7]) {
      expect(addresses.at(BigInt(index))).toBe(hdKeyToAccount(seed, { addressIndex: index }).address.toLowerCase());
    }
    expect(addresses.at(1n)).not.toBe(addresses.at(2n));
  });

  it('refuses an extended private key, and an index past the non-hardened range', () => {
    expect(() => new ReceivingAddresses(account.privateExtendedKey)).toThrow('not a private one');
    expect(() => new ReceivingAddresses(account.publicExtendedKey).at(2n ** 31n)).toThrow('non-hardened range');
  });
});
