import { Pool } from 'pg';
import { PipelinedSessions, SessionClient } from './pipelined-sessions';

/**
 * Plan once, and compile nothing: PostgreSQL decides at each execution whether to JIT-compile a
 * plan by its estimated cost, which for a plan made for every value says little about the rows
 * one execution reads. A search without a category was estimated high enough to be compiled at
 * every execution, 25 ms for a statement that ran in under 1 ms (docs/benchmarks.md).
 */
const SETTINGS = '-c plan_cache_mode=force_generic_plan -c jit=off';

/**
 * Pipelined sessions (`size` of them) on the same server with the same settings as `pool`, which
 * plan each prepared statement once, for every value of its parameters
 * (`plan_cache_mode = force_generic_plan`), and run it without JIT compilation. PostgreSQL
 * otherwise plans a prepared statement again at each execution for as long as its custom plans
 * look cheaper than the generic one, which for a long statement can cost more than running it.
 * Only for statements whose best plan does not depend on their values, and not on the
 * application's pool: there the setting would fix the plans of every parameterised statement.
 * `onError` hears of a session's connection that failed.
 */
export function genericPlanSessions(pool: Pool, size: number, onError: (error: Error) => void): PipelinedSessions {
  const { Client: client, ...options } = pool.options;
  const planningOnce = { ...options, options: [options.options, SETTINGS].filter(Boolean).join(' ') };
  return new PipelinedSessions({ ...planningOnce, Client: client as SessionClient | undefined }, size, onError);
}
