import { DECLINE_REASON, Payment, PaymentStatus, ProviderOutcome } from './payment';

const ORDER = '0190b000-0000-7000-8000-000000000001';
const EUR_10 = { amount: 1000, currency: 'EUR' };
const PARKED_UNTIL = new Date('2026-01-15T10:10:00.000Z');
const SEALED = { sealed: 'pmr1.key.eph.iv.ct.tag', expiresAt: '2026-01-15T10:15:00.000Z' };

function paymentIn(status: PaymentStatus): Payment {
  return Payment.restore({
    id: '0190b000-0000-7000-8000-0000000000aa',
    orderId: ORDER,
    customerId: 'cus_42',
    status,
    amount: EUR_10,
    method: 'card',
    provider: 'card',
    attempts: 1,
    declineReason: status === 'DECLINED' ? 'card_declined' : null,
    providerRef: status === 'AUTHORIZED' || status === 'CAPTURED' ? 'sim_1' : null,
    parking: status === 'PARKED' ? { until: PARKED_UNTIL, paymentMethod: SEALED } : null,
  });
}

describe(Payment.name, () => {
  describe('answerAuthorizationRequest', () => {
    it.each<[PaymentStatus, ReturnType<Payment['answerAuthorizationRequest']>]>([
      ['PENDING', { kind: 'ask-provider' }],
      ['PARKED', { kind: 'parked', until: PARKED_UNTIL }],
      ['AUTHORIZED', { kind: 'authorized' }],
      ['CAPTURED', { kind: 'authorized' }],
      ['PARTIALLY_REFUNDED', { kind: 'authorized' }],
      ['REFUNDED', { kind: 'authorized' }],
      ['DECLINED', { kind: 'declined', reason: 'card_declined' }],
      ['VOIDED', { kind: 'declined', reason: DECLINE_REASON.voided }],
    ])('a %s payment answers %j', (status, answer) => {
      expect(paymentIn(status).answerAuthorizationRequest()).toEqual(answer);
    });

    it('a tombstone declines the authorization it blocks', () => {
      expect(Payment.tombstone('0190b000-0000-7000-8000-0000000000bb', ORDER).answerAuthorizationRequest()).toEqual({
        kind: 'declined',
        reason: 'voided',
      });
    });
  });

  describe('start', () => {
    it.each(['card', 'paypal', 'crypto'])('a payment by %s is authorized, and later called, at the provider of that name', (method) => {
      expect(Payment.start('0190b000-0000-7000-8000-0000000000aa', ORDER, 'cus_42', EUR_10, method).provider).toBe(method);
    });

    it('a tombstone has no provider', () => {
      expect(Payment.tombstone('0190b000-0000-7000-8000-0000000000bb', ORDER).provider).toBeNull();
    });
  });

  describe('settle', () => {
    it('an approval authorizes a pending payment and keeps the provider reference', () => {
      const payment = Payment.start('0190b000-0000-7000-8000-0000000000aa', ORDER, 'cus_42', EUR_10, 'card');
      expect(payment.settle({ kind: 'approved', reference: 'sim_42' }, 2)).toEqual({ kind: 'authorized' });
      expect(payment.toState()).toMatchObject({ status: 'AUTHORIZED', providerRef: 'sim_42', attempts: 2 });
    });

    it("a decline declines a pending payment with the provider's reason", () => {
      const payment = paymentIn('PENDING');
      expect(payment.settle({ kind: 'declined', reason: 'card_declined' }, 1)).toEqual({
        kind: 'declined',
        reason: 'card_declined',
      });
      expect(payment.toState()).toMatchObject({ status: 'DECLINED', declineReason: 'card_declined', attempts: 2 });
    });

    it('exhausted retries decline a pending payment as a processing error', () => {
      const payment = paymentIn('PENDING');
      expect(payment.settle({ kind: 'failed' }, 3)).toEqual({ kind: 'declined', reason: 'processing_error' });
      expect(payment.toState()).toMatchObject({ status: 'DECLINED', declineReason: 'processing_error', attempts: 4 });
    });

    it('a timeout leaves the payment pending and counts the attempts', () => {
      const payment = paymentIn('PENDING');
      expect(payment.settle({ kind: 'timed-out' }, 1)).toEqual({ kind: 'still-pending' });
      expect(payment.toState()).toMatchObject({ status: 'PENDING', attempts: 2 });
    });

    it('an approval of a payment voided meanwhile leaves it voided and reports the late authorization', () => {
      const payment = paymentIn('VOIDED');
      expect(payment.settle({ kind: 'approved', reference: 'sim_late' }, 1)).toEqual({ kind: 'authorized-after-void' });
      expect(payment.toState()).toMatchObject({ status: 'VOIDED', providerRef: 'sim_late' });
    });

    it.each<ProviderOutcome>([{ kind: 'declined', reason: 'card_declined' }, { kind: 'failed' }, { kind: 'timed-out' }])(
      'any other outcome on a voided payment changes nothing but the attempts (%j)',
      (outcome) => {
        const payment = paymentIn('VOIDED');
        expect(payment.settle(outcome, 1)).toEqual({ kind: 'already-settled' });
        expect(payment.toState()).toMatchObject({ status: 'VOIDED', declineReason: null, attempts: 2 });
      },
    );

    it.each<PaymentStatus>(['AUTHORIZED', 'CAPTURED', 'DECLINED'])(
      'a %s payment, settled by another request first, keeps its status',
      (status) => {
        const payment = paymentIn(status);
        expect(payment.settle({ kind: 'declined', reason: 'insufficient_funds' }, 1)).toEqual({ kind: 'already-settled' });
        expect(payment.status).toBe(status);
      },
    );
  });

  describe('parking', () => {
    const unavailable = (parkUntil: Date, paymentMethod: typeof SEALED | null = SEALED): ProviderOutcome => ({ kind: 'unavailable', parkUntil, paymentMethod });

    it('parks a pending payment its provider could not be asked about, keeping its sealed payment method', () => {
      const payment = paymentIn('PENDING');
      expect(payment.settle(unavailable(PARKED_UNTIL), 3)).toEqual({ kind: 'parked', until: PARKED_UNTIL });
      expect(payment.toState()).toMatchObject({ status: 'PARKED', attempts: 4, parking: { until: PARKED_UNTIL, paymentMethod: SEALED } });
    });

    it('parks no later than its payment method expires, when it could no longer be used', () => {
      const payment = paymentIn('PENDING');
      expect(payment.settle(unavailable(new Date('2026-01-15T11:00:00.000Z')), 1)).toEqual({
        kind: 'parked',
        until: new Date(SEALED.expiresAt),
      });
    });

    it('declines as a processing error a request that carried its token, which may not be kept', () => {
      const payment = paymentIn('PENDING');
      expect(payment.settle(unavailable(PARKED_UNTIL, null), 1)).toEqual({ kind: 'declined', reason: 'processing_error' });
    });

    it.each<ProviderOutcome>([unavailable(PARKED_UNTIL), { kind: 'timed-out' }])('a parked payment stays parked without an answer (%j)', (outcome) => {
      const payment = paymentIn('PARKED');
      expect(payment.settle(outcome, 1)).toEqual({ kind: 'still-parked' });
      expect(payment.toState()).toMatchObject({ status: 'PARKED', parking: { until: PARKED_UNTIL } });
    });

    it.each<[ProviderOutcome, PaymentStatus, ReturnType<Payment['settle']>]>([
      [{ kind: 'approved', reference: 'sim_resumed' }, 'AUTHORIZED', { kind: 'authorized' }],
      [{ kind: 'declined', reason: 'card_declined' }, 'DECLINED', { kind: 'declined', reason: 'card_declined' }],
      [{ kind: 'failed' }, 'DECLINED', { kind: 'declined', reason: 'processing_error' }],
    ])('a resumed parked payment takes the answer %j and drops its payment method', (outcome, status, settlement) => {
      const payment = paymentIn('PARKED');
      expect(payment.settle(outcome, 1)).toEqual(settlement);
      expect(payment.toState()).toMatchObject({ status, parking: null });
    });

    it('declines a parked payment past its deadline as provider_unavailable, and no other', () => {
      const parked = paymentIn('PARKED');
      expect(parked.expireParking(new Date(PARKED_UNTIL.getTime() - 1))).toEqual({ kind: 'already-settled' });
      expect(parked.expireParking(PARKED_UNTIL)).toEqual({ kind: 'declined', reason: DECLINE_REASON.providerUnavailable });
      expect(parked.toState()).toMatchObject({ status: 'DECLINED', declineReason: 'provider_unavailable', parking: null });
      expect(paymentIn('AUTHORIZED').expireParking(PARKED_UNTIL)).toEqual({ kind: 'already-settled' });
    });

    it('a void of a parked payment wins: voided, and a late approval is released', () => {
      const payment = paymentIn('PARKED');
      expect(payment.void()).toBe('voided');
      expect(payment.toState()).toMatchObject({ status: 'VOIDED', parking: null });
      expect(payment.settle({ kind: 'approved', reference: 'sim_late' }, 1)).toEqual({ kind: 'authorized-after-void' });
      expect(payment.status).toBe('VOIDED');
    });
  });

  describe('void', () => {
    it.each<[PaymentStatus, ReturnType<Payment['void']>, PaymentStatus]>([
      ['PENDING', 'voided', 'VOIDED'],
      ['PARKED', 'voided', 'VOIDED'],
      ['AUTHORIZED', 'voided', 'VOIDED'],
      ['VOIDED', 'already-voided', 'VOIDED'],
      ['DECLINED', 'nothing-held', 'DECLINED'],
      ['CAPTURED', 'already-captured', 'CAPTURED'],
      ['PARTIALLY_REFUNDED', 'already-captured', 'PARTIALLY_REFUNDED'],
      ['REFUNDED', 'already-captured', 'REFUNDED'],
    ])('a %s payment: %s, then %s', (status, result, after) => {
      const payment = paymentIn(status);
      expect(payment.void()).toBe(result);
      expect(payment.status).toBe(after);
    });
  });

  describe('capture', () => {
    it.each<[PaymentStatus, ReturnType<Payment['capture']>, PaymentStatus]>([
      ['AUTHORIZED', 'captured', 'CAPTURED'],
      ['CAPTURED', 'already-captured', 'CAPTURED'],
      ['PARTIALLY_REFUNDED', 'already-captured', 'PARTIALLY_REFUNDED'],
      ['REFUNDED', 'already-captured', 'REFUNDED'],
      ['PENDING', 'not-authorized', 'PENDING'],
      ['DECLINED', 'not-authorized', 'DECLINED'],
      ['VOIDED', 'not-authorized', 'VOIDED'],
    ])('a %s payment: %s, then %s', (status, result, after) => {
      const payment = paymentIn(status);
      expect(payment.capture()).toBe(result);
      expect(payment.status).toBe(after);
    });

    it("keeps the provider's reference of the capture, which refunds name, in place of the authorization's", () => {
      const payment = paymentIn('AUTHORIZED');
      expect(payment.capture('CAPTURE_7')).toBe('captured');
      expect(payment.providerRef).toBe('CAPTURE_7');
    });

    it('keeps the reference of a payment captured before', () => {
      const payment = paymentIn('CAPTURED');
      expect(payment.capture('CAPTURE_8')).toBe('already-captured');
      expect(payment.providerRef).toBe('sim_1');
    });
  });

  describe('checkRefund', () => {
    it.each<[PaymentStatus, number, number, ReturnType<Payment['checkRefund']>]>([
      ['CAPTURED', 1000, 0, { kind: 'allowed' }],
      ['CAPTURED', 1001, 0, { kind: 'exceeds-refundable', refundable: 1000 }],
      ['PARTIALLY_REFUNDED', 400, 600, { kind: 'allowed' }],
      ['PARTIALLY_REFUNDED', 401, 600, { kind: 'exceeds-refundable', refundable: 400 }],
      ['REFUNDED', 1, 1000, { kind: 'exceeds-refundable', refundable: 0 }],
      ['AUTHORIZED', 1, 0, { kind: 'not-captured', status: 'AUTHORIZED' }],
      ['PENDING', 1, 0, { kind: 'not-captured', status: 'PENDING' }],
      ['VOIDED', 1, 0, { kind: 'not-captured', status: 'VOIDED' }],
      ['DECLINED', 1, 0, { kind: 'not-captured', status: 'DECLINED' }],
    ])('a %s payment of 1000, asked for %d with %d held: %j', (status, amount, held, check) => {
      expect(paymentIn(status).checkRefund(amount, held)).toEqual(check);
    });
  });

  describe('recordRefunded', () => {
    it.each<[number, PaymentStatus]>([
      [1, 'PARTIALLY_REFUNDED'],
      [999, 'PARTIALLY_REFUNDED'],
      [1000, 'REFUNDED'],
    ])('a captured payment of 1000 with %d refunded in all is %s', (total, status) => {
      const payment = paymentIn('CAPTURED');
      expect(payment.recordRefunded(total)).toBe(status);
      expect(payment.status).toBe(status);
    });
  });
});
