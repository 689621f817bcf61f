import { CliError, ExitCode } from './errors.js';

/** The oldest Node.js the Kubernetes client (and so `run`, `rbac` and `ipam` on a cluster) runs on. */
const MINIMUM = [22, 19] as const;

/**
 * Fails with a clear message instead of the Kubernetes client's crash (undici needs APIs that
 * Node 20 lacks). The offline commands (`reconcile`, `ipam -f`) do not load the client and run on
 * older Node too, so only the commands that talk to a cluster call this.
 */
export function requireKubernetesCapableNode(version: string = process.versions.node): void {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > MINIMUM[0] || (major === MINIMUM[0] && minor >= MINIMUM[1])) return;
  throw new CliError(ExitCode.runtime, `this command needs Node.js >= ${MINIMUM.join('.')} (this is ${version}); reconcile and ipam -f work on older Node`);
}
