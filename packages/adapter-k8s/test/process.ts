// Starts test/operator-process.mjs as a child process and talks to it over IPC.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { OperatorOptions } from '../src/options.js';

const SCRIPT = fileURLToPath(new URL('./operator-process.mjs', import.meta.url));

export interface OperatorProcess {
  readonly child: ChildProcess;
  stats(): Promise<{ writes: number; reconciles: number; maxRssBytes: number }>;
  /** SIGKILL: no graceful shutdown, no lease release, in-flight writes abandoned. */
  kill(): Promise<void>;
  /** SIGTERM: graceful shutdown. */
  terminate(): Promise<void>;
}

type Serializable = Omit<OperatorOptions, 'kubeConfig' | 'engine' | 'logSink'>;

/** Forks an operator with `options` (kubeconfig as a path) and resolves once its informers synced. */
export async function forkOperator(options: Serializable): Promise<OperatorProcess> {
  const child = fork(SCRIPT, [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`operator process exited with ${code}`)));
    child.on('message', (m: { type?: string }) => {
      if (m.type === 'synced') resolve();
    });
  });
  return {
    child,
    stats: () =>
      new Promise((resolve) => {
        const onMessage = (m: { type?: string; writes: number; reconciles: number; maxRssBytes: number }) => {
          if (m.type !== 'stats') return;
          child.off('message', onMessage);
          resolve(m);
        };
        child.on('message', onMessage);
        child.send('stats');
      }),
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    terminate: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
