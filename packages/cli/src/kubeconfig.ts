// Which kubeconfig `run` (and `ipam` against a cluster) uses. DESIGN.md orders the sources:
// the -kubeconfig flag, then the in-cluster service account, then $KUBECONFIG, then
// ~/.kube/config. (client-node's loadFromDefault puts in-cluster last, which would let a stray
// kubeconfig file in a container image win over the pod's own identity.)

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { CliError, ExitCode } from './errors.js';
import { requireKubernetesCapableNode } from './node-version.js';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Where the configuration came from, for the startup log line. */
export type KubeConfigSource = { readonly kind: 'flag' | 'env' | 'home'; readonly path: string } | { readonly kind: 'in-cluster' };

/** Expands a leading `~/`, which the shell does not expand in `-kubeconfig=~/.kube/config`. */
export function expandHome(path: string, home: string = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

/**
 * Picks the kubeconfig source without reading it: the flag, in-cluster when running in a pod
 * (service host variable and token file present), `$KUBECONFIG` (its first entry), `~/.kube/config`.
 */
export function chooseKubeConfig(
  flag: string,
  env: NodeJS.ProcessEnv = process.env,
  fileExists: (path: string) => boolean = existsSync,
  home: string = homedir(),
): KubeConfigSource {
  if (flag !== '') return { kind: 'flag', path: expandHome(flag, home) };
  if (env['KUBERNETES_SERVICE_HOST'] !== undefined && fileExists(SERVICE_ACCOUNT_TOKEN)) return { kind: 'in-cluster' };
  const fromEnv = env['KUBECONFIG']?.split(':').find((entry) => entry !== '');
  if (fromEnv !== undefined) return { kind: 'env', path: expandHome(fromEnv, home) };
  return { kind: 'home', path: join(home, '.kube', 'config') };
}

/**
 * Loads the chosen kubeconfig; an unreadable file is exit code 3, a broken one exit code 1.
 * client-node is imported here, not at the top, so offline commands start without loading it.
 */
export async function loadKubeConfig(source: KubeConfigSource): Promise<KubeConfig> {
  requireKubernetesCapableNode();
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  if (source.kind === 'in-cluster') {
    config.loadFromCluster();
    return config;
  }
  if (!existsSync(source.path)) {
    throw new CliError(ExitCode.unreadableFile, `cannot read kubeconfig ${source.path}: no such file (set -kubeconfig or $KUBECONFIG)`);
  }
  try {
    config.loadFromFile(source.path);
  } catch (error) {
    throw new CliError(ExitCode.runtime, `invalid kubeconfig ${source.path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (config.getCurrentCluster() === null) {
    throw new CliError(ExitCode.runtime, `kubeconfig ${source.path} has no current cluster`);
  }
  return config;
}

/**
 * `-master` (the prototype's controller-runtime flag): points the current context at another API
 * server address, keeping the kubeconfig's credentials.
 */
export function overrideServer(config: KubeConfig, master: string): void {
  const current = config.getCurrentCluster();
  if (master === '' || current === null) return;
  config.clusters = config.clusters.map((cluster) => (cluster.name === current.name ? { ...cluster, server: master } : cluster));
}
