import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { StartupError } from '../startup';

/** Kept inside the data directory, so it moves, and is deleted, with the data. */
export const LOCK_FILE = 'commerce.lock';
/** How often the holder touches its lock, so another host can tell a live holder from a dead one. */
const HEARTBEAT_MS = 10_000;
/** A lock from another host untouched this long belongs to a process that is gone. */
export const FOREIGN_LOCK_STALE_MS = 6 * HEARTBEAT_MS;
/** A lock file still being written by its holder is unreadable for a moment; older than this it is garbage. */
const UNREADABLE_GRACE_MS = 2_000;
const RETRY_MS = 50;
/** Enough retries to outlast the grace of an unreadable lock file. */
const ACQUIRE_ATTEMPTS = (2 * UNREADABLE_GRACE_MS) / RETRY_MS;

/** Who holds a data directory: enough to tell, later, whether that very process still runs. */
export interface LockHolder {
  pid: number;
  hostname: string;
  /** Linux boot id: a PID from before a reboot names nobody. */
  bootId: string | null;
  /** Start time of the process in clock ticks since boot (Linux), so a reused PID is not mistaken for the holder. */
  startTime: string | null;
  acquiredAt: string;
}

/** What this machine can tell about its processes. */
export interface ProcessTable {
  hostname: string;
  bootId: string | null;
  isRunning(pid: number): boolean;
  startTimeOf(pid: number): string | null;
}

/** Another process holds the data directory; the message is one line, for a user to act on. */
export class DataDirectoryLockedError extends StartupError {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    const where = holder.hostname === hostname() ? '' : ` on ${holder.hostname}`;
    super(
      `the data directory ${dataDir} is in use by process ${holder.pid}${where} (since ${holder.acquiredAt}); ` +
        `only one process may open an embedded database: stop it, or set DATA_DIR to another directory`,
    );
  }
}

/**
 * True when the process that wrote `holder` is certainly gone. On this host that is decided by
 * its PID and start time (a PID alone may have been reused since); for a lock from another host
 * (a network share, a container re-created under a new name) only the holder's heartbeat tells.
 */
export function holderIsGone(holder: LockHolder, table: ProcessTable, lockAgeMs: number): boolean {
  if (holder.hostname !== table.hostname) return lockAgeMs > FOREIGN_LOCK_STALE_MS;
  if (holder.bootId && table.bootId && holder.bootId !== table.bootId) return true;
  if (!table.isRunning(holder.pid)) return true;
  const startTime = table.startTimeOf(holder.pid);
  return holder.startTime !== null && startTime !== null && startTime !== holder.startTime;
}

/**
 * Throws DataDirectoryLockedError if a live process holds `dataDir`, without taking it: lets a
 * command refuse before it loads the application, rather than after.
 */
