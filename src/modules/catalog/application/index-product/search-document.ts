import { SearchDocument } from '../ports/product-search-index';
import { ProductView } from '../product.view';

export function searchDocumentOf(product: ProductView): SearchDocument {
  return {
    productId: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    category: product.category,
    price: { amount: product.price.amount, currency: product.price.currency },
    popularity: product.popularity,
    attributes: { ...product.attributes },
    createdAt: product.createdAt,
    version: product.version,
  };
}
