import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ProviderEvent, ProviderEventOutcome } from '../application/apply-provider-event/apply-provider-event.command';

/** `payments.webhook_event`: the providers' events received, one row per provider and event id. */
@Injectable()
export class WebhookEventRepository {
  /**
   * Records the event with what it did, in the transaction of that effect; false when it was
   * recorded already (a concurrent delivery of it waits here for the first one's commit).
   */
  async record(manager: EntityManager, event: ProviderEvent, outcome: Exclude<ProviderEventOutcome, 'duplicate'>): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO payments.webhook_event (provider, event_id, type, resource_id, outcome) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (provider, event_id) DO NOTHING RETURNING event_id`,
      [event.provider, event.id, event.type, event.resourceId, outcome],
    );
    return rows.length === 1;
  }
}
