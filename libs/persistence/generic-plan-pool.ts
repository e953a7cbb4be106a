import { Pool } from 'pg';

const PLAN_ONCE = '-c plan_cache_mode=force_generic_plan';

/**
 * A pool on the same server with the same settings as `pool`, whose sessions plan each prepared
 * statement once, for every value of its parameters (`plan_cache_mode = force_generic_plan`).
 * PostgreSQL otherwise plans a prepared statement again at each execution for as long as its
 * custom plans look cheaper than the generic one, which for a long statement can cost more than
 * running it. Only for statements whose best plan does not depend on their values, and not on the
 * application's pool: there the setting would fix the plans of every parameterised statement.
 * `onError` hears of a connection that failed while idle in the pool.
 */
export function genericPlanPool(pool: Pool, onError: (error: Error) => void): Pool {
  const { options } = pool;
  const planningOnce = new Pool({ ...options, options: [options.options, PLAN_ONCE].filter(Boolean).join(' ') });
  planningOnce.on('error', onError);
  return planningOnce;
}
