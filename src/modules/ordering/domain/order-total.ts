import { OrderTotalTooLargeError } from './order.errors';
import { OrderLine } from './order-events';

/**
 * The largest order total in minor units: 10 billion in a currency of cents, beyond any real
 * order and far below Number.MAX_SAFE_INTEGER (about 9 × 10^15), so every total up to it is an
 * exact number in JSON, in the events and in the payment that authorizes it.
 */
export const MAX_ORDER_TOTAL = 1_000_000_000_000;

function exactWholeNumber(value: number, what: string, min: number): bigint {
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${what} must be a whole number from ${min} (got ${value})`);
  return BigInt(value);
}

/**
 * The sum of the lines' unit price × quantity, worked out exactly (in bigint, where floating
 * point would round products and sums above 2^53), and refused above MAX_ORDER_TOTAL.
 */
export function orderTotal(lines: readonly OrderLine[]): number {
  let total = 0n;
  lines.forEach((line, index) => {
    const price = exactWholeNumber(line.unitPrice.amount, `the unit price of line ${index}`, 0);
    total += price * exactWholeNumber(line.quantity, `the quantity of line ${index}`, 1);
    if (total > BigInt(MAX_ORDER_TOTAL)) throw new OrderTotalTooLargeError(MAX_ORDER_TOTAL);
  });
  return Number(total);
}
