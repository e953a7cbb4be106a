import { Provider } from '@nestjs/common';
import { ProductStore } from '../application/ports/product-store';
import { MongoCatalog, MongoCatalogCloser } from './mongo-catalog.models';
import { MongoCatalogOutboxRelay } from './mongo-catalog-outbox.relay';
import { MongoProductStore } from './mongo-product.store';

/** The MongoDB write model: its connection (opened at start, closed at shutdown), outbox copier and store. */
export function mongoProductStoreProviders(url: string): Provider[] {
  return [
    { provide: MongoCatalog, useFactory: () => MongoCatalog.connect(url) },
    MongoCatalogCloser,
    MongoCatalogOutboxRelay,
    { provide: ProductStore, useClass: MongoProductStore },
  ];
}
