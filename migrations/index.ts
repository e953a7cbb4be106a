import { Messaging1767000000000 } from './1767000000000-messaging';
import { Catalog1767000000100 } from './1767000000100-catalog';
import { Inventory1767000000200 } from './1767000000200-inventory';
import { Payments1767000000300 } from './1767000000300-payments';
import { Notifications1767000000400 } from './1767000000400-notifications';
import { Ordering1767000000500 } from './1767000000500-ordering';
import { CatalogSearch1767000000600 } from './1767000000600-catalog-search';
import { OutboxOrigin1767000000700 } from './1767000000700-outbox-origin';
import { CatalogSearchWords1767000000800 } from './1767000000800-catalog-search-words';
import { InventoryProducts1767000000900 } from './1767000000900-inventory-products';
import { OutboxUndeliveredByAggregate1767000001000 } from './1767000001000-outbox-undelivered-by-aggregate';
import { CatalogSearchTerms1767000001100 } from './1767000001100-catalog-search-terms';
import { Identity1767000001200 } from './1767000001200-identity';
import { OrderIdempotencyKeys1767000001300 } from './1767000001300-order-idempotency-keys';
import { PaymentMethodRefs1767000002000 } from './1767000002000-payment-method-refs';
import { OrderSagaCustomers1767000002100 } from './1767000002100-order-saga-customers';
import { PaymentCustomers1767000002200 } from './1767000002200-payment-customers';
import { StaffDeadLetters1767000002300 } from './1767000002300-staff-dead-letters';
import { NotificationContacts1767000002400 } from './1767000002400-notification-contacts';
import { NotificationDeliveryQueue1767000002500 } from './1767000002500-notification-delivery-queue';
import { NotificationResends1767000002600 } from './1767000002600-notification-resends';
import { PaymentRefunds1767000002700 } from './1767000002700-payment-refunds';
import { PaymentWebhookEvents1767000002800 } from './1767000002800-payment-webhook-events';
import { NotificationChannels1767000002900 } from './1767000002900-notification-channels';
import { PaymentProvider1767000003000 } from './1767000003000-payment-provider';
import { ParkedPayments1767000003100 } from './1767000003100-parked-payments';
import { OrderCompletion1767000003200 } from './1767000003200-order-completion';
import { NotificationOrders1767000003300 } from './1767000003300-notification-orders';
import { PaymentProviderReferences1767000003400 } from './1767000003400-payment-provider-references';
import { WalletSignIn1767000003500 } from './1767000003500-wallet-sign-in';
import { Receipts1767000003600 } from './1767000003600-receipts';
import { CryptoTransferRequests1767000003700 } from './1767000003700-crypto-transfer-requests';
import { CatalogSearchWordsFromTerms1767000003800 } from './1767000003800-catalog-search-words-from-terms';
import { OutboxUndeliveredInOrder1767000003900 } from './1767000003900-outbox-undelivered-in-order';
import { OutboxPublishedByAggregate1767000004000 } from './1767000004000-outbox-published-by-aggregate';
import { CatalogSearchTermsPerStatement1767000004100 } from './1767000004100-catalog-search-terms-per-statement';
import { CatalogAttributesCheckWithoutAQuery1767000004200 } from './1767000004200-catalog-attributes-check-without-a-query';
import { CatalogUnindexedProducts1767000004300 } from './1767000004300-catalog-unindexed-products';
import { OutboxUndeliveredCount1767000004400 } from './1767000004400-outbox-undelivered-count';

/** Every migration, in order. One file per context schema (plus `messaging`), never edited once released. */
export const MIGRATIONS = [
  Messaging1767000000000,
  Catalog1767000000100,
  Inventory1767000000200,
  Payments1767000000300,
  Notifications1767000000400,
  Ordering1767000000500,
  CatalogSearch1767000000600,
  OutboxOrigin1767000000700,
  CatalogSearchWords1767000000800,
  InventoryProducts1767000000900,
  OutboxUndeliveredByAggregate1767000001000,
  CatalogSearchTerms1767000001100,
  Identity1767000001200,
  OrderIdempotencyKeys1767000001300,
  PaymentMethodRefs1767000002000,
  OrderSagaCustomers1767000002100,
  PaymentCustomers1767000002200,
  StaffDeadLetters1767000002300,
  NotificationContacts1767000002400,
  NotificationDeliveryQueue1767000002500,
  NotificationResends1767000002600,
  PaymentRefunds1767000002700,
  PaymentWebhookEvents1767000002800,
  NotificationChannels1767000002900,
  PaymentProvider1767000003000,
  ParkedPayments1767000003100,
  OrderCompletion1767000003200,
  NotificationOrders1767000003300,
  PaymentProviderReferences1767000003400,
  WalletSignIn1767000003500,
  Receipts1767000003600,
  CryptoTransferRequests1767000003700,
  CatalogSearchWordsFromTerms1767000003800,
  OutboxUndeliveredInOrder1767000003900,
  OutboxPublishedByAggregate1767000004000,
  CatalogSearchTermsPerStatement1767000004100,
  CatalogAttributesCheckWithoutAQuery1767000004200,
  CatalogUnindexedProducts1767000004300,
  OutboxUndeliveredCount1767000004400,
];
