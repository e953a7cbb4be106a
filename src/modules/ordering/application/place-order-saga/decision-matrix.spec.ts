import { decide, ReplyStatus, SagaDecision } from './decision-matrix';

const WAIT: SagaDecision = { outcome: 'WAIT' };

// Every combination of inventory reply × payment reply × deadline, written out by hand.
const table: [ReplyStatus, ReplyStatus, boolean, SagaDecision][] = [
  ['PENDING', 'PENDING', false, WAIT],
  ['PENDING', 'ACCEPTED', false, WAIT],
  ['PENDING', 'REJECTED', false, WAIT],
  ['ACCEPTED', 'PENDING', false, WAIT],
  ['REJECTED', 'PENDING', false, WAIT],
  ['ACCEPTED', 'ACCEPTED', false, { outcome: 'CONFIRMED', inventory: 'COMMIT', payment: 'CAPTURE' }],
  ['REJECTED', 'REJECTED', false, { outcome: 'REJECTED', inventory: 'NONE', payment: 'NONE' }],
  ['ACCEPTED', 'REJECTED', false, { outcome: 'ROLLED_BACK', inventory: 'RELEASE', payment: 'NONE' }],
  ['REJECTED', 'ACCEPTED', false, { outcome: 'ROLLED_BACK', inventory: 'NONE', payment: 'VOID' }],
  ['PENDING', 'PENDING', true, { outcome: 'REJECTED', inventory: 'RELEASE', payment: 'VOID' }],
  ['PENDING', 'ACCEPTED', true, { outcome: 'ROLLED_BACK', inventory: 'RELEASE', payment: 'VOID' }],
  ['PENDING', 'REJECTED', true, { outcome: 'REJECTED', inventory: 'RELEASE', payment: 'NONE' }],
  ['ACCEPTED', 'PENDING', true, { outcome: 'ROLLED_BACK', inventory: 'RELEASE', payment: 'VOID' }],
  ['REJECTED', 'PENDING', true, { outcome: 'REJECTED', inventory: 'NONE', payment: 'VOID' }],
  ['ACCEPTED', 'ACCEPTED', true, { outcome: 'CONFIRMED', inventory: 'COMMIT', payment: 'CAPTURE' }],
  ['REJECTED', 'REJECTED', true, { outcome: 'REJECTED', inventory: 'NONE', payment: 'NONE' }],
  ['ACCEPTED', 'REJECTED', true, { outcome: 'ROLLED_BACK', inventory: 'RELEASE', payment: 'NONE' }],
  ['REJECTED', 'ACCEPTED', true, { outcome: 'ROLLED_BACK', inventory: 'NONE', payment: 'VOID' }],
];

describe(decide.name, () => {
  it('covers every combination exactly once', () => {
    const keys = new Set(table.map(([i, p, d]) => `${i}/${p}/${d}`));
    expect(keys.size).toBe(3 * 3 * 2);
    expect(table).toHaveLength(3 * 3 * 2);
  });

  it.each(table)('inventory %s, payment %s, deadline passed %s', (inventory, payment, deadlinePassed, expected) => {
    expect(decide(inventory, payment, deadlinePassed)).toEqual(expected);
  });
});
