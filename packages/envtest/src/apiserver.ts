import { describeProbe, pollUntil, probe, type ProbeResult } from './http-probe.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';

/** Where a kube-apiserver keeps its files and how it is reached. */
export interface ApiServerLayout {
  binary: string;
  /** Secure port on 127.0.0.1. */
  port: number;
  etcdUrl: string;
  /** Writable directory for the self-generated serving certificate (`apiserver.crt`/`.key`). */
  certDir: string;
  /** PEM private key used both to sign and to verify service-account tokens. */
  serviceAccountKeyFile: string;
  /** `--token-auth-file` CSV holding the admin (and any extra) users' static tokens. */
  tokenAuthFile: string;
  /** Token of a `system:masters` user, used for the readiness probe. */
  adminToken: string;
  /** Extra flags appended after the defaults (a later flag wins). */
  extraArgs: readonly string[];
}

/**
 * The flags envtest passes (controller-runtime `controlplane/apiserver.go` `defaultArgs`), with a
 * static token file instead of a client-certificate CA because it is simpler to produce from Node.
 * `--advertise-address` and `--bind-address` keep start-up working on hosts without a default route
 * (controller-runtime#669); `ServiceAccount` admission is off because no controller creates the
 * default service account.
 */
export function apiServerArgs(layout: ApiServerLayout): string[] {
  return [
    `--etcd-servers=${layout.etcdUrl}`,
    `--cert-dir=${layout.certDir}`,
    `--secure-port=${layout.port}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    '--service-cluster-ip-range=10.0.0.0/24',
    '--allow-privileged=true',
    '--authorization-mode=RBAC',
    '--disable-admission-plugins=ServiceAccount',
    `--service-account-issuer=https://127.0.0.1:${layout.port}/`,
    `--service-account-key-file=${layout.serviceAccountKeyFile}`,
    `--service-account-signing-key-file=${layout.serviceAccountKeyFile}`,
    `--token-auth-file=${layout.tokenAuthFile}`,
    ...layout.extraArgs,
  ];
}

/**
 * Starts kube-apiserver and waits until `/readyz` answers 200 to the admin token (all post-start
 * hooks done, so RBAC bootstrap roles and CRD handling are live). On failure the child is killed
 * and the error carries the tail of its output.
 */
export async function startApiServer(layout: ApiServerLayout, timeoutMs: number): Promise<ManagedProcess> {
  const child = spawnManaged('kube-apiserver', layout.binary, apiServerArgs(layout));
  const url = `https://127.0.0.1:${layout.port}/readyz`;
  let last: ProbeResult = { error: 'not probed yet' };
  try {
    await pollUntil(
      async () => {
        // The serving certificate does not exist before the server has generated it, so the
        // readiness probe cannot verify it yet; it is loopback, and only the token is sent.
        last = await probe(url, { bearerToken: layout.adminToken });
        return 'status' in last && last.status === 200 ? true : undefined;
      },
      {
        timeoutMs,
        what: `kube-apiserver ${url}`,
        abortReason: () => (child.hasExited() ? 'kube-apiserver exited' : undefined),
      },
      () => describeProbe(last),
    );
  } catch (error) {
    child.killNow();
    await child.exited;
    throw new Error(`${(error as Error).message}\n--- kube-apiserver output (tail) ---\n${child.outputTail()}`);
  }
  return child;
}
