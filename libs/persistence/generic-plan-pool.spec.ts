import { Pool } from 'pg';
import { genericPlanPool } from './generic-plan-pool';

const serverUrl = process.env.TEST_DATABASE_URL;
const describeOnPostgres = serverUrl ? describe : describe.skip;

const STATEMENT = { name: 'generic_plan_pool_spec', text: 'SELECT count(*)::int AS n FROM pg_class WHERE relkind = $1', values: ['r'] };

/** How the one session of a pool of one planned the statement, after three executions. */
async function plansOf(pool: Pool): Promise<{ database: string; generic_plans: string; custom_plans: string; n: number }> {
  const client = await pool.connect();
  try {
    let n = 0;
    for (let i = 0; i < 3; i++) n = (await client.query<{ n: number }>(STATEMENT)).rows[0].n;
    const { rows } = await client.query<{ database: string; generic_plans: string; custom_plans: string }>(
      'SELECT current_database() AS database, generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1',
      [STATEMENT.name],
    );
    return { ...rows[0], n };
  } finally {
    client.release();
  }
}

describeOnPostgres(genericPlanPool.name, () => {
  it('plans a prepared statement once, on the database of the pool it copies, which plans it at each execution', async () => {
    const pool = new Pool({ connectionString: serverUrl, max: 1 });
    const errors: Error[] = [];
    const planningOnce = genericPlanPool(pool, (error) => errors.push(error));
    try {
      const copied = await plansOf(planningOnce);
      const original = await plansOf(pool);
      expect(copied).toEqual({ database: original.database, generic_plans: '3', custom_plans: '0', n: original.n });
      expect(original).toMatchObject({ generic_plans: '0', custom_plans: '3' });
      expect(errors).toEqual([]);
    } finally {
      await planningOnce.end();
      await pool.end();
    }
  });
});
