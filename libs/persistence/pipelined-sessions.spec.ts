import { Client } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelinedSessions } from './pipelined-sessions';

const serverUrl = process.env.TEST_DATABASE_URL;
const describeOnPostgres = serverUrl ? describe : describe.skip;

const BACKEND = { text: 'SELECT $1::int AS n, pg_backend_pid() AS pid', name: 'pipelined_sessions_spec_backend' };

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

describe(PipelinedSessions.name, () => {
  it('needs at least one session', () => {
    expect(() => new PipelinedSessions({}, 0, () => undefined)).toThrow(RangeError);
    expect(() => new PipelinedSessions({}, 1.5, () => undefined)).toThrow(RangeError);
  });
});

describeOnPostgres(`${PipelinedSessions.name} on PostgreSQL`, () => {
  const errors: Error[] = [];
  let sessions: PipelinedSessions;

  beforeEach(() => {
    errors.length = 0;
    sessions = new PipelinedSessions({ connectionString: serverUrl }, 3, (error) => errors.push(error));
  });

  afterEach(() => sessions.end());

  it('answers each of many statements sent at once with its own rows, over no more sessions than it has', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, n) => sessions.query<{ n: number; pid: number }>({ ...BACKEND, values: [n] })));
    expect(answers.map(([row]) => row.n)).toEqual(Array.from({ length: 60 }, (_, n) => n));
    expect(new Set(answers.map(([row]) => row.pid)).size).toBe(3);
    expect(errors).toEqual([]);
  });

  it('fails a failing statement alone: the statements pipelined before and after it are answered', async () => {
    const one = new PipelinedSessions({ connectionString: serverUrl }, 1, (error) => errors.push(error));
    try {
      const [before, failing, after] = await Promise.allSettled([
        one.query({ text: 'SELECT 1 AS n' }),
        one.query({ text: 'SELECT 1 / (0 * $1::int) AS n', values: [1] }),
        one.query({ text: 'SELECT 3 AS n' }),
      ]);
      expect(before).toEqual({ status: 'fulfilled', value: [{ n: 1 }] });
      expect(failing).toMatchObject({ status: 'rejected', reason: { code: '22012' } });
      expect(after).toEqual({ status: 'fulfilled', value: [{ n: 3 }] });
    } finally {
      await one.end();
    }
  });

  it('opens a session again after its connection was ended by the server, and tells of the failure', async () => {
    const answers = await Promise.all(Array.from({ length: 3 }, (_, n) => sessions.query<{ pid: number }>({ ...BACKEND, values: [n] })));
    const pids = answers.map(([row]) => row.pid);
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid', [pids]);
    } finally {
      await admin.end();
    }
    await until(() => errors.length === 3);
    const again = await Promise.all(Array.from({ length: 3 }, (_, n) => sessions.query<{ n: number; pid: number }>({ ...BACKEND, values: [n] })));
    expect(again.map(([row]) => row.n)).toEqual([0, 1, 2]);
    expect(again.every(([row]) => !pids.includes(row.pid))).toBe(true);
  });

  it('ends every session it opened', async () => {
    const answers = await Promise.all(Array.from({ length: 3 }, (_, n) => sessions.query<{ pid: number }>({ ...BACKEND, values: [n] })));
    await sessions.end();
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      const pids = answers.map(([row]) => row.pid);
      let open = pids.length;
      const count = 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1::int[])';
      while (open > 0) {
        [{ n: open }] = (await admin.query<{ n: number }>(count, [pids])).rows;
        if (open > 0) await sleep(20);
      }
      expect(open).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
