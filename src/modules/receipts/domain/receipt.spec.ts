import { Confirmation, readyToMint, ReceiptFacts, receiptMetadata } from './receipt';

const ORDER = '0190b000-0000-7000-8000-0000000000aa';
const LAMP = '0190a000-0000-7000-8000-000000000001';
const MUG = '0190a000-0000-7000-8000-000000000002';

const confirmation: Confirmation = {
  customerId: 'cus_42',
  total: { amount: 6748, currency: 'EUR' },
  lines: [
    { productId: LAMP, quantity: 2, unitPrice: { amount: 2999, currency: 'EUR' } },
    { productId: MUG, quantity: 1, unitPrice: { amount: 750, currency: 'EUR' } },
  ],
  confirmedAt: new Date('2026-01-15T09:30:00.412Z'),
};

describe(readyToMint.name, () => {
  const whole: ReceiptFacts = {
    orderId: ORDER,
    confirmation,
    payment: { paymentId: '0190c000-0000-7000-8000-000000000001', chainId: 8453, payer: '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc' },
    completedAt: new Date('2026-01-15T09:30:01Z'),
  };

  it('asks for the mint of an order confirmed, paid on-chain and completed, once', () => {
    expect(readyToMint(whole)).toBe(true);
    expect(readyToMint({ ...whole, mintTarget: { chainId: 8453, contractAddress: '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512', owner: '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc' } })).toBe(false);
  });

  it.each([['confirmation'], ['payment'], ['completedAt']] as const)('waits while the order lacks its %s', (missing) => {
    expect(readyToMint({ ...whole, [missing]: undefined })).toBe(false);
  });
});

describe(receiptMetadata.name, () => {
  it('names the order, its items, total and confirmation date, and never the customer', () => {
    const metadata = receiptMetadata({ orderId: ORDER, tokenId: 1n, confirmation });

    expect(metadata).toEqual({
      name: `Receipt of order ${ORDER}`,
      description: `Proof of purchase of order ${ORDER}: 3 items, 67.48 EUR paid by an on-chain transfer, confirmed on 2026-01-15.`,
      attributes: [
        { trait_type: 'Total', value: '67.48 EUR' },
        { trait_type: 'Currency', value: 'EUR' },
        { trait_type: 'Items', value: 3, display_type: 'number' },
        { trait_type: 'Confirmed', value: 1768469400, display_type: 'date' },
      ],
      properties: {
        orderId: ORDER,
        items: confirmation.lines,
        total: { amount: 6748, currency: 'EUR' },
        confirmedAt: '2026-01-15T09:30:00.412Z',
      },
    });
    expect(JSON.stringify(metadata)).not.toContain('cus_42');
  });

  it('describes an order whose confirmation carried no lines by its total alone', () => {
    const { description, properties } = receiptMetadata({ orderId: ORDER, tokenId: 1n, confirmation: { ...confirmation, lines: [] } });
    expect(description).toBe(`Proof of purchase of order ${ORDER}: 67.48 EUR paid by an on-chain transfer, confirmed on 2026-01-15.`);
    expect(properties.items).toEqual([]);
  });
});
