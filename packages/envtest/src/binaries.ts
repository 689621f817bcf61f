import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** The two programs a control plane needs, by their envtest asset names. */
export type ControlPlaneBinary = 'etcd' | 'kube-apiserver';

/** envtest's per-binary override variables (controller-runtime `process/bin_path_finder.go`). */
const OVERRIDE_VARIABLES: Record<ControlPlaneBinary, string> = {
  etcd: 'TEST_ASSET_ETCD',
  'kube-apiserver': 'TEST_ASSET_KUBE_APISERVER',
};

/** Thrown when a control-plane binary cannot be found; its message says how to provide one. */
export class MissingBinaryError extends Error {
  override readonly name = 'MissingBinaryError';
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a control-plane binary the way envtest does: `TEST_ASSET_KUBE_APISERVER` /
 * `TEST_ASSET_ETCD` first, then `$KUBEBUILDER_ASSETS/<name>`. Never falls back to `PATH`, so a
 * test run cannot silently pick up some unrelated etcd. Throws a {@link MissingBinaryError} that
 * says exactly how to provide the binary when none is found, because integration tests must fail
 * loudly rather than skip.
 */
export function findBinary(name: ControlPlaneBinary, env: NodeJS.ProcessEnv = process.env): string {
  const variable = OVERRIDE_VARIABLES[name];
  const override = env[variable];
  if (override) {
    if (isExecutable(override)) return override;
    throw new MissingBinaryError(`${variable}=${override} is not an executable file.`);
  }
  const assets = env.KUBEBUILDER_ASSETS;
  if (assets) {
    const candidate = join(assets, name);
    if (isExecutable(candidate)) return candidate;
    throw new MissingBinaryError(
      `KUBEBUILDER_ASSETS=${assets} has no executable ${name}. ` +
        `Point KUBEBUILDER_ASSETS at a directory holding etcd and kube-apiserver, ` +
        `or unset it and run: eval "$(tools/envtest/build.sh --print-env)"`,
    );
  }
  throw new MissingBinaryError(
    `No ${name} binary for the integration tests: neither ${variable} nor KUBEBUILDER_ASSETS is set. ` +
      `Build both binaries (needs Go; cached under ~/.cache/l4gw/envtest) and export their location with:\n` +
      `  eval "$(tools/envtest/build.sh --print-env)"\n` +
      `or set KUBEBUILDER_ASSETS to a directory that already holds etcd and kube-apiserver ` +
      `(for example one made by setup-envtest).`,
  );
}
