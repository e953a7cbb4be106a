import { NewProductDetails, ProductAttributes } from '../../domain/product';

/** Small, fast, seedable PRNG (mulberry32): the same seed gives the same catalog. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

interface CategoryPlan {
  nouns: readonly string[];
  brands: readonly string[];
  /** Price range in euro cents; prices spread log-uniformly over it. */
  price: readonly [number, number];
  features: readonly string[];
  attributes: (random: Random) => ProductAttributes;
}

const COLORS = ['black', 'white', 'silver', 'navy', 'red', 'green', 'grey', 'blue', 'beige', 'pink'];
const SIZES = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];
const ADJECTIVES = [
  'compact', 'classic', 'premium', 'lightweight', 'rugged', 'slim', 'smart', 'wireless', 'ergonomic', 'eco',
  'pro', 'ultra', 'portable', 'essential', 'deluxe', 'everyday', 'vintage', 'modern', 'heavy-duty', 'quiet',
];

const CATEGORIES: Record<string, CategoryPlan> = {
  laptops: {
    nouns: ['laptop', 'notebook', 'ultrabook', 'chromebook'],
    brands: ['Lumio', 'Novatek', 'Aspira', 'Zentro', 'Kestrel'],
    price: [29_900, 349_900],
    features: ['all-day battery', 'backlit keyboard', 'aluminium chassis', 'fast charging', 'matte display'],
    attributes: (r) => ({
      screenInches: pick(r, [13, 14, 15.6, 16, 17.3]),
      ramGb: pick(r, [8, 16, 32, 64]),
      storageGb: pick(r, [256, 512, 1024, 2048]),
      color: pick(r, COLORS),
    }),
  },
  phones: {
    nouns: ['smartphone', 'phone', 'handset'],
    brands: ['Orbit', 'Pixelon', 'Vantage', 'Cirrus'],
    price: [9_900, 169_900],
    features: ['triple camera', 'OLED screen', '5G', 'dual SIM', 'water resistant'],
    attributes: (r) => ({ storageGb: pick(r, [64, 128, 256, 512]), color: pick(r, COLORS), fiveG: r() < 0.7 }),
  },
  headphones: {
    nouns: ['headphones', 'earbuds', 'headset'],
    brands: ['Sonora', 'Bassline', 'Aurel', 'Quietude'],
    price: [1_999, 49_900],
    features: ['noise cancelling', 'transparency mode', '30-hour battery', 'foldable design', 'low latency'],
    attributes: (r) => ({ wireless: r() < 0.8, noiseCancelling: r() < 0.5, color: pick(r, COLORS) }),
  },
  cameras: {
    nouns: ['camera', 'mirrorless camera', 'action camera', 'lens'],
    brands: ['Optika', 'Lumen', 'Fotona'],
    price: [14_900, 399_900],
    features: ['4K video', 'image stabilisation', 'weather sealed', 'fast autofocus', 'fold-out screen'],
    attributes: (r) => ({ megapixels: pick(r, [12, 20, 24, 33, 45, 61]), mount: pick(r, ['E', 'RF', 'Z', 'X']) }),
  },
  monitors: {
    nouns: ['monitor', 'display', 'screen'],
    brands: ['Viewra', 'Clarix', 'Novatek'],
    price: [9_900, 149_900],
    features: ['IPS panel', 'USB-C power delivery', 'height adjustable', 'HDR', 'high refresh rate'],
    attributes: (r) => ({ screenInches: pick(r, [24, 27, 32, 34, 49]), refreshHz: pick(r, [60, 75, 144, 165, 240]) }),
  },
  keyboards: {
    nouns: ['keyboard', 'mechanical keyboard', 'mouse', 'trackpad'],
    brands: ['Keyforge', 'Tactil', 'Zentro'],
    price: [1_499, 24_900],
    features: ['hot-swappable switches', 'RGB lighting', 'silent keys', 'multi-device pairing'],
    attributes: (r) => ({ layout: pick(r, ['US', 'UK', 'DE', 'FR', 'Nordic']), wireless: r() < 0.6 }),
  },
  apparel: {
    nouns: ['t-shirt', 'hoodie', 'jacket', 'sweater', 'shirt', 'jeans', 'dress', 'scarf'],
    brands: ['Northwind', 'Fieldhouse', 'Loom & Co', 'Urbana'],
    price: [999, 29_900],
    features: ['organic cotton', 'recycled fibres', 'relaxed fit', 'made in Portugal', 'machine washable'],
    attributes: (r) => ({ size: pick(r, SIZES), color: pick(r, COLORS), organic: r() < 0.4 }),
  },
  shoes: {
    nouns: ['sneakers', 'running shoes', 'boots', 'sandals', 'loafers'],
    brands: ['Stride', 'Trailmark', 'Pacer'],
    price: [2_999, 24_900],
    features: ['cushioned sole', 'waterproof leather', 'breathable mesh', 'vegan materials'],
    attributes: (r) => ({ euSize: 36 + Math.floor(r() * 12), color: pick(r, COLORS) }),
  },
  kitchen: {
    nouns: ['kettle', 'blender', 'frying pan', 'knife set', 'coffee grinder', 'toaster', 'espresso machine'],
    brands: ['Cucina', 'Brewhaus', 'Ferro'],
    price: [1_499, 89_900],
    features: ['stainless steel', 'dishwasher safe', 'induction ready', 'auto shut-off', 'non-stick coating'],
    attributes: (r) => ({ material: pick(r, ['steel', 'cast iron', 'ceramic', 'glass']), watts: pick(r, [800, 1200, 2000]) }),
  },
  furniture: {
    nouns: ['office chair', 'desk', 'floor lamp', 'bookshelf', 'sofa', 'side table'],
    brands: ['Hjem', 'Oakline', 'Studio Nord'],
    price: [3_999, 199_900],
    features: ['solid oak', 'easy assembly', 'adjustable height', 'stain resistant fabric'],
    attributes: (r) => ({ material: pick(r, ['oak', 'walnut', 'steel', 'fabric']), widthCm: 40 + Math.floor(r() * 200) }),
  },
  books: {
    nouns: ['novel', 'cookbook', 'travel guide', 'biography', 'notebook'],
    brands: ['Penwright', 'Inkwell Press', 'Atlas Books'],
    price: [699, 4_999],
    features: ['hardcover', 'illustrated', 'bestseller', 'signed edition', 'paperback'],
    attributes: (r) => ({ pages: 80 + Math.floor(r() * 800), language: pick(r, ['en', 'de', 'fr', 'es', 'it']) }),
  },
  toys: {
    nouns: ['building set', 'puzzle', 'plush bear', 'board game', 'model train'],
    brands: ['Playwise', 'Tinker', 'Kubo'],
    price: [999, 14_900],
    features: ['ages 6 and up', 'wooden pieces', 'educational', 'family game night'],
    attributes: (r) => ({ minAge: pick(r, [3, 6, 8, 12]), pieces: 10 + Math.floor(r() * 2000) }),
  },
  sports: {
    nouns: ['yoga mat', 'dumbbell set', 'bike helmet', 'tennis racket', 'water bottle', 'backpack'],
    brands: ['Peakform', 'Velo', 'Summit'],
    price: [999, 39_900],
    features: ['non-slip', 'lightweight frame', 'insulated', 'adjustable strap'],
    attributes: (r) => ({ color: pick(r, COLORS), weightGrams: 100 + Math.floor(r() * 5000) }),
  },
  garden: {
    nouns: ['garden hose', 'lawn mower', 'plant pot', 'pruning shears', 'grill'],
    brands: ['Greenleaf', 'Terra', 'Yardworks'],
    price: [999, 59_900],
    features: ['frost proof', 'cordless', 'rust resistant', 'foldable'],
    attributes: (r) => ({ cordless: r() < 0.5, material: pick(r, ['steel', 'terracotta', 'plastic']) }),
  },
  beauty: {
    nouns: ['face cream', 'shampoo', 'perfume', 'hair dryer', 'lipstick'],
    brands: ['Lumina', 'Velvet', 'Botanica'],
    price: [499, 19_900],
    features: ['fragrance free', 'vegan', 'dermatologically tested', 'travel size'],
    attributes: (r) => ({ volumeMl: pick(r, [30, 50, 100, 250, 500]), vegan: r() < 0.5 }),
  },
  bags: {
    nouns: ['tote bag', 'backpack', 'suitcase', 'wallet', 'duffel bag'],
    brands: ['Carryall', 'Voyager', 'Loom & Co'],
    price: [1_499, 34_900],
    features: ['water repellent', 'laptop sleeve', 'full-grain leather', 'lifetime warranty'],
    attributes: (r) => ({ litres: pick(r, [5, 10, 20, 30, 40, 90]), color: pick(r, COLORS) }),
  },
};

