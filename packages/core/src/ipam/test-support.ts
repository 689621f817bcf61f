// Helpers shared by the IPAM tests (not exported from the package).

import { formatAddress, type IpFamily } from './address.js';
import type { AllocationOutcome, GatewayIpamInput } from './allocation.js';
import { parseIpamConfigMap, type IpamConfig, type Pool } from './config.js';
import { poolsForNamespace } from './selection.js';

export const KUBEVIP = { namespace: 'kube-system', name: 'kubevip' } as const;

/** Parses data as the `kube-system/kubevip` ConfigMap. */
export function kubevip(data: Record<string, unknown>): IpamConfig {
  return parseIpamConfigMap(KUBEVIP, data);
}

/** Every address of a pool family, raw (the `.0`/`.255` rule not applied); small pools only. */
export function enumerate(pool: Pool, family: IpFamily): string[] {
  const out: string[] = [];
  for (const range of pool.ranges[family]) {
    for (let v = range.first; v <= range.last; v++) out.push(formatAddress({ family, value: v }));
  }
  return out;
}

/** A Gateway in `namespace` wanting one address from the namespace's pools in `configs`. */
export function gateway(
  name: string,
  configs: readonly IpamConfig[],
  extra: Partial<GatewayIpamInput> & { namespace?: string } = {},
): GatewayIpamInput {
  const namespace = extra.namespace ?? 'default';
  return {
    key: `${namespace}/${name}`,
    namespace,
    creationTimestamp: '2024-01-01T00:00:00Z',
    held: [],
    requests: [],
    pools: poolsForNamespace(configs, namespace),
    ...extra,
  };
}

/** The status addresses of an outcome. */
export function addressesOf(outcome: AllocationOutcome | undefined): (string | undefined)[] {
  return outcome?.addresses.map((a) => a.address) ?? [];
}
