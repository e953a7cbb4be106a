import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { columnsOf } from '../../../../libs/persistence';

export interface Contact {
  customerId: string;
  email: string;
}

/** `notifications.contact`: the customers' e-mail addresses, as identity announced them. */
@Injectable()
export class ContactRepository {
  /** The last address given for a customer wins, within a batch as across them. */
  async saveMany(manager: EntityManager, contacts: readonly Contact[]): Promise<void> {
    if (contacts.length === 0) return;
    const latest = [...new Map(contacts.map((contact) => [contact.customerId, contact])).values()];
    await manager.query(
      `INSERT INTO notifications.contact (customer_id, email)
       SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (customer_id) DO UPDATE SET email = EXCLUDED.email, updated_at = now()`,
      columnsOf(latest, (contact) => [contact.customerId, contact.email]),
    );
  }

  /** The known addresses of these customers, by customer id. */
  async emailsOf(manager: EntityManager, customerIds: readonly string[]): Promise<Map<string, string>> {
    const rows: { customer_id: string; email: string }[] = await manager.query(
      'SELECT customer_id, email FROM notifications.contact WHERE customer_id = ANY($1::text[])',
      [[...new Set(customerIds)]],
    );
    return new Map(rows.map((row) => [row.customer_id, row.email]));
  }
}
