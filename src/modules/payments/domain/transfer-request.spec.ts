import { tokenAmountOf, TransferRequest } from './transfer-request';

const TOKEN = '0x5fbdb2315678afecb367f032d93f642f64180aa3';
const EXPIRES_AT = new Date('2026-12-03T10:00:00Z');
const BEFORE = new Date('2026-12-03T09:59:59Z');
const AFTER = new Date('2026-12-03T10:00:01Z');
const PAYER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

function request(amount = 1_000_000n): TransferRequest {
  return TransferRequest.open({
    paymentId: 'p1',
    orderId: 'o1',
    chainId: 31337,
    token: 'EURC',
    tokenAddress: TOKEN,
    receivingAddress: '0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc',
    amount,
    expiresAt: EXPIRES_AT,
  });
}

const transfer = (amount: bigint, blockTime = BEFORE, tokenAddress = TOKEN) => ({ tokenAddress, from: PAYER, amount, blockTime });

describe('TransferRequest', () => {
  it('is paid by one transfer of the whole amount, and names its payer in lower case', () => {
    const paid = request();
    expect(paid.count(transfer(1_000_000n))).toEqual({ effect: 'COUNTED', paid: true });
    expect(paid.toState()).toMatchObject({ status: 'PAID', received: 1_000_000n, payer: PAYER.toLowerCase() });
  });

  it('adds transfers up, and keeps an overpayment as received', () => {
    const paid = request();
    expect(paid.count(transfer(400_000n))).toEqual({ effect: 'COUNTED', paid: false });
    expect(paid.count(transfer(700_000n))).toEqual({ effect: 'COUNTED', paid: true });
    expect(paid.toState().received).toBe(1_100_000n);
  });

  it('counts nothing in a block after the expiry, of another token, or once closed', () => {
    const late = request();
    expect(late.count(transfer(1_000_000n, AFTER))).toEqual({ effect: 'LATE', paid: false });
    expect(late.count(transfer(1_000_000n, BEFORE, '0x0000000000000000000000000000000000000001'))).toEqual({ effect: 'WRONG_TOKEN', paid: false });
    expect(late.toState()).toMatchObject({ status: 'OPEN', received: 0n });
    late.count(transfer(1_000_000n));
    expect(late.count(transfer(5n))).toEqual({ effect: 'AFTER_CLOSE', paid: false });
    expect(late.toState().received).toBe(1_000_000n);
  });

  it('expires only once the chain is past the expiry, saying whether anything came', () => {
    const unpaid = request();
    expect(unpaid.expire(EXPIRES_AT)).toBeNull();
    expect(unpaid.expire(AFTER)).toBe('transfer_not_received');
    expect(unpaid.status).toBe('EXPIRED');
    const underpaid = request();
    underpaid.count(transfer(999_999n));
    expect(underpaid.expire(AFTER)).toBe('transfer_underpaid');
    const paid = request();
    paid.count(transfer(1_000_000n));
    expect(paid.expire(AFTER)).toBeNull();
    expect(paid.status).toBe('PAID');
  });

  it('is cancelled only while open', () => {
    const open = request();
    expect(open.cancel()).toBe(true);
    expect(open.count(transfer(1_000_000n))).toEqual({ effect: 'AFTER_CLOSE', paid: false });
    expect(open.cancel()).toBe(false);
  });

  it('asks for 10^(decimals - 2) smallest units per cent', () => {
    expect(tokenAmountOf({ amount: 5997, currency: 'EUR' }, 6)).toBe(59_970_000n);
    expect(tokenAmountOf({ amount: 1, currency: 'USD' }, 18)).toBe(10_000_000_000_000_000n);
    expect(() => tokenAmountOf({ amount: 1, currency: 'USD' }, 1)).toThrow('cannot carry cents');
  });
});
