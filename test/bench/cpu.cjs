'use strict';
// CPU time the parts of a run spent, from Linux's /proc: the service processes this run started,
// PostgreSQL's processes (every process named postgres on the machine), this process (the load
// generator: autocannon runs in it), kcat (the split's broker), and the rest of the machine's busy
// time (other processes, interrupts). A figure per unit of work (CPU ms an order) moves less with
// a noisy neighbour than a rate does.
const { execFileSync } = require('node:child_process');
const { readdirSync, readFileSync } = require('node:fs');
const process = require('node:process');

let ticksPerSecond;

/** USER_HZ: the unit of /proc's CPU times (100 on every Linux we know, asked rather than assumed). */
function clockTicksPerSecond() {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return ticksPerSecond;
}

/** The machine's busy ticks: user, nice, system, irq and softirq of the `cpu` line of /proc/stat. */
function machineBusyTicks() {
  const [user, nice, system, , , irq, softirq] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq;
}

/**
 * A process's command name and its CPU ticks: its own (every thread's, user and system) plus those
 * of children it has reaped, so PostgreSQL's backends that end within the window still count,
 * through the postmaster. Null once the process is gone.
 */
function processTicks(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The name is in parentheses and may hold spaces or parentheses itself.
  const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
  const [utime, stime, cutime, cstime] = stat.slice(stat.lastIndexOf(')') + 2).split(' ').slice(11, 15).map(Number);
  return { name, ticks: utime + stime + cutime + cstime };
}

/**
 * Ticks by part, now. `roles` maps the PIDs of processes this run started to their part
 * (`service`, `kafka`); PostgreSQL's are found by name.
 */
function cpuSnapshot(roles) {
  const parts = { service: 0, postgres: 0, load: 0, kafka: 0 };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const part = pid === process.pid ? 'load' : roles.get(pid);
    const stat = processTicks(pid);
    if (stat === null) continue;
    if (part !== undefined) parts[part] += stat.ticks;
    else if (stat.name === 'postgres') parts.postgres += stat.ticks;
  }
  return { machine: machineBusyTicks(), parts };
}

/**
 * CPU milliseconds each part spent per unit of work since `before` (a `cpuSnapshot` of the same
 * roles), `other` being the machine's busy time that no part accounts for.
 */
function cpuMsPerUnit(before, roles, units) {
  const after = cpuSnapshot(roles);
  const msPerUnit = (ticks) => Math.round(((ticks * 1000) / clockTicksPerSecond() / units) * 100) / 100;
  const spent = Object.fromEntries(Object.keys(after.parts).map((part) => [part, after.parts[part] - before.parts[part]]));
  const machine = after.machine - before.machine;
  const accounted = Object.values(spent).reduce((sum, ticks) => sum + ticks, 0);
  return {
    total: msPerUnit(machine),
    ...Object.fromEntries(Object.entries(spent).map(([part, ticks]) => [part, msPerUnit(ticks)])),
    other: msPerUnit(Math.max(0, machine - accounted)),
  };
}

module.exports = { cpuMsPerUnit, cpuSnapshot };
