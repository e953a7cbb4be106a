import { StockRow } from '../infrastructure/stock.row';

export const onHandOf = (row: StockRow): number => row.on_hand;
