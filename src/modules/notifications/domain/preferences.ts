import { NOTIFICATION_CHANNELS, NotificationChannel } from './notification';

/** Which channels a customer wants to be told on, and their addresses there besides e-mail. */
export interface NotificationPreferences {
  channels: Readonly<Record<NotificationChannel, boolean>>;
  /** E.164, as `+4915112345678`; null when none was given. */
  phone: string | null;
  /** Push device tokens of the customer's app installations. */
  devices: readonly string[];
}

/** What a customer who never chose gets: e-mail only, as before SMS and push existed; the others are opt-in. */
export const DEFAULT_PREFERENCES: NotificationPreferences = {
  channels: { email: true, sms: false, push: false },
  phone: null,
  devices: [],
};

/** Everything notifications knows of how to reach a customer. */
export interface CustomerContact {
  /** As identity announced it; null until its event arrived. */
  email: string | null;
  preferences: NotificationPreferences;
}

export const UNKNOWN_CUSTOMER: CustomerContact = { email: null, preferences: DEFAULT_PREFERENCES };

/** The channels the customer wants, in a stable order. */
export function chosenChannels({ channels }: NotificationPreferences): NotificationChannel[] {
  return NOTIFICATION_CHANNELS.filter((channel) => channels[channel]);
}

/** Device tokens never hold a space, so one separates them in a push notification's recipient. */
const DEVICE_SEPARATOR = ' ';

/** Where a notice on `channel` goes for this customer; null when they have no address there. */
export function recipientOn(channel: NotificationChannel, { email, preferences }: CustomerContact): string | null {
  switch (channel) {
    case 'email':
      return email;
    case 'sms':
      return preferences.phone;
    case 'push':
      return preferences.devices.length === 0 ? null : preferences.devices.join(DEVICE_SEPARATOR);
  }
}

/** The device tokens of a push notification's recipient. */
export function devicesOf(recipient: string): string[] {
  return recipient.split(DEVICE_SEPARATOR);
}
