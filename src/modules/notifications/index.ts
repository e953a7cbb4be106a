export { NotificationsModule } from './notifications.module';
export { DEFAULT_NOTIFICATIONS_OPTIONS } from './notifications.options';
export type { NotificationsOptions } from './notifications.options';
