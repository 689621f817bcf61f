import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The pinned versions of the test control plane (tools/envtest/versions.env). */
export interface EnvtestVersions {
  kubernetes: string;
  etcd: string;
  gatewayApi: string;
  gatewayApiLegacy: string;
  /** The next minor release, whose CRDs (only) the tests install (GC3). */
  gatewayApiNext: string;
}

/** tools/envtest/versions.env, three levels up from both src/ and dist/ of this package. */
const VERSIONS_FILE = fileURLToPath(new URL('../../../tools/envtest/versions.env', import.meta.url));

/**
 * Reads the versions shared with tools/envtest/build.sh, so the CRDs the helper falls back to are
 * the ones the build script would have exported. Throws if the file or a key is missing.
 */
export function readEnvtestVersions(file: string = VERSIONS_FILE): EnvtestVersions {
  const values = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*([A-Z0-9_]+)=(\S+)\s*$/.exec(line);
    if (match?.[1] && match[2]) values.set(match[1], match[2]);
  }
  const get = (key: string): string => {
    const value = values.get(key);
    if (!value) throw new Error(`${file} does not define ${key}`);
    return value;
  };
  return {
    kubernetes: get('K8S_VERSION'),
    etcd: get('ETCD_VERSION'),
    gatewayApi: get('GATEWAY_API_VERSION'),
    gatewayApiLegacy: get('GATEWAY_API_LEGACY_VERSION'),
    gatewayApiNext: get('GATEWAY_API_NEXT_VERSION'),
  };
}
