export class PaymentAuthorizedV1 {
  constructor(readonly payload: { orderId: string }) {}
}
