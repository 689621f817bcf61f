// Starts test/operator-process.mjs as a child process and talks to it over IPC. Used by the tests
// that kill or restart the operator and by the end-to-end bench (bench/e2e.ts), which measures it.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { registerExitCleanup } from '@l4gw/envtest';
import type { OperatorOptions } from '../src/options.js';

const SCRIPT = fileURLToPath(new URL('./operator-process.mjs', import.meta.url));
/** How long terminate() waits for a graceful stop before SIGKILL. */
const TERMINATE_TIMEOUT_MS = 20_000;

/** What the operator process reports about itself (counters since it started). */
export interface OperatorStats {
  /** API writes issued (object writes, status writes, deletes, Events). */
  readonly writes: number;
  /** The same by `kind/verb/result`. */
  readonly writesBy: Readonly<Record<string, number>>;
  /** Every request to the API server (reads, watches and writes) by `method/code`. */
  readonly requestsBy: Readonly<Record<string, number>>;
  readonly reconciles: number;
  /** User + system CPU time of the whole process, in µs. */
  readonly cpuMicros: number;
  /** Peak resident set size (the kernel's high-water mark). */
  readonly maxRssBytes: number;
  /** Peak of V8's used and committed heap, sampled every 250 ms (garbage included). */
  readonly peakHeapUsedBytes: number;
  readonly peakHeapTotalBytes: number;
  /** Now; `heapUsed` is the live heap when the process runs with --expose-gc (it collects first). */
  readonly memory: { readonly rss: number; readonly heapUsed: number; readonly heapTotal: number };
}

export interface OperatorProcess {
  readonly child: ChildProcess;
  stats(): Promise<OperatorStats>;
  /** SIGKILL: no graceful shutdown, no lease release, in-flight writes abandoned. */
  kill(): Promise<void>;
  /** SIGTERM: graceful shutdown; SIGKILL if it has not exited after 20 s. */
  terminate(): Promise<void>;
}

type Serializable = Omit<OperatorOptions, 'kubeConfig' | 'engine' | 'logSink'>;

/**
 * Forks an operator with `options` (kubeconfig as a path) and Node flags `execArgv`, and resolves
 * once its informers synced. The child is SIGKILLed if this process exits or is interrupted
 * (SIGINT, SIGTERM, SIGHUP) first, and stops by itself if this process dies outright.
 */
export async function forkOperator(options: Serializable, execArgv: readonly string[] = []): Promise<OperatorProcess> {
  const child = fork(SCRIPT, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...execArgv] });
  const unregister = registerExitCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      unregister();
      resolve();
    }),
  );
  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code, signal) => reject(new Error(`operator process exited with ${signal ?? code} before its informers synced`)));
      child.on('message', (m: { type?: string }) => {
        if (m.type === 'synced') resolve();
      });
    });
  } catch (error) {
    await exited;
    throw error;
  }
  return {
    child,
    stats: () =>
      new Promise((resolve, reject) => {
        if (hasExited()) {
          reject(new Error('operator process has exited: no stats'));
          return;
        }
        const onExit = (): void => {
          child.off('message', onMessage);
          reject(new Error('operator process exited before it sent its stats'));
        };
        const onMessage = (m: { type?: string } & OperatorStats): void => {
          if (m.type !== 'stats') return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(m);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send('stats');
      }),
    kill: async () => {
      if (!hasExited()) child.kill('SIGKILL');
      await exited;
    },
    terminate: async () => {
      if (hasExited()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), TERMINATE_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
