import { validate, version } from 'uuid';
import { newId } from './ids';

describe('newId', () => {
  it('makes version 7 UUIDs of the RFC 9562 variant', () => {
    for (let i = 0; i < 1000; i++) {
      const id = newId();
      expect(validate(id)).toBe(true);
      expect(version(id)).toBe(7);
      expect('89ab').toContain(id[19]);
    }
  });

  it('makes ids that sort by creation and never repeat, many to a millisecond and past its random pool', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carries the time it was made in its first 48 bits', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    const msecs = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    // An id may run a millisecond ahead, when the counter of its millisecond ran out.
    expect(msecs).toBeGreaterThanOrEqual(before);
    expect(msecs).toBeLessThanOrEqual(after + 1);
  });
});
