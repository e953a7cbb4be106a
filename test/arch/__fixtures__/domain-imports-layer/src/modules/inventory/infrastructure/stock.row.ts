export interface StockRow {
  product_id: string;
  on_hand: number;
}
