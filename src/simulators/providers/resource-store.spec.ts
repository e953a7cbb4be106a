import { resourceStore } from './resource-store';

describe(resourceStore.name, () => {
  it('keeps the newest entries up to its bound and forgets the least recently used', () => {
    const store = resourceStore<{ n: number }>(2);
    store.set('a', { n: 1 });
    store.set('b', { n: 2 });
    store.get('a');
    store.set('c', { n: 3 });

    expect([...store.keys()].sort()).toEqual(['a', 'c']);
    expect(store.size).toBe(2);
  });
});
