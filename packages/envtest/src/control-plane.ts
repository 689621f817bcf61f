import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { startApiServer, type ApiServerLayout } from './apiserver.js';
import { findBinary } from './binaries.js';
import { crdDirectories, type CrdSet } from './crd-sets.js';
import { installCrds, loadCrds, waitForCrdsServed } from './crds.js';
import { ADMIN_USER, issueTokens, serviceAccountKeyPem, tokenAuthFileContent, type IssuedToken, type TokenUser } from './credentials.js';
import { startEtcd, type RunningEtcd } from './etcd.js';
import { registerExitCleanup } from './exit-cleanup.js';
import { pollUntil } from './http-probe.js';
import type { ManagedProcess } from './managed-process.js';
import { CONTROL_PLANE_DIR_PREFIX, reapOrphanedControlPlanes, recordOwnership } from './orphans.js';
import { freeLoopbackPort } from './ports.js';

/** Options for {@link startControlPlane}; every field is optional. */
export interface ControlPlaneOptions {
  /** Gateway API CRDs to install; default `v1.6-experimental`. */
  crds?: CrdSet;
  /** Extra users authenticated by static token (no RBAC bindings are created for them). */
  users?: readonly TokenUser[];
  /** Extra kube-apiserver flags, appended after the defaults. */
  apiServerArgs?: readonly string[];
  /** Per-step start timeout (etcd, kube-apiserver, CRDs); default 90 s or `L4GW_ENVTEST_START_TIMEOUT_MS`. */
  startTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL; default 20 s, as envtest. */
  stopTimeoutMs?: number;
}

/** How long each start-up phase took, in milliseconds (for reports and benchmarks, not assertions). */
export interface StartupTimings {
  /** From the call to etcd healthy (includes finding binaries, reading the CRDs and generating the SA key). */
  etcdMs: number;
  apiServerMs: number;
  crdsMs: number;
  totalMs: number;
}

/** A running etcd + kube-apiserver pair on loopback, with an admin kubeconfig. */
export interface ControlPlane {
  /** Admin (`system:masters`) client configuration. */
  readonly kubeConfig: KubeConfig;
  /** The same configuration written as a kubeconfig file (for a CLI under test, or kubectl). */
  readonly kubeconfigPath: string;
  /** `https://127.0.0.1:<port>`; unchanged by {@link ControlPlane.restartApiServer}. */
  readonly apiServerUrl: string;
  /** The CRDs installed at start. */
  readonly crdNames: readonly string[];
  readonly timings: StartupTimings;
  /** A client configuration for one of {@link ControlPlaneOptions.users}. */
  kubeConfigForUser(name: string): KubeConfig;
  /** Stops kube-apiserver only (clients then see connection refused); etcd keeps the data. */
  stopApiServer(): Promise<void>;
  /** Starts kube-apiserver again on the same port and etcd; waits for readiness and the CRDs in discovery. */
  startApiServer(): Promise<void>;
  /** {@link ControlPlane.stopApiServer} then {@link ControlPlane.startApiServer}. */
  restartApiServer(): Promise<void>;
  /** Stops both processes and removes every temporary file. Safe to call twice. */
  stop(): Promise<void>;
}

const PORT_IN_USE = /address already in use/i;
const START_ATTEMPTS = 3;

function defaultStartTimeout(): number {
  const fromEnv = Number(process.env.L4GW_ENVTEST_START_TIMEOUT_MS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 90_000;
}

/** Retries `start` with fresh ports when the failure was a port taken between probe and bind. */
async function withPortRetry<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !PORT_IN_USE.test((error as Error).message)) throw error;
    }
  }
}

function kubeConfigFor(server: string, caPem: string, user: IssuedToken): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'envtest', server, caData: Buffer.from(caPem).toString('base64'), skipTLSVerify: false }],
    users: [{ name: user.name, token: user.token }],
    contexts: [{ name: 'envtest', cluster: 'envtest', user: user.name }],
    currentContext: 'envtest',
  });
  return kubeConfig;
}

