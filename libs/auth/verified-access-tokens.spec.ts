import type { Principal } from './principal';
import { accessTokenOf, VerifiedAccessTokens } from './verified-access-tokens';

const customer: Principal = { id: 'c-1', kind: 'user', roles: ['customer'], permissions: new Set(['orders:place']) };

describe('VerifiedAccessTokens', () => {
  afterEach(() => jest.useRealTimers());

  it('knows a remembered token until its exp, and then no longer', () => {
    jest.useFakeTimers({ now: 1_000_000_000_000 });
    const tokens = new VerifiedAccessTokens();
    tokens.remember('header.payload.signature', customer, 1_000_000_000 + 60);

    jest.advanceTimersByTime(59_000);
    expect(tokens.principalOf('header.payload.signature')).toBe(customer);
    jest.advanceTimersByTime(1_001);
    expect(tokens.principalOf('header.payload.signature')).toBeUndefined();
  });

  it('knows only the exact string that was verified', () => {
    const tokens = new VerifiedAccessTokens();
    tokens.remember('header.payload.signature', customer, Date.now() / 1000 + 60);

    expect(tokens.principalOf('header.payload.signaturX')).toBeUndefined();
    expect(tokens.principalOf('header.payload.signature ')).toBeUndefined();
  });

  it('does not remember a token that has already expired', () => {
    const tokens = new VerifiedAccessTokens();
    tokens.remember('header.payload.signature', customer, Date.now() / 1000 - 1);

    expect(tokens.principalOf('header.payload.signature')).toBeUndefined();
  });

  it('reads the token of a Bearer header as passport-jwt does, and nothing from other schemes', () => {
    expect(accessTokenOf({ headers: { authorization: 'Bearer a.b.c' } })).toBe('a.b.c');
    expect(accessTokenOf({ headers: { authorization: 'bearer a.b.c' } })).toBe('a.b.c');
    expect(accessTokenOf({ headers: { authorization: 'Basic dXNlcjpwYXNz' } })).toBeUndefined();
    expect(accessTokenOf({ headers: {} })).toBeUndefined();
  });
});
