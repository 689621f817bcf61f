import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describeProbe, pollUntil, probe, type ProbeResult } from './http-probe.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { freeLoopbackPort } from './ports.js';

const execFileAsync = promisify(execFile);

/** A running etcd on loopback. */
export interface RunningEtcd {
  readonly process: ManagedProcess;
  /** `http://127.0.0.1:<port>`, for kube-apiserver's `--etcd-servers`. */
  readonly clientUrl: string;
}

const fsyncFlagSupport = new Map<string, Promise<boolean>>();

/**
 * Whether this etcd accepts `--unsafe-no-fsync` (3.5+; Debian's 3.4 does not). envtest decides the
 * same way, from `--help`; the answer is cached per binary.
 */
function supportsNoFsync(binary: string): Promise<boolean> {
  let known = fsyncFlagSupport.get(binary);
  if (!known) {
    known = execFileAsync(binary, ['--help'], { maxBuffer: 4 * 1024 * 1024 }).then(
      ({ stdout, stderr }) => `${stdout}${stderr}`.includes('--unsafe-no-fsync'),
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`.includes('--unsafe-no-fsync'),
    );
    fsyncFlagSupport.set(binary, known);
  }
  return known;
}

/**
 * Starts etcd with envtest's flags (controller-runtime `controlplane/etcd.go`) on two free loopback
 * ports and a data directory the caller owns, and waits until `/health` answers 200. On failure
 * the child is killed and the error carries the tail of its output.
 */
export async function startEtcd(binary: string, dataDir: string, timeoutMs: number): Promise<RunningEtcd> {
  const [clientPort, peerPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const args = [
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=default=${peerUrl}`,
    '--log-level=warn',
  ];
  // Durability is pointless for a throw-away test store, and fsync dominates etcd's write latency.
  if (await supportsNoFsync(binary)) args.push('--unsafe-no-fsync=true');

  const child = spawnManaged('etcd', binary, args);
  let last: ProbeResult = { error: 'not probed yet' };
  try {
    await pollUntil(
      async () => {
        last = await probe(`${clientUrl}/health`);
        return 'status' in last && last.status === 200 ? true : undefined;
      },
      {
        timeoutMs,
        what: `etcd /health on ${clientUrl}`,
        abortReason: () => (child.hasExited() ? 'etcd exited' : undefined),
      },
      () => describeProbe(last),
    );
  } catch (error) {
    child.killNow();
    await child.exited;
    throw new Error(`${(error as Error).message}\n--- etcd output (tail) ---\n${child.outputTail()}`);
  }
  return { process: child, clientUrl };
}
