import { ContextName, MessageClass, MessageDefinition } from '../contracts/message';
import { contractKey } from '../contracts/registry';
import { inboundRoutesIn } from './inbound-routes';

/** The Kafka topic of a message: one per owning context and kind, e.g. `inventory.commands`. */
export function topicOf(definition: Pick<MessageDefinition, 'context' | 'kind'>): string {
  return `${definition.context}.${definition.kind === 'command' ? 'commands' : 'events'}`;
}

/** Where a context's consumers put the messages no retry could handle. */
export function deadLetterTopicOf(context: ContextName): string {
  return `${context}.dlq`;
}

/**
 * Which context consumes which message, for every context whether this process hosts it or
 * not. Read from the inbound routes among the contexts' providers, so routing follows
 * the code and no module declares its transport.
 */
export class MessageTopology {
  private readonly consumers = new Map<string, { definition: MessageDefinition; contexts: Set<ContextName> }>();

  static fromProviders(providers: readonly unknown[]): MessageTopology {
    const topology = new MessageTopology();
    for (const { context, routes } of inboundRoutesIn(providers)) {
      for (const route of routes) topology.add(context, route.message);
    }
    return topology;
  }

  add(context: ContextName, message: MessageClass): void {
    const { definition } = message;
    const key = contractKey(definition.type, definition.version);
    const entry = this.consumers.get(key) ?? { definition, contexts: new Set<ContextName>() };
    entry.contexts.add(context);
    this.consumers.set(key, entry);
  }

  consumersOf(type: string, version: number): ContextName[] {
    return [...(this.consumers.get(contractKey(type, version))?.contexts ?? [])];
  }

  /** The topics a context's consumer group reads: every topic carrying a message it handles. */
  topicsReadBy(context: ContextName): string[] {
    const topics = [...this.consumers.values()]
      .filter((entry) => entry.contexts.has(context))
      .map((entry) => topicOf(entry.definition));
    return [...new Set(topics)].sort();
  }

  /** Every topic a message of this topology can travel on. */
  allTopics(): string[] {
    return [...new Set([...this.consumers.values()].map((entry) => topicOf(entry.definition)))].sort();
  }
}
