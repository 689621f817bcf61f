// Which kubeconfig `run`, and `reconcile` / `ipam` against a cluster, use. The order is
// client-go's (controller-runtime's GetConfig, which the prototype used): the -kubeconfig flag,
// then every file in $KUBECONFIG merged, then the in-cluster service account, then
// ~/.kube/config. With none of them, -master alone names the API server.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { CliError, ExitCode } from './errors.js';
import { requireKubernetesCapableNode } from './node-version.js';

const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/** Where the configuration came from, for the startup log line. */
export type KubeConfigSource =
  | { readonly kind: 'flag' | 'home'; readonly path: string }
  | { readonly kind: 'env'; readonly paths: readonly string[] }
  | { readonly kind: 'in-cluster' }
  | { readonly kind: 'master'; readonly server: string };

/** Expands a leading `~/`, which the shell does not expand in `-kubeconfig=~/.kube/config`. */
export function expandHome(path: string, home: string = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

/** One line naming the source, for logs. */
export function describeSource(source: KubeConfigSource): string {
  switch (source.kind) {
    case 'in-cluster':
      return 'in-cluster';
    case 'master':
      return `-master ${source.server}`;
    case 'env':
      return `$KUBECONFIG ${source.paths.join(delimiter)}`;
    default:
      return source.path;
  }
}

/**
 * Picks the kubeconfig source without reading it: the flag; `$KUBECONFIG` (its non-empty entries,
 * in order); in-cluster when running in a pod (service host variable and token file present);
 * `~/.kube/config` when it exists; else `-master` alone when given; else `~/.kube/config` (which
 * then fails to load with a message saying what was tried).
 */
export function chooseKubeConfig(
  flag: string,
  env: NodeJS.ProcessEnv = process.env,
  fileExists: (path: string) => boolean = existsSync,
  home: string = homedir(),
  master = '',
): KubeConfigSource {
  if (flag !== '') return { kind: 'flag', path: expandHome(flag, home) };
  const fromEnv = (env['KUBECONFIG'] ?? '').split(delimiter).filter((entry) => entry !== '');
  if (fromEnv.length > 0) return { kind: 'env', paths: fromEnv.map((entry) => expandHome(entry, home)) };
  if (env['KUBERNETES_SERVICE_HOST'] !== undefined && fileExists(SERVICE_ACCOUNT_TOKEN)) return { kind: 'in-cluster' };
  const homeConfig = join(home, '.kube', 'config');
  if (!fileExists(homeConfig) && master !== '') return { kind: 'master', server: master };
  return { kind: 'home', path: homeConfig };
}

async function readFile(path: string): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  try {
    config.loadFromFile(path);
  } catch (error) {
    throw new CliError(ExitCode.runtime, `invalid kubeconfig ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return config;
}

/**
 * Merges kubeconfig files as client-go does: the first file to define a cluster, user or context
 * name wins, and the first file that sets current-context chooses it.
 */
export async function mergeKubeConfigs(configs: readonly KubeConfig[]): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const firstByName = <T extends { readonly name: string }>(lists: readonly (readonly T[])[]): T[] => {
    const kept = new Map<string, T>();
    for (const item of lists.flat()) if (!kept.has(item.name)) kept.set(item.name, item);
    return [...kept.values()];
  };
  const merged = new KubeConfig();
  merged.loadFromOptions({
    clusters: firstByName(configs.map((config) => config.clusters)),
    users: firstByName(configs.map((config) => config.users)),
    contexts: firstByName(configs.map((config) => config.contexts)),
    currentContext: configs.map((config) => config.currentContext).find((name) => name !== undefined && name !== '') ?? '',
  });
  return merged;
}

/**
 * Loads the chosen kubeconfig; an unreadable file is exit code 3, a broken one exit code 1.
 * client-node is imported here, not at the top, so offline commands start without loading it.
 */
export async function loadKubeConfig(source: KubeConfigSource): Promise<KubeConfig> {
  requireKubernetesCapableNode();
  const { KubeConfig } = await import('@kubernetes/client-node');
  let config: KubeConfig;
  switch (source.kind) {
    case 'in-cluster':
      config = new KubeConfig();
      config.loadFromCluster();
      return config;
    case 'master':
      // No credentials: what client-go does with only a server address.
      config = new KubeConfig();
      config.loadFromOptions({
        // client-node refuses plain http unless told to skip TLS checks, which http has none of.
        clusters: [{ name: 'master', server: source.server, skipTLSVerify: source.server.startsWith('http://') }],
        users: [{ name: 'anonymous' }],
        contexts: [{ name: 'master', cluster: 'master', user: 'anonymous' }],
        currentContext: 'master',
      });
      return config;
    case 'env': {
      // client-go skips entries that do not exist; it fails only when none does.
      const present = source.paths.filter((path) => existsSync(path));
      if (present.length === 0) {
        throw new CliError(ExitCode.unreadableFile, `cannot read kubeconfig ${source.paths.join(delimiter)}: no such file (from $KUBECONFIG)`);
      }
      config = await mergeKubeConfigs(await Promise.all(present.map(readFile)));
      break;
    }
    default:
      if (!existsSync(source.path)) {
        throw new CliError(ExitCode.unreadableFile, `cannot read kubeconfig ${source.path}: no such file (set -kubeconfig, $KUBECONFIG or -master)`);
      }
      config = await readFile(source.path);
  }
  if (config.getCurrentCluster() === null) {
    throw new CliError(ExitCode.runtime, `kubeconfig ${describeSource(source)} has no current cluster`);
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