export function assertDataDirectoryFree(dataDir: string, table: ProcessTable = localProcesses): void {
  const seen = readLock(join(dataDir, LOCK_FILE));
  if (seen?.holder && !holderIsGone(seen.holder, table, seen.ageMs)) {
    throw new DataDirectoryLockedError(resolve(dataDir), seen.holder);
  }
}

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** This machine's processes as Linux /proc shows them; elsewhere only whether a PID runs. */
export const localProcesses: ProcessTable = {
  hostname: hostname(),
  bootId: readProc('/proc/sys/kernel/random/boot_id'),
  isRunning(pid) {
    // A zombie (killed, not yet reaped by its parent) still answers signal 0, but holds nothing.
    if (['Z', 'X'].includes(statFields(pid)?.[0] ?? '')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: it runs, under another user.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  startTimeOf(pid) {
    return statFields(pid)?.[19] ?? null;
  },
};

/** Fields 3 (state) onwards of /proc/<pid>/stat; the command name before them, in parentheses, may hold spaces. */
function statFields(pid: number): string[] | null {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ') : null;
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code;
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/**
 * An exclusive lock on an embedded data directory. PGlite is a whole Postgres server inside the
 * process, with its own buffers, transaction ids and commit log; two of them on one directory
 * overwrite each other's files and leave rows half-visible for good. So only one process opens
 * a directory: the lock file is created exclusively (O_EXCL), and a lock whose holder is gone
 * (kill -9, power loss) is taken over.
 */
export class DataDirectoryLock {
  private heartbeat?: NodeJS.Timeout;
  private readonly releaseOnExit = (): void => this.release();

  private constructor(
    readonly path: string,
    private readonly content: string,
  ) {}

  static async acquire(dataDir: string, table: ProcessTable = localProcesses): Promise<DataDirectoryLock> {
    const path = join(dataDir, LOCK_FILE);
    const me: LockHolder = {
      pid: process.pid,
      hostname: table.hostname,
      bootId: table.bootId,
      startTime: table.startTimeOf(process.pid),
      acquiredAt: new Date().toISOString(),
    };
    const content = `${JSON.stringify(me)}\n`;
    for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
      if (createExclusively(path, content)) return new DataDirectoryLock(path, content).held();
      const seen = readLock(path);
      if (!seen) continue;
      if (seen.holder && !holderIsGone(seen.holder, table, seen.ageMs)) {
        throw new DataDirectoryLockedError(resolve(dataDir), seen.holder);
      }
      if (!seen.holder && seen.ageMs < UNREADABLE_GRACE_MS) {
        await sleep(RETRY_MS);
        continue;
      }
      if (!takeOver(path, seen.raw, content)) await sleep(RETRY_MS);
      else return new DataDirectoryLock(path, content).held();
    }
    throw new Error(`could not lock the data directory ${resolve(dataDir)}: its lock file ${path} keeps changing`);
  }

  private held(): this {
    this.heartbeat = setInterval(() => {
      const now = new Date();
      try {
        utimesSync(this.path, now, now);
      } catch {
        // Removed under us: the next holder decides by its own lock.
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    process.once('exit', this.releaseOnExit);
    return this;
  }

  /** Gives the directory up; leaves alone a lock file that is not (any longer) ours. */
  release(): void {
    clearInterval(this.heartbeat);
    process.removeListener('exit', this.releaseOnExit);
    if (readLock(this.path)?.raw === this.content) unlinkQuietly(this.path);
  }
}

function createExclusively(path: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readLock(path: string): { raw: string; holder: LockHolder | null; ageMs: number } | null {
  try {
    const ageMs = Date.now() - statSync(path).mtimeMs;
    const raw = readFileSync(path, 'utf8');
    return { raw, holder: parseHolder(raw), ageMs };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

function parseHolder(raw: string): LockHolder | null {
  try {
    const holder = JSON.parse(raw) as Partial<LockHolder>;
    return Number.isInteger(holder.pid) && typeof holder.hostname === 'string' ? (holder as LockHolder) : null;
  } catch {
    return null;
  }
}

/**
 * Replaces the stale lock `staleRaw` with ours. Contenders for the same stale lock serialise on
 * a directory (mkdir is atomic); the winner checks that the lock is still the stale one before
 * removing it, so a lock just taken by someone else is never removed.
 */
function takeOver(path: string, staleRaw: string, content: string): boolean {
  const mutex = `${path}.takeover`;
  try {
    mkdirSync(mutex);
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    // Left by a process killed in the middle of a takeover.
    const left = statSync(mutex, { throwIfNoEntry: false });
    if (left && Date.now() - left.mtimeMs > UNREADABLE_GRACE_MS) rmdirQuietly(mutex);
    return false;
  }
  try {
    if (readLock(path)?.raw !== staleRaw) return false;
    unlinkQuietly(path);
    return createExclusively(path, content);
  } finally {
    rmdirQuietly(mutex);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

function rmdirQuietly(path: string): void {
  try {
    rmdirSync(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}