/**
 * Starts a real etcd and kube-apiserver on free loopback ports with envtest's flags, an admin
 * token user in `system:masters`, and the chosen Gateway API CRDs (Established and served in
 * discovery before it returns). Binaries are found like envtest (`TEST_ASSET_*`, then
 * `$KUBEBUILDER_ASSETS`); if they are missing it throws an error saying how to build them.
 * Everything it created is removed by `stop()`, on a failed start, and on process exit or SIGINT.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const began = Date.now();
  const startTimeoutMs = options.startTimeoutMs ?? defaultStartTimeout();
  const stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
  const etcdBinary = findBinary('etcd');
  const apiServerBinary = findBinary('kube-apiserver');
  const crdDirs = await crdDirectories(options.crds ?? 'v1.6-experimental');
  const crds = await loadCrds(crdDirs);

  // Clean up after earlier test processes that were killed outright (see orphans.ts).
  reapOrphanedControlPlanes(tmpdir());
  const dir = mkdtempSync(join(tmpdir(), CONTROL_PLANE_DIR_PREFIX));
  // If this process is SIGKILLed, no hook runs; a later start sees the dead owner and reaps.
  recordOwnership(dir);
  let etcd: RunningEtcd | undefined;
  let apiServer: ManagedProcess | undefined;
  const unregister = registerExitCleanup(() => {
    apiServer?.killNow();
    etcd?.process.killNow();
    rmSync(dir, { recursive: true, force: true });
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // kube-apiserver first, so it does not spend its shutdown retrying a vanished etcd.
    await apiServer?.stop(stopTimeoutMs);
    await etcd?.process.stop(stopTimeoutMs);
    rmSync(dir, { recursive: true, force: true });
    unregister();
  };

  try {
    const certDir = join(dir, 'certs');
    mkdirSync(certDir);
    const serviceAccountKeyFile = join(dir, 'sa-signer.key');
    writeFileSync(serviceAccountKeyFile, serviceAccountKeyPem(), { mode: 0o600 });
    const tokens = issueTokens([ADMIN_USER, ...(options.users ?? [])]);
    const admin = tokens[0] as IssuedToken;
    const tokenAuthFile = join(dir, 'tokens.csv');
    writeFileSync(tokenAuthFile, tokenAuthFileContent(tokens), { mode: 0o600 });

    etcd = await withPortRetry(() => startEtcd(etcdBinary, join(dir, 'etcd-data'), startTimeoutMs));
    const etcdReady = Date.now();
    const etcdUrl = etcd.clientUrl;

    const layoutOn = (port: number): ApiServerLayout => ({
      binary: apiServerBinary,
      port,
      etcdUrl,
      certDir,
      serviceAccountKeyFile,
      tokenAuthFile,
      adminToken: admin.token,
      extraArgs: options.apiServerArgs ?? [],
    });
    let layout = layoutOn(0);
    apiServer = await withPortRetry(async () => {
      layout = layoutOn(await freeLoopbackPort());
      return startApiServer(layout, startTimeoutMs);
    });
    const port = layout.port;
    const apiServerUrl = `https://127.0.0.1:${port}`;
    // kube-apiserver generated its own serving certificate and CA into cert-dir (`apiserver.crt`
    // holds the leaf and its CA), so clients can verify TLS instead of skipping it.
    const caPem = readFileSync(join(certDir, 'apiserver.crt'), 'utf8');
    const kubeConfig = kubeConfigFor(apiServerUrl, caPem, admin);
    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(kubeconfigPath, kubeConfig.exportConfig(), { mode: 0o600 });

    const core = kubeConfig.makeApiClient(CoreV1Api);
    await pollUntil(
      async () => {
        try {
          return await core.readNamespace({ name: 'default' });
        } catch {
          return undefined;
        }
      },
      { timeoutMs: startTimeoutMs, what: 'namespace default' },
    );
    const apiServerReady = Date.now();

    await installCrds(kubeConfig, crds, startTimeoutMs);
    const crdsReady = Date.now();

    const stopApiServer = async (): Promise<void> => {
      const running = apiServer;
      apiServer = undefined;
      await running?.stop(stopTimeoutMs);
    };
    const startAgain = async (): Promise<void> => {
      if (stopped) throw new Error('the control plane was stopped');
      if (apiServer && !apiServer.hasExited()) return;
      apiServer = await startApiServer(layout, startTimeoutMs);
        await waitForCrdsServed(kubeConfig, crds, startTimeoutMs);
    };

    return {
      kubeConfig,
      kubeconfigPath,
      apiServerUrl,
      crdNames: crds.map((crd) => crd.metadata?.name ?? ''),
      timings: {
        etcdMs: etcdReady - began,
        apiServerMs: apiServerReady - etcdReady,
        crdsMs: crdsReady - apiServerReady,
        totalMs: crdsReady - began,
      },
      kubeConfigForUser(name: string): KubeConfig {
        const user = tokens.find((t) => t.name === name);
        if (!user) throw new Error(`no user ${name}; pass it in ControlPlaneOptions.users`);
        return kubeConfigFor(apiServerUrl, caPem, user);
      },
      stopApiServer,
      startApiServer: startAgain,
      async restartApiServer(): Promise<void> {
        await stopApiServer();
        await startAgain();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
