import { Refund } from './refund';

function pending(): Refund {
  const payment = '0190b000-0000-7000-8000-0000000000aa';
  return Refund.request('0190b000-0000-7000-8000-0000000000cc', payment, { amount: 500, currency: 'EUR' }, 'damaged', 'key-1', 'staff-1');
}

describe(Refund.name, () => {
  it('starts PENDING, holding its amount', () => {
    expect(pending().toState()).toMatchObject({
      status: 'PENDING',
      amount: { amount: 500, currency: 'EUR' },
      providerRef: null,
      failureReason: null,
    });
  });

  it.each<[number, string | null, boolean]>([
    [500, 'damaged', true],
    [499, 'damaged', false],
    [500, null, false],
    [500, 'Damaged', false],
  ])('asked again for %d with reason %j: the same request is %s', (amount, reason, same) => {
    expect(pending().isSameRequest(amount, reason)).toBe(same);
  });

  it('records the provider refund once; a later outcome changes nothing', () => {
    const refund = pending();

    expect(refund.succeed('re_1')).toBe(true);
    expect(refund.succeed('re_2')).toBe(false);
    expect(refund.fail('charge_already_refunded')).toBe(false);
    expect(refund.toState()).toMatchObject({ status: 'SUCCEEDED', providerRef: 're_1', failureReason: null });
  });

  it('records a refusal once, which a later success does not overturn', () => {
    const refund = pending();

    expect(refund.fail('charge_already_refunded')).toBe(true);
    expect(refund.succeed('re_1')).toBe(false);
    expect(refund.toState()).toMatchObject({ status: 'FAILED', providerRef: null, failureReason: 'charge_already_refunded' });
  });
});
