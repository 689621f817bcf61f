/**
 * Last-resort cleanup for abnormal exits. A control plane registers a synchronous cleanup (kill its
 * children, remove its temp directory) while it runs; if the test process exits or is interrupted
 * before `stop()` runs, the hooks below still run it, so no etcd or kube-apiserver outlives the
 * tests. Only processes this module spawned are killed, by their pid.
 */
type SyncCleanup = () => void;

const pending = new Set<SyncCleanup>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let exitHookInstalled = false;
let signalHooksInstalled = false;

function runAll(): void {
  for (const cleanup of [...pending]) {
    pending.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort: one failed cleanup must not keep the others from running.
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  signalHooksInstalled = false;
  // Our listener replaced Node's default "exit on signal"; restore it unless the host (vitest)
  // listens too, in which case it decides how to shut down.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', runAll);
  }
  if (!signalHooksInstalled) {
    signalHooksInstalled = true;
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
}

/** Registers a cleanup to run on exit or SIGINT/SIGTERM/SIGHUP; returns a function that unregisters it. */
export function registerExitCleanup(cleanup: SyncCleanup): () => void {
  install();
  pending.add(cleanup);
  return () => {
    pending.delete(cleanup);
    // With nothing left to clean up, give the host its default signal behaviour back.
    if (pending.size === 0 && signalHooksInstalled) {
      for (const s of SIGNALS) process.removeListener(s, onSignal);
      signalHooksInstalled = false;
    }
  };
}
