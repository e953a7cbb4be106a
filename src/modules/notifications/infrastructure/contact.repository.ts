import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { columnsOf, rowsOf } from '../../../../libs/persistence';
import { CustomerContact, DEFAULT_PREFERENCES, NotificationPreferences, UNKNOWN_CUSTOMER } from '../domain/preferences';

export interface Contact {
  customerId: string;
  email: string;
}

/** A customer's preferences as stored, with when they were last changed (never: null). */
export interface StoredPreferences extends NotificationPreferences {
  updatedAt: Date | null;
}

interface ContactRow {
  customer_id: string;
  email: string | null;
  channels: { email: boolean; sms: boolean; push: boolean } | null;
  phone: string | null;
  devices: string[] | null;
  updated_at: Date | null;
}

function toPreferences(row: ContactRow | undefined): StoredPreferences {
  if (row?.channels == null) return { ...DEFAULT_PREFERENCES, updatedAt: null };
  return { channels: row.channels, phone: row.phone, devices: row.devices ?? [], updatedAt: row.updated_at && new Date(row.updated_at) };
}

/** The customers' preferences, each with their e-mail address, whichever of the two is known. */
const CONTACTS = `
  SELECT coalesce(c.customer_id, p.customer_id) AS customer_id, c.email,
         CASE WHEN p.customer_id IS NOT NULL THEN json_build_object('email', p.email, 'sms', p.sms, 'push', p.push) END AS channels,
         p.phone, p.devices, p.updated_at
  FROM (SELECT * FROM notifications.contact WHERE customer_id = ANY($1::text[])) c
  FULL JOIN (SELECT * FROM notifications.preference WHERE customer_id = ANY($1::text[])) p ON p.customer_id = c.customer_id`;

/**
 * How to reach each customer: `notifications.contact`, the e-mail addresses identity announced,
 * and `notifications.preference`, the channels, phone number and devices each customer chose.
 */
@Injectable()
export class ContactRepository {
  constructor(private readonly dataSource: DataSource) {}

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

  /** What is known of these customers, by customer id; one nothing is known of has defaults and no address. */
  async contactsOf(manager: EntityManager, customerIds: readonly string[]): Promise<Map<string, CustomerContact>> {
    const ids = [...new Set(customerIds)];
    const rows: ContactRow[] = await manager.query(CONTACTS, [ids]);
    const known = new Map(rows.map((row) => [row.customer_id, row]));
    return new Map(
      ids.map((id) => {
        const row = known.get(id);
        return [id, row ? { email: row.email, preferences: toPreferences(row) } : UNKNOWN_CUSTOMER];
      }),
    );
  }

  async preferencesOf(customerId: string): Promise<StoredPreferences> {
    const [row] = await this.dataSource.query<ContactRow[]>(CONTACTS, [[customerId]]);
    return toPreferences(row);
  }

  /** Replaces the customer's preferences as a whole; returns them as stored. */
  async savePreferences(
    manager: EntityManager,
    customerId: string,
    { channels, phone, devices }: NotificationPreferences,
  ): Promise<StoredPreferences> {
    const [row] = rowsOf<{ updated_at: Date }>(
      await manager.query(
        `INSERT INTO notifications.preference (customer_id, email, sms, push, phone, devices) VALUES ($1, $2, $3, $4, $5, $6::text[])
         ON CONFLICT (customer_id) DO UPDATE
           SET email = EXCLUDED.email, sms = EXCLUDED.sms, push = EXCLUDED.push, phone = EXCLUDED.phone, devices = EXCLUDED.devices,
               updated_at = now()
         RETURNING updated_at`,
        [customerId, channels.email, channels.sms, channels.push, phone, devices],
      ),
    );
    return { channels, phone, devices, updatedAt: new Date(row.updated_at) };
  }
}
