import { spawn, type ChildProcess } from 'node:child_process';

/** How long the tail of a child's output kept for error messages may grow, in characters. */
const OUTPUT_TAIL_LIMIT = 64 * 1024;

/** A child process whose output is kept (the tail) so that failures can show why it died. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (or signal) once the child has exited. */
  readonly exited: Promise<string>;
  /** True once the child has exited. */
  hasExited(): boolean;
  /** The last {@link OUTPUT_TAIL_LIMIT} characters of stdout and stderr, interleaved. */
  outputTail(): string;
  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves when the child is gone. */
  stop(timeoutMs: number): Promise<void>;
  /** SIGKILL without waiting, for synchronous exit hooks. */
  killNow(): void;
}

/** Whether child output is also copied to this process's stderr (envtest's variable, or ours). */
function attachOutput(): boolean {
  const flag = process.env.L4GW_ENVTEST_ATTACH_OUTPUT ?? process.env.KUBEBUILDER_ATTACH_CONTROL_PLANE_OUTPUT;
  return flag === 'true' || flag === '1';
}

/**
 * Spawns `binary` with `args`, keeping the tail of its output. The child gets its own stdin
 * closed and no shell, and is never detached, so killing it by pid is all that cleanup needs.
 */
export function spawnManaged(name: string, binary: string, args: readonly string[]): ManagedProcess {
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  let exitDescription: string | undefined;
  const echo = attachOutput();
  const collect = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    tail = (tail + text).slice(-OUTPUT_TAIL_LIMIT);
    if (echo) process.stderr.write(`[${name}] ${text}`);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => {
      exitDescription = `failed to start: ${error.message}`;
      resolve(exitDescription);
    });
    child.once('exit', (code, signal) => {
      exitDescription = signal ? `killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
      resolve(exitDescription);
    });
  });

  const hasExited = (): boolean => exitDescription !== undefined;
  const killNow = (): void => {
    if (!hasExited()) child.kill('SIGKILL');
  };

  return {
    name,
    pid: child.pid ?? -1,
    exited,
    hasExited,
    outputTail: () => tail,
    killNow,
    async stop(timeoutMs: number): Promise<void> {
      if (hasExited()) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        killNow();
        await exited;
      }
    },
  };
}
