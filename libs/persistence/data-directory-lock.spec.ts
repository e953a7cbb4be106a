import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  assertDataDirectoryFree,
  DataDirectoryLock,
  DataDirectoryLockedError,
  FOREIGN_LOCK_STALE_MS,
  holderIsGone,
  localProcesses,
  LOCK_FILE,
  LockHolder,
  ProcessTable,
} from './data-directory-lock';

/** A machine whose processes are the given PIDs, each with its start time. */
function machine(processes: Record<number, string>, name = 'host-a', bootId: string | null = 'boot-1'): ProcessTable {
  return {
    hostname: name,
    bootId,
    isRunning: (pid) => pid in processes,
    startTimeOf: (pid) => processes[pid] ?? null,
  };
}

const holder: LockHolder = { pid: 4242, hostname: 'host-a', bootId: 'boot-1', startTime: '1000', acquiredAt: '2026-01-01T00:00:00.000Z' };

describe(holderIsGone.name, () => {
  it('keeps a lock whose process still runs, started when the lock says', () => {
    expect(holderIsGone(holder, machine({ 4242: '1000' }), 0)).toBe(false);
  });

  it('takes over a lock whose process is gone (kill -9)', () => {
    expect(holderIsGone(holder, machine({ 1: '5' }), 0)).toBe(true);
  });

  it('takes over a lock whose PID now belongs to another process', () => {
    expect(holderIsGone(holder, machine({ 4242: '98765' }), 0)).toBe(true);
  });

  it('takes over a lock from before a reboot, whatever runs under its PID now', () => {
    expect(holderIsGone(holder, machine({ 4242: '1000' }, 'host-a', 'boot-2'), 0)).toBe(true);
  });

  it('trusts a running PID where start times are unknown (no /proc)', () => {
    const noProc = machine({ 4242: '1000' }, 'host-a', null);
    expect(holderIsGone({ ...holder, bootId: null, startTime: null }, { ...noProc, startTimeOf: () => null }, 0)).toBe(false);
  });

  it('keeps a lock from another host while its holder keeps touching it, and takes it over once it stops', () => {
    const other = machine({}, 'host-b');
    expect(holderIsGone(holder, other, 1_000)).toBe(false);
    expect(holderIsGone(holder, other, FOREIGN_LOCK_STALE_MS + 1)).toBe(true);
  });
});

const onLinux = existsSync('/proc/self/stat') ? it : it.skip;

describe('localProcesses', () => {
  it('sees this process running, with a start time', () => {
    expect(localProcesses.isRunning(process.pid)).toBe(true);
    expect(localProcesses.startTimeOf(process.pid)).toMatch(/^\d+$/);
  });

  onLinux('counts a killed process that its parent has not reaped (a zombie) as gone', async () => {
    // `sleep` replaces the shell and never reaps the shell's child. The child exits a second later,
    // after the exec: a shell still running reaps a child that has exited, so one that exited at
    // once was sometimes gone before it could be seen as a zombie. The parent lives until the test
    // kills it, so the zombie cannot be reaped early on a slow machine either.
    const parent = spawn('sh', ['-c', 'sleep 1 & echo $!; exec sleep 600']);
    const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()))));
    try {
      await waitForZombie(zombie);
      expect(localProcesses.isRunning(zombie)).toBe(false);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});

/** Resolves once /proc shows `pid` as a zombie (state Z); fails the test if it never does. */
async function waitForZombie(pid: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process ${pid} never became a zombie`);
}

describe(DataDirectoryLock.name, () => {
  let dataDir: string;
  const here = machine({ [process.pid]: 'me', 4242: '1000' });

  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'lock-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second holder with one line naming the holder and the directory, until released', async () => {
    const first = await DataDirectoryLock.acquire(dataDir, here);
    const refused = DataDirectoryLock.acquire(dataDir, here);
    await expect(refused).rejects.toThrow(DataDirectoryLockedError);
    await expect(refused).rejects.toThrow(`the data directory ${dataDir} is in use by process ${process.pid}`);
    await expect(refused).rejects.toThrow(/stop it, or set DATA_DIR to another directory$/);
    expect(() => assertDataDirectoryFree(dataDir, here)).toThrow(DataDirectoryLockedError);

    first.release();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    expect(() => assertDataDirectoryFree(dataDir, here)).not.toThrow();
    (await DataDirectoryLock.acquire(dataDir, here)).release();
  });

  it('takes over the lock of a process that is gone', async () => {
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ ...holder, pid: 999_999 }));
    const lock = await DataDirectoryLock.acquire(dataDir, here);
    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('refuses while the holder named in the file runs', async () => {
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify(holder));
    await expect(DataDirectoryLock.acquire(dataDir, here)).rejects.toThrow('in use by process 4242');
    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8'))).toEqual(holder);
  });

  it('takes over a lock file left half-written, once it is clearly not being written any more', async () => {
    const path = join(dataDir, LOCK_FILE);
    writeFileSync(path, '{"pid":');
    const old = new Date(Date.now() - 60_000);
    utimesSync(path, old, old);
    (await DataDirectoryLock.acquire(dataDir, here)).release();
  });

  it('waits for a lock file that is being written rather than taking it over', async () => {
    const path = join(dataDir, LOCK_FILE);
    writeFileSync(path, '{"pid":');
    setTimeout(() => writeFileSync(path, JSON.stringify(holder)), 200);
    await expect(DataDirectoryLock.acquire(dataDir, here)).rejects.toThrow('in use by process 4242');
  });

  it('leaves alone a lock that is no longer its own', async () => {
    const lock = await DataDirectoryLock.acquire(dataDir, here);
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify(holder));
    lock.release();
    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8'))).toEqual(holder);
  });
});
