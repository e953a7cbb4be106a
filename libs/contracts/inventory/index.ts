export * from './commit-reservation.v1';
export * from './payloads';
export * from './release-reservation.v1';
export * from './reservation-committed.v1';
export * from './reservation-released.v1';
export * from './reserve-stock.v1';
export * from './stock-reservation-rejected.v1';
export * from './stock-reserved.v1';
