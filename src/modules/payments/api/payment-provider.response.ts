import { ApiProperty } from '@nestjs/swagger';
import type { BreakerState } from '../../../../libs/resilience';
import type { PaymentProviderStatus } from '../application/list-payment-providers/list-payment-providers.query';

const BREAKER_STATES: BreakerState[] = ['closed', 'half-open', 'open'];

export class BreakerWindowResponse {
  @ApiProperty({ type: 'integer', example: 10000, description: 'How far back the counts reach' })
  durationMs!: number;

  @ApiProperty({ type: 'integer', example: 12, description: 'Calls made or refused in the window' })
  calls!: number;

  @ApiProperty({ type: 'integer', example: 5 })
  successes!: number;

  @ApiProperty({ type: 'integer', example: 5, description: 'Failed calls, timeouts included: what opens the circuit' })
  failures!: number;

  @ApiProperty({ type: 'integer', example: 0 })
  timeouts!: number;

  @ApiProperty({ type: 'integer', example: 2, description: 'Calls refused at once because the circuit was open' })
  rejected!: number;

  @ApiProperty({ type: 'integer', example: 0, description: 'Calls refused at once because the provider had as many under way as allowed' })
  overCapacity!: number;
}

export class PaymentProviderResponse {
  @ApiProperty({ example: 'card' })
  provider!: string;

  @ApiProperty({ example: 'payments.card', description: 'The circuit breaker around every call to the provider' })
  breaker!: string;

  @ApiProperty({
    enum: BREAKER_STATES,
    description: 'closed: calls go through; open: calls are refused at once; half-open: one probe call decides',
  })
  state!: BreakerState;

  @ApiProperty({ format: 'date-time', description: 'When the breaker entered this state (or the process started)' })
  since!: string;

  @ApiProperty({ type: BreakerWindowResponse, description: "The breaker's rolling window" })
  window!: BreakerWindowResponse;

  @ApiProperty({
    type: 'integer',
    example: 3,
    description: 'Payments parked while the provider is unavailable: resumed by themselves once it takes calls, declined after PAYMENT_PARK_MAX_MS',
  })
  parked!: number;
}

export class PaymentProviderListResponse {
  @ApiProperty({ type: [PaymentProviderResponse] })
  items!: PaymentProviderResponse[];
}

export const PAYMENT_PROVIDER_LIST_EXAMPLE: PaymentProviderListResponse = {
  items: [
    {
      provider: 'card',
      breaker: 'payments.card',
      state: 'open',
      since: '2026-01-15T09:30:00.200Z',
      window: { durationMs: 10000, calls: 12, successes: 5, failures: 5, timeouts: 0, rejected: 2, overCapacity: 0 },
      parked: 3,
    },
  ],
};

export function toPaymentProviderResponse({ provider, breaker, state, since, window, parked }: PaymentProviderStatus): PaymentProviderResponse {
  return { provider, breaker, state, since: since.toISOString(), window: { ...window }, parked };
}
