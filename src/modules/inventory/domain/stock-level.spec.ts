import { OnHandBelowReservedError } from './inventory.errors';
import { assertOnHandCoversReserved, availableOf } from './stock-level';

const PRODUCT = '0190a000-0000-7000-8000-00000000000a';

describe('stock level', () => {
  it('has available what is on hand and not reserved', () => {
    expect(availableOf({ productId: PRODUCT, onHand: 10, reserved: 3 })).toBe(7);
  });

  it('lets a stock count go down to exactly the reserved units, not below', () => {
    expect(() => assertOnHandCoversReserved(PRODUCT, 3, 3)).not.toThrow();
    expect(() => assertOnHandCoversReserved(PRODUCT, 2, 3)).toThrow(OnHandBelowReservedError);
  });
});
