import { InvalidReservationError } from './inventory.errors';
import {
  decideCommit,
  decideRelease,
  mergeLines,
  planReservation,
  Reservation,
  reservationFromPlan,
  releasedTombstone,
  replyTo,
} from './reservation';

const ORDER = '0190b000-0000-7000-8000-0000000000aa';
const A = '0190a000-0000-7000-8000-00000000000a';
const B = '0190a000-0000-7000-8000-00000000000b';
const C = '0190a000-0000-7000-8000-00000000000c';

describe('mergeLines', () => {
  it('sums the quantities of a product named twice and orders lines by product id', () => {
    expect(
      mergeLines(ORDER, [
        { productId: B, quantity: 2 },
        { productId: A, quantity: 1 },
        { productId: B, quantity: 3 },
      ]),
    ).toEqual([
      { productId: A, quantity: 1 },
      { productId: B, quantity: 5 },
    ]);
  });

  it('treats product ids case-insensitively, as the database does', () => {
    expect(
      mergeLines(ORDER, [
        { productId: A.toUpperCase(), quantity: 1 },
        { productId: A, quantity: 1 },
      ]),
    ).toEqual([{ productId: A, quantity: 2 }]);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('refuses quantity %p', (quantity) => {
    expect(() => mergeLines(ORDER, [{ productId: A, quantity }])).toThrow(InvalidReservationError);
  });

  it('refuses an order without lines', () => {
    expect(() => mergeLines(ORDER, [])).toThrow(InvalidReservationError);
  });
});

describe('planReservation', () => {
  const lines = [
    { productId: A, quantity: 2 },
    { productId: B, quantity: 5 },
  ];

  it('reserves when every line fits, including a line that takes the last unit', () => {
    expect(planReservation(lines, new Map([[A, 2], [B, 9]]))).toEqual({ outcome: 'RESERVE' });
  });

  it('rejects the whole order when one line does not fit, naming only that line', () => {
    expect(planReservation(lines, new Map([[A, 10], [B, 4]]))).toEqual({
      outcome: 'REJECT',
      reason: 'INSUFFICIENT_STOCK',
      productIds: [B],
    });
  });

  it('names every failing line', () => {
    expect(planReservation(lines, new Map([[A, 1], [B, 0]]))).toEqual({
      outcome: 'REJECT',
      reason: 'INSUFFICIENT_STOCK',
      productIds: [A, B],
    });
  });

  it('rejects as UNKNOWN_PRODUCT when a product has no stock at all', () => {
    expect(planReservation([...lines, { productId: C, quantity: 1 }], new Map([[A, 0], [B, 9]]))).toEqual({
      outcome: 'REJECT',
      reason: 'UNKNOWN_PRODUCT',
      productIds: [A, C],
    });
  });
});

describe('replyTo', () => {
  const lines = [{ productId: A, quantity: 1 }];

  it('answers RESERVED for a reservation that holds or held stock', () => {
    expect(replyTo({ orderId: ORDER, status: 'RESERVED', lines })).toEqual({ status: 'RESERVED' });
    expect(replyTo({ orderId: ORDER, status: 'COMMITTED', lines })).toEqual({ status: 'RESERVED' });
  });

  it('repeats a rejection with its stored reason and products', () => {
    const rejected = reservationFromPlan(ORDER, lines, { outcome: 'REJECT', reason: 'UNKNOWN_PRODUCT', productIds: [A] });
    expect(replyTo(rejected)).toEqual({ status: 'REJECTED', reason: 'UNKNOWN_PRODUCT', productIds: [A] });
  });

  it('rejects a reservation for an order that was released first', () => {
    expect(replyTo(releasedTombstone(ORDER))).toEqual({
      status: 'REJECTED',
      reason: 'RESERVATION_RELEASED',
      productIds: [],
    });
  });
});

describe('decideCommit and decideRelease', () => {
  const lines = [{ productId: A, quantity: 3 }];
  const withStatus = (status: 'RESERVED' | 'COMMITTED' | 'RELEASED'): Reservation => ({ orderId: ORDER, status, lines });
  const rejected = reservationFromPlan(ORDER, lines, { outcome: 'REJECT', reason: 'INSUFFICIENT_STOCK', productIds: [A] });

  it.each([
    ['missing', undefined, { action: 'NOT_COMMITTABLE' }, { action: 'TOMBSTONE' }],
    ['RESERVED', withStatus('RESERVED'), { action: 'COMMIT', lines }, { action: 'RELEASE', lines }],
    ['COMMITTED', withStatus('COMMITTED'), { action: 'ALREADY_COMMITTED' }, { action: 'RESTOCK', lines }],
    ['RELEASED', withStatus('RELEASED'), { action: 'NOT_COMMITTABLE' }, { action: 'ALREADY_RELEASED' }],
    ['REJECTED', rejected, { action: 'NOT_COMMITTABLE' }, { action: 'ALREADY_RELEASED' }],
  ])('a %s reservation: commit %j, release %j', (_name, reservation, commit, release) => {
    expect(decideCommit(reservation)).toEqual(commit);
    expect(decideRelease(reservation)).toEqual(release);
  });
});
