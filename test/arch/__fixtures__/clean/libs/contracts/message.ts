export interface IntegrationMessage<P> {
  readonly payload: P;
}
