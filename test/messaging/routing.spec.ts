import { ProductArchivedV1 } from '../../libs/contracts/catalog';
import { ReserveStockV1, StockReservedV1 } from '../../libs/contracts/inventory';
import { ContextName, IntegrationMessage } from '../../libs/contracts/message';
import { OrderConfirmedV1 } from '../../libs/contracts/ordering';
import { CONTRACTS } from '../../libs/contracts/registry';
import { createEnvelope, Envelope, MessageTopology } from '../../libs/messaging';
import { KafkaBroker } from '../../libs/messaging/kafka-broker';
import { InboundDispatcher } from '../../libs/messaging/inbound-dispatcher';
import { MessageDecoder } from '../../libs/messaging/message-decoder';
import { MessagingOptions } from '../../libs/messaging/messaging.options';
import { RoutingTransport } from '../../libs/messaging/routing.transport';
import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/app-config';

const topology = AppModule.topology(loadConfig({}));
const EDGE: ContextName[] = ['ordering', 'catalog', 'notifications', 'receipts'];
const ORDER = '01a20000-0000-7000-8000-000000000001';
const PRODUCT = '01a20000-0000-7000-8000-000000000002';
const reserve = (lines = [{ productId: PRODUCT, quantity: 1 }]) => new ReserveStockV1({ orderId: ORDER, lines });

function envelopeOf(message: IntegrationMessage): Envelope {
  return createEnvelope(message, ORDER, { correlationId: 'c', causationId: null, traceparent: null });
}

/** Records where the transport sent a message: to this process' consumers, or to Kafka. */
function routing(hosted: ContextName[], withKafka = true) {
  const local: string[] = [];
  const kafka: string[] = [];
  const dispatcher = {
    dispatchBatch: (envelopes: Envelope[]) => Promise.resolve((local.push(...envelopes.map((e) => e.type)), new Map())),
  } as unknown as InboundDispatcher;
  const broker = {
    publishMany: (envelopes: Envelope[]) => Promise.resolve((kafka.push(...envelopes.map((e) => e.type)), new Map())),
  } as unknown as KafkaBroker;
  const options = { hosted, topology } as unknown as MessagingOptions;
  const routing = new RoutingTransport(dispatcher, new MessageDecoder(CONTRACTS), options, withKafka ? broker : undefined);
  // One envelope at a time: its failure, if any, rejects.
  const transport = {
    publish: async (envelope: Envelope) => {
      const failed = await routing.publishBatch([envelope]);
      if (failed.has(envelope)) throw failed.get(envelope);
    },
  };
  return { transport, local, kafka };
}

describe('Message topology read from the contexts', () => {
  it('knows which topics each context consumes', () => {
    expect(topology.topicsReadBy('inventory')).toEqual(['catalog.events', 'inventory.commands']);
    expect(topology.topicsReadBy('payments')).toEqual(['payments.commands']);
    expect(topology.topicsReadBy('ordering')).toEqual(['catalog.events', 'inventory.events', 'payments.events']);
    expect(topology.topicsReadBy('notifications')).toEqual(['catalog.events', 'identity.events', 'ordering.events', 'payments.events']);
    expect(topology.topicsReadBy('catalog')).toEqual(['catalog.events']);
    expect(topology.topicsReadBy('receipts')).toEqual(['ordering.events', 'payments.events', 'receipts.commands']);
  });

  it('knows every consumer of a message, hosted or not', () => {
    const { type, version } = ProductArchivedV1.definition;
    expect(topology.consumersOf(type, version).sort()).toEqual(['catalog', 'ordering']);
    expect(MessageTopology.fromProviders([class Plain {}, 'a token', { provide: 'x', useValue: 1 }]).allTopics()).toEqual([]);
  });
});

describe(RoutingTransport.name, () => {
  it('sends a command for a context hosted elsewhere to Kafka', async () => {
    const { transport, kafka } = routing(EDGE);
    await transport.publish(envelopeOf(reserve()));
    expect(kafka).toEqual(['inventory.stock.reserve']);
  });

  it('sends no malformed message to Kafka, leaving it to local delivery to dead-letter', async () => {
    const { transport, local, kafka } = routing(EDGE);
    await transport.publish(envelopeOf(reserve([])));
    expect(local).toEqual(['inventory.stock.reserve']);
    expect(kafka).toEqual([]);
  });

  it('keeps a message whose consumers are all hosted here in-process', async () => {
    const { transport, local, kafka } = routing(EDGE);
    await transport.publish(envelopeOf(new ProductArchivedV1({ productId: PRODUCT, version: 2 })));
    await transport.publish(envelopeOf(new OrderConfirmedV1({ orderId: ORDER, customerId: 'c', total: { amount: 1, currency: 'EUR' } })));
    expect(local).toEqual(['catalog.product.archived', 'ordering.order.confirmed']);
    expect(kafka).toEqual([]);
  });

  it('sends an event to Kafka when its consumer runs in another process', async () => {
    const { transport, local, kafka } = routing(['inventory']);
    await transport.publish(envelopeOf(new StockReservedV1({ orderId: ORDER })));
    expect(local).toEqual(['inventory.stock.reserved']);
    expect(kafka).toEqual(['inventory.stock.reserved']);
  });

  it('never uses Kafka when every context is hosted', async () => {
    const { transport, kafka } = routing(['catalog', 'inventory', 'ordering', 'payments', 'notifications']);
    await transport.publish(envelopeOf(reserve()));
    expect(kafka).toEqual([]);
  });

  it('fails the delivery (to be retried) when a consumer is elsewhere and there is no Kafka', async () => {
    const { transport } = routing(EDGE, false);
    await expect(transport.publish(envelopeOf(reserve()))).rejects.toThrow(
      'hosted elsewhere, but KAFKA_BROKERS is not set',
    );
  });
});
