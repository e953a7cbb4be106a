/**
 * The small shop seeded into an empty embedded database (`SEED_DEMO`), so Swagger is usable at
 * once. Catalog seeds the products and inventory their stock; ids are fixed so both agree.
 */
export interface DemoProduct {
  productId: string;
  sku: string;
  name: string;
  description: string;
  category: string;
  price: { amount: number; currency: string };
  popularity: number;
  onHand: number;
}

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  { productId: '0190a000-0000-7000-8000-000000000001', sku: 'TEE-BLK-M', name: 'Black T-shirt', description: 'Organic cotton crew-neck tee, medium', category: 'apparel', price: { amount: 1999, currency: 'EUR' }, popularity: 90, onHand: 100 },
  { productId: '0190a000-0000-7000-8000-000000000002', sku: 'HOOD-GRY-L', name: 'Grey Hoodie', description: 'Heavyweight fleece hoodie, large', category: 'apparel', price: { amount: 4999, currency: 'EUR' }, popularity: 70, onHand: 40 },
  { productId: '0190a000-0000-7000-8000-000000000003', sku: 'MUG-WHT', name: 'White Mug', description: 'Stoneware mug, 350 ml', category: 'kitchen', price: { amount: 1299, currency: 'EUR' }, popularity: 55, onHand: 200 },
  { productId: '0190a000-0000-7000-8000-000000000004', sku: 'BTL-STEEL', name: 'Steel Bottle', description: 'Insulated stainless steel bottle, 750 ml', category: 'kitchen', price: { amount: 2499, currency: 'EUR' }, popularity: 65, onHand: 75 },
  { productId: '0190a000-0000-7000-8000-000000000005', sku: 'NB-A5-DOT', name: 'Dotted Notebook', description: 'A5 dotted notebook, 192 pages', category: 'stationery', price: { amount: 1499, currency: 'EUR' }, popularity: 40, onHand: 150 },
  { productId: '0190a000-0000-7000-8000-000000000006', sku: 'PEN-GEL-BLU', name: 'Blue Gel Pen', description: 'Smooth 0.5 mm gel pen, blue ink', category: 'stationery', price: { amount: 299, currency: 'EUR' }, popularity: 30, onHand: 500 },
  { productId: '0190a000-0000-7000-8000-000000000007', sku: 'CAP-NAVY', name: 'Navy Cap', description: 'Six-panel cotton cap', category: 'apparel', price: { amount: 2199, currency: 'EUR' }, popularity: 25, onHand: 0 },
];
