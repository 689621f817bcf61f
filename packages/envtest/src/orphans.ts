import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Name prefix of every control plane's temporary directory under `os.tmpdir()`. */
export const CONTROL_PLANE_DIR_PREFIX = 'l4gw-envtest-';
/** Holds the pid of the process that owns a control plane directory. */
const OWNER_FILE = 'owner.pid';

/** Whether `pid` runs; a zombie (exited, not yet collected by its parent) counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    // /proc/<pid>/stat is "pid (comm) state …"; comm may contain spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Marks `dir` as owned by this process, so that a later run can tell when it was abandoned. */
export function recordOwnership(dir: string): void {
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
}

function ownerOf(dir: string): number | undefined {
  try {
    const pid = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Pids whose command line names `dir`: the etcd and kube-apiserver started for it (flags carry the path). */
function processesUsing(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`${dir}/`)) pids.push(Number(entry));
    } catch {
      // The process exited meanwhile, or is not ours to read.
    }
  }
  return pids;
}

/**
 * Kills etcd and kube-apiserver processes left behind by a test process that died without cleaning
 * up (SIGKILL, a crashed worker) and removes their directories. Only directories whose recorded
 * owner is gone are touched, and only processes whose command line names that unique directory
 * are killed, by pid. Linux only (it reads /proc); elsewhere it does nothing. Returns how many
 * directories were reaped.
 */
export function reapOrphanedControlPlanes(tmp: string): number {
  if (process.platform !== 'linux') return 0;
  let reaped = 0;
  let entries: string[];
  try {
    entries = readdirSync(tmp).filter((name) => name.startsWith(CONTROL_PLANE_DIR_PREFIX));
  } catch {
    return 0;
  }
  for (const name of entries) {
    const dir = join(tmp, name);
    const owner = ownerOf(dir);
    if (owner === undefined || isAlive(owner)) continue;
    for (const pid of processesUsing(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(dir, { recursive: true, force: true });
    reaped++;
  }
  return reaped;
}
