import { Pool } from 'pg';
import { genericPlanSessions } from './generic-plan-sessions';
import { PipelinedSessions } from './pipelined-sessions';

const serverUrl = process.env.TEST_DATABASE_URL;
const describeOnPostgres = serverUrl ? describe : describe.skip;

const STATEMENT = { name: 'generic_plan_sessions_spec', text: 'SELECT count(*)::int AS n FROM pg_class WHERE relkind = $1', values: ['r'] };
const PLANS = {
  text: 'SELECT current_database() AS database, generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1',
  values: [STATEMENT.name],
};

interface Plans {
  database: string;
  generic_plans: string;
  custom_plans: string;
  n: number;
}

/** How the one session planned the statement, after three executions. */
async function plansOf(query: <T extends object>(statement: typeof STATEMENT | typeof PLANS) => Promise<T[]>): Promise<Plans> {
  let n = 0;
  for (let i = 0; i < 3; i++) [{ n }] = await query<{ n: number }>(STATEMENT);
  const [plans] = await query<Omit<Plans, 'n'>>(PLANS);
  return { ...plans, n };
}

describeOnPostgres(genericPlanSessions.name, () => {
  it('plans a prepared statement once and compiles nothing, on the database of the pool it copies, which plans it at each execution', async () => {
    const pool = new Pool({ connectionString: serverUrl, max: 1 });
    const errors: Error[] = [];
    const planningOnce: PipelinedSessions = genericPlanSessions(pool, 1, (error) => errors.push(error));
    const client = await pool.connect();
    try {
      const copied = await plansOf((statement) => planningOnce.query(statement));
      const original = await plansOf(async (statement) => (await client.query(statement)).rows);
      expect(copied).toEqual({ database: original.database, generic_plans: '3', custom_plans: '0', n: original.n });
      expect(original).toMatchObject({ generic_plans: '0', custom_plans: '3' });
      expect(await planningOnce.query({ text: 'SHOW jit', values: [] })).toEqual([{ jit: 'off' }]);
      expect(errors).toEqual([]);
    } finally {
      client.release();
      await planningOnce.end();
      await pool.end();
    }
  });
});
