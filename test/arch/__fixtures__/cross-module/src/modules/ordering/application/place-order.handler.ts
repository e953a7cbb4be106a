import { reserve } from '../../inventory/domain/stock';

export const reserveForOrder = (onHand: number, quantity: number): number => reserve(onHand, quantity);
