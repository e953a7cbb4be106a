/**
 * Injection tokens of the Kafka clients. Their classes are loaded only by a process that uses
 * Kafka, so nothing else may name them as a runtime value (use `import type`).
 */
export const KAFKA_BROKER = Symbol('KafkaBroker');
export const KAFKA_CONSUMERS = Symbol('KafkaConsumers');
