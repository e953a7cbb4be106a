import { CONTRACTS } from '../../libs/contracts';

/**
 * The published language, written out: changing a wire identity must be a deliberate edit here,
 * because consumers in other processes decode by `type@version`.
 */
const PUBLISHED = [
  'catalog.product.archived@1 event catalog',
  'catalog.product.created@1 event catalog',
  'catalog.product.updated@1 event catalog',
  'identity.user.registered@1 event identity',
  'inventory.reservation.commit@1 command inventory',
  'inventory.reservation.committed@1 event inventory',
  'inventory.reservation.release@1 command inventory',
  'inventory.reservation.released@1 event inventory',
  'inventory.stock.reservation-rejected@1 event inventory',
  'inventory.stock.reserve@1 command inventory',
  'inventory.stock.reserved@1 event inventory',
  'ordering.order.cancelled@1 event ordering',
  'ordering.order.completed@1 event ordering',
  'ordering.order.confirmed@1 event ordering',
  'ordering.order.rejected@1 event ordering',
  'payments.payment.authorize@1 command payments',
  'payments.payment.authorize@2 command payments',
  'payments.payment.authorized@1 event payments',
  'payments.payment.capture-failed@1 event payments',
  'payments.payment.capture@1 command payments',
  'payments.payment.captured@1 event payments',
  'payments.payment.declined@1 event payments',
  'payments.payment.parked@1 event payments',
  'payments.payment.refunded@1 event payments',
  'payments.payment.transfer-received@1 event payments',
  'payments.payment.transfer-requested@1 event payments',
  'payments.payment.void@1 command payments',
  'payments.payment.voided@1 event payments',
  'receipts.receipt.mint@1 command receipts',
];

describe('Published contracts', () => {
  it('keep their wire identities', () => {
    const actual = [...CONTRACTS.values()]
      .map(({ definition: d }) => `${d.type}@${d.version} ${d.kind} ${d.context}`)
      .sort();
    expect(actual).toEqual(PUBLISHED);
  });

  it('name commands as imperatives and events in the past tense', () => {
    for (const { name, definition } of CONTRACTS.values()) {
      expect(name).toMatch(/V\d+$/);
      if (definition.kind === 'event') expect(definition.type).toMatch(/ed$/);
    }
  });
});
