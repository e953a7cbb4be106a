import { MAX_TOKEN_ID, orderIdOf, parseTokenId, tokenIdOf } from './token-id';

describe('token ids', () => {
  it("are the order id's 128 bits, and lead back to the order id", () => {
    const orderId = '01a20000-0000-7000-8000-0000000000a1';
    expect(tokenIdOf(orderId)).toBe(2170380086868086862995200902732710049n);
    expect(orderIdOf(2170380086868086862995200902732710049n)).toBe(orderId);
    expect(tokenIdOf('FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF')).toBe(MAX_TOKEN_ID);
    expect(orderIdOf(0n)).toBe('00000000-0000-0000-0000-000000000000');
  });

  it.each([
    ['0', 0n],
    ['2170380086868086862995200902732710049', 2170380086868086862995200902732710049n],
    ['340282366920938463463374607431768211455', MAX_TOKEN_ID],
  ])('reads %s', (text, value) => {
    expect(parseTokenId(text)).toBe(value);
  });

  it.each([['340282366920938463463374607431768211456'], ['-1'], ['1e3'], ['0x10'], [''], [' 1'], ['1'.repeat(40)]])('refuses %j', (text) => {
    expect(parseTokenId(text)).toBeUndefined();
  });
});
