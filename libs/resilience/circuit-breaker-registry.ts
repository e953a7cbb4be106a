import { Global, Injectable, Module } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type CircuitBreaker from 'opossum';
import { Counter, Gauge } from 'prom-client';
import { ROLLING_WINDOW_MS } from './circuit-breaker';

export const CIRCUIT_BREAKER_STATE = 'circuit_breaker_state';
export const CIRCUIT_BREAKER_TRANSITIONS = 'circuit_breaker_transitions_total';

export type BreakerState = 'closed' | 'half-open' | 'open';

/** The gauge's value of each state: growing with how much of the traffic the breaker refuses. */
export const BREAKER_STATE_VALUES: Readonly<Record<BreakerState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/** Who a breaker protects: the context that owns it and the remote party it calls. */
export interface BreakerLabels {
  owner: string;
  provider: string;
}

/** A breaker's state, since when it holds, and what its rolling window counted. */
export interface BreakerStatus extends BreakerLabels {
  breaker: string;
  state: BreakerState;
  since: Date;
  window: {
    /** How far back the counts reach. */
    durationMs: number;
    /** Calls made or refused in the window. */
    calls: number;
    successes: number;
    /** Calls that failed (timeouts included), the ones that open the circuit. */
    failures: number;
    timeouts: number;
    /** Calls refused at once because the circuit was open. */
    rejected: number;
    /** Calls refused at once because as many were under way as the breaker allows. */
    overCapacity: number;
  };
}

interface Tracked {
  breaker: CircuitBreaker;
  labels: BreakerLabels;
  state: BreakerState;
  since: Date;
}

function stateOf(breaker: CircuitBreaker): BreakerState {
  return breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed';
}

/**
 * The process's circuit breakers, so operators see them: each one's state as the gauge
 * `circuit_breaker_state{breaker, provider}` (0 closed, 1 half-open, 2 open), set on opossum's
 * state events, and as statuses for readiness and admin endpoints.
 */
@Injectable()
export class CircuitBreakerRegistry {
  private readonly breakers = new Map<string, Tracked>();

  constructor(
    @InjectMetric(CIRCUIT_BREAKER_STATE) private readonly gauge: Gauge<'breaker' | 'provider'>,
    @InjectMetric(CIRCUIT_BREAKER_TRANSITIONS) private readonly transitions: Counter<'breaker' | 'provider' | 'state'>,
  ) {}

  track(breaker: CircuitBreaker, labels: BreakerLabels): void {
    const tracked: Tracked = { breaker, labels, state: stateOf(breaker), since: new Date() };
    this.breakers.set(breaker.name, tracked);
    const enter = (state: BreakerState): void => {
      tracked.state = state;
      tracked.since = new Date();
      this.gauge.set({ breaker: breaker.name, provider: labels.provider }, BREAKER_STATE_VALUES[state]);
    };
    const transition = (state: BreakerState): void => {
      enter(state);
      this.transitions.inc({ breaker: breaker.name, provider: labels.provider, state });
    };
    enter(tracked.state);
    breaker.on('open', () => transition('open'));
    breaker.on('halfOpen', () => transition('half-open'));
    breaker.on('close', () => transition('closed'));
    breaker.on('shutdown', () => this.breakers.delete(breaker.name));
  }

  /** Every breaker's status, or those of one owner. */
  statuses(owner?: string): BreakerStatus[] {
    return [...this.breakers.values()]
      .filter(({ labels }) => owner === undefined || labels.owner === owner)
      .map(({ breaker, labels, state, since }) => {
        const stats = breaker.stats;
        return {
          breaker: breaker.name,
          ...labels,
          state,
          since,
          window: {
            durationMs: ROLLING_WINDOW_MS,
            calls: stats.fires,
            successes: stats.successes,
            failures: stats.failures,
            timeouts: stats.timeouts,
            rejected: stats.rejects,
            overCapacity: stats.semaphoreRejections,
          },
        };
      });
  }
}

/** One registry for the whole process, whichever modules import this one. */
@Global()
@Module({
  providers: [
    CircuitBreakerRegistry,
    makeGaugeProvider({
      name: CIRCUIT_BREAKER_STATE,
      help: 'State of each circuit breaker: 0 closed, 1 half-open (one probe call), 2 open (calls refused at once)',
      labelNames: ['breaker', 'provider'],
    }),
    makeCounterProvider({
      name: CIRCUIT_BREAKER_TRANSITIONS,
      // Each half-open period lets exactly one probe call through, so this also counts the probes.
      help: 'Times each circuit breaker entered a state (open, half-open, closed)',
      labelNames: ['breaker', 'provider', 'state'],
    }),
  ],
  exports: [CircuitBreakerRegistry],
})
export class CircuitBreakerModule {}
