import { Money } from '../domain/product';

/** A product as the catalog shows it. */
export interface ProductView {
  id: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price: Money;
  popularity: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}
