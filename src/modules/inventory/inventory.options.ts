export const INVENTORY_OPTIONS = Symbol('INVENTORY_OPTIONS');

export interface InventoryOptions {
  /** Give every demo product its stock when the stock table is empty at start-up. */
  seedDemo: boolean;
}
