/**
 * kafkajs' producer as patched (scripts/patches/kafkajs+2.2.4.patch, docs/decisions/0045): a send
 * spanning two partition leaders, where one leader refuses with NOT_LEADER_FOR_PARTITION and the
 * partition's leadership moves to the broker that has just answered for the other partition. The
 * retry must still send that partition. kafkajs 2.2.4 kept its progress per broker and skipped
 * it: the send resolved and the partition's records were never written.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' internals are CommonJS modules without types */
const createSendMessages = require('kafkajs/src/producer/sendMessages') as (deps: object) => (request: object) => Promise<unknown[]>;
const createRetry = require('kafkajs/src/retry') as (options: object) => (fn: unknown) => Promise<unknown>;
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode: (code: number) => Error };
/* eslint-enable @typescript-eslint/no-require-imports */

const NOT_LEADER_FOR_PARTITION = 6;
const TOPIC = 'inventory.commands';

interface ProduceRequest {
  topicData: { topic: string; partitions: { partition: number; messages: { key: string }[] }[] }[];
}

/** Two brokers, partition 0 led by broker 1 and partition 1 by broker 2 until broker 2 gives it up. */
function cluster() {
  const leaders: Record<number, number> = { 0: 1, 1: 2 };
  const written: { broker: number; partition: number; keys: string[] }[] = [];
  const broker = (nodeId: number) => ({
    nodeId,
    produce: ({ topicData }: ProduceRequest) => {
      const partitions = topicData.flatMap((t) => t.partitions);
      if (nodeId === 2 && leaders[1] === 2) {
        // Broker 2 lost the leadership of partition 1 to broker 1: the client learns it from this error.
        leaders[1] = 1;
        return Promise.reject(createErrorFromCode(NOT_LEADER_FOR_PARTITION));
      }
      for (const { partition, messages } of partitions) written.push({ broker: nodeId, partition, keys: messages.map((m) => m.key) });
      return Promise.resolve({
        topics: [{ topicName: TOPIC, partitions: partitions.map(({ partition }) => ({ partition, errorCode: 0, baseOffset: '0' })) }],
      });
    },
  });
  const brokers = new Map([1, 2].map((id) => [id, broker(id)]));
  return {
    written,
    cluster: {
      targetTopics: new Set([TOPIC]),
      addMultipleTargetTopics: () => Promise.resolve(),
      refreshMetadataIfNecessary: () => Promise.resolve(),
      refreshMetadata: () => Promise.resolve(),
      isConnected: () => true,
      removeBroker: () => undefined,
      findTopicPartitionMetadata: () => [0, 1].map((partitionId) => ({ partitionId, leader: leaders[partitionId] })),
      findLeaderForPartitions: (_topic: string, partitions: string[]) =>
        partitions.reduce<Record<number, number[]>>((result, id) => {
          const leader = leaders[Number(id)];
          return { ...result, [leader]: [...(result[leader] ?? []), Number(id)] };
        }, {}),
      findBroker: ({ nodeId }: { nodeId: string }) => Promise.resolve(brokers.get(Number(nodeId))),
    },
  };
}

const eosManager = {
  isTransactional: () => false,
  acquireBrokerLock: () => Promise.resolve(),
  releaseBrokerLock: () => Promise.resolve(),
  getSequence: () => 0,
  updateSequence: () => undefined,
  getProducerId: () => -1,
  getProducerEpoch: () => 0,
};
const logger = { debug: () => undefined, error: () => undefined, info: () => undefined, warn: () => undefined };

describe("kafkajs' send retry after a partition's leader moved", () => {
  it('sends the partition to its new leader even when that broker already answered for another partition', async () => {
    const { cluster: stub, written } = cluster();
    const send = createSendMessages({
      logger,
      cluster: stub,
      eosManager,
      retrier: createRetry({ retries: 3, initialRetryTime: 1, maxRetryTime: 5 }),
      // Each record goes to the partition its key names.
      partitioner: ({ message }: { message: { key: string } }) => Number(message.key.slice(-1)),
    });

    const answered = await send({
      acks: -1,
      timeout: 1000,
      topicMessages: [{ topic: TOPIC, messages: [{ key: 'order-a-0' }, { key: 'order-b-1' }] }],
    });

    expect(written.flatMap((w) => w.keys).sort()).toEqual(['order-a-0', 'order-b-1']);
    expect(written.find((w) => w.partition === 1)).toEqual({ broker: 1, partition: 1, keys: ['order-b-1'] });
    expect(answered).toHaveLength(2);
  });
});
