export { DEFAULT_PORT, environmentVariableOf, optionsFromCommandLine } from './command-line';
export { startProviderSimulator } from './provider-simulator';
export type { ProviderSimulatorOptions, RunningProviderSimulator } from './provider-simulator';
export type { Behaviour } from './fault-injection';
export type { WebhookEndpoint } from './webhooks';
export { PROVIDER_NAMES, PAYMENT_PROVIDERS } from './provider-names';
export type { ProviderName, PaymentProviderName } from './provider-names';
export type { SimulatorThreadMessage } from './simulator-thread';