const CATEGORY_NAMES = Object.keys(CATEGORIES);

/** Price spread log-uniformly over the range, ending in 99 cents like shop prices do. */
function priceIn(random: Random, [min, max]: readonly [number, number]): number {
  const raw = Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min)));
  return Math.max(99, Math.round(raw / 100) * 100 - 1);
}

/** Realistic, varied products for load tests and demos; deterministic for a given seed. */
export class ProductGenerator {
  private readonly random: Random;
  private produced = 0;

  /** `skuPrefix` keeps the skus of one run apart from those of earlier runs. */
  constructor(
    private readonly skuPrefix: string,
    seed = 1,
  ) {
    this.random = seededRandom(seed);
  }

  next(count: number): NewProductDetails[] {
    return Array.from({ length: count }, () => this.one());
  }

  private one(): NewProductDetails {
    const r = this.random;
    const category = pick(r, CATEGORY_NAMES);
    const plan = CATEGORIES[category];
    const brand = pick(r, plan.brands);
    const noun = pick(r, plan.nouns);
    const adjective = pick(r, ADJECTIVES);
    const model = `${String.fromCharCode(65 + Math.floor(r() * 26))}${1 + Math.floor(r() * 99)}`;
    const [first, second] = [pick(r, plan.features), pick(r, plan.features)];
    const number = this.produced++;
    return {
      sku: `${this.skuPrefix}-${number.toString(36).toUpperCase().padStart(6, '0')}`,
      name: `${brand} ${adjective} ${noun} ${model}`,
      description:
        `The ${brand} ${noun} ${model} is a ${adjective} pick with ${first}` +
        (second === first ? '. ' : ` and ${second}. `) +
        `${pick(r, ['Loved by reviewers', 'A customer favourite', 'New this season', 'Backed by a two-year warranty'])}.`,
      category,
      price: { amount: priceIn(r, plan.price), currency: 'EUR' },
      // Few best-sellers, a long tail of rarely bought products.
      popularity: Math.floor(r() ** 4 * 100_000),
      attributes: { brand, ...plan.attributes(r) },
    };
  }
}
