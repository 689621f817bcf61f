import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readEnvtestVersions } from './versions.js';

const execFileAsync = promisify(execFile);

/**
 * Which Gateway API CRDs a control plane gets:
 * - `v1.6-experimental` (default): v1.6 experimental channel; TCPRoute/UDPRoute served as v1 (storage) and v1alpha2.
 * - `v1.6-standard`: v1.6 standard channel; TCPRoute/UDPRoute served as v1 only.
 * - `legacy-experimental`: an older experimental channel (v1.5) serving TCPRoute/UDPRoute as v1alpha2 only.
 * - `v1.7-experimental`: the next release's experimental channel (bundle-version v1.7.x, GC3).
 * - `none`: no CRDs at all (what an adapter sees on a cluster without Gateway API).
 * - `{ directories }`: any other directories of CRD YAML.
 */
export type CrdSet = 'v1.6-experimental' | 'v1.6-standard' | 'legacy-experimental' | 'v1.7-experimental' | 'none' | { directories: readonly string[] };

/** Environment variables tools/envtest/build.sh exports for each named set. */
export const CRD_SET_VARIABLES = {
  'v1.6-standard': 'L4GW_GATEWAY_API_CRDS_V16_STANDARD',
  'v1.6-experimental': 'L4GW_GATEWAY_API_CRDS_V16_EXPERIMENTAL',
  'legacy-experimental': 'L4GW_GATEWAY_API_CRDS_LEGACY_EXPERIMENTAL',
  'v1.7-experimental': 'L4GW_GATEWAY_API_CRDS_V17_EXPERIMENTAL',
} as const;

/** Asks Go for the module directory of `sigs.k8s.io/gateway-api@version` (downloading it if needed). */
async function gatewayApiModuleDir(version: string): Promise<string> {
  const module = `sigs.k8s.io/gateway-api@${version}`;
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync('go', ['mod', 'download', '-json', module], { maxBuffer: 4 * 1024 * 1024 }));
  } catch (error) {
    throw new Error(
      `Could not locate the Gateway API CRDs: \`go mod download -json ${module}\` failed (${(error as Error).message.split('\n')[0]}). ` +
        `Install Go, or run \`eval "$(tools/envtest/build.sh --print-env)"\` on a machine with Go, ` +
        `or set ${Object.values(CRD_SET_VARIABLES).join(' / ')} to the CRD directories.`,
    );
  }
  const parsed: unknown = JSON.parse(stdout);
  const dir = typeof parsed === 'object' && parsed !== null && 'Dir' in parsed ? parsed.Dir : undefined;
  if (typeof dir !== 'string') throw new Error(`go mod download -json ${module} printed no Dir`);
  return dir;
}

/**
 * Resolves a {@link CrdSet} to the directories holding its YAML: the build script's environment
 * variable when set, otherwise `go mod download -json sigs.k8s.io/gateway-api@<version>` →
 * `Dir/config/crd/<channel>` with the versions pinned in tools/envtest/versions.env.
 */
export async function crdDirectories(set: CrdSet, env: NodeJS.ProcessEnv = process.env): Promise<readonly string[]> {
  if (set === 'none') return [];
  if (typeof set === 'object') return set.directories;
  const fromEnv = env[CRD_SET_VARIABLES[set]];
  if (fromEnv) return [fromEnv];
  const versions = readEnvtestVersions();
  switch (set) {
    case 'v1.6-standard':
      return [join(await gatewayApiModuleDir(versions.gatewayApi), 'config', 'crd', 'standard')];
    case 'v1.6-experimental':
      return [join(await gatewayApiModuleDir(versions.gatewayApi), 'config', 'crd', 'experimental')];
    case 'legacy-experimental':
      return [join(await gatewayApiModuleDir(versions.gatewayApiLegacy), 'config', 'crd', 'experimental')];
    case 'v1.7-experimental':
      // Its module needs a newer Go than the tests' to be downloaded whole; build.sh extracts the CRDs.
      throw new Error(
        `The Gateway API ${versions.gatewayApiNext} CRDs are read from its module zip by tools/envtest/build.sh: ` +
          `run the tests through tools/envtest/with-env.sh, or set ${CRD_SET_VARIABLES[set]}.`,
      );
  }
}
