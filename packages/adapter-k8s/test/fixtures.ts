// Object builders and an operator launcher for the integration tests. Each test file picks its
// own controller name, class, namespace and IPAM pool, so files can share one API server.

import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '@l4gw/core';
import { runOperator, type OperatorHandle } from '../src/operator.js';
import type { OperatorOptions } from '../src/options.js';
import type { TestClient } from './helpers.js';

export const GW = 'gateway.networking.k8s.io/v1';

/** Starts an operator with test-friendly defaults (ephemeral loopback ports, no signal handlers). */
export function startOperator(kubeConfig: KubeConfig, options: OperatorOptions): Promise<OperatorHandle> {
  return runOperator({
    kubeConfig,
    metricsBindAddress: '127.0.0.1:0',
    healthProbeBindAddress: '127.0.0.1:0',
    handleSignals: false,
    logLevel: (process.env['L4GW_TEST_LOG_LEVEL'] as OperatorOptions['logLevel']) ?? 'error',
    logFormat: 'text',
    ...options,
  });
}

/** A GatewayClass; with `parameters`, its parametersRef names that ConfigMap (GC2). */
export function gatewayClass(name: string, controllerName: string, parameters?: { namespace: string; name: string }): KubeObject {
  const parametersRef = parameters === undefined ? undefined : { group: '', kind: 'ConfigMap', name: parameters.name, namespace: parameters.namespace };
  return { apiVersion: GW, kind: 'GatewayClass', metadata: { name }, spec: { controllerName, ...(parametersRef === undefined ? {} : { parametersRef }) } };
}

export function ipamConfigMap(namespace: string, name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace, name }, data };
}

export interface ListenerSpec {
  name: string;
  port: number;
  protocol: 'TCP' | 'UDP';
}

export function gateway(
  namespace: string,
  name: string,
  className: string,
  listeners: readonly ListenerSpec[],
  addresses?: readonly { type?: string; value?: string }[],
): KubeObject {
  return {
    apiVersion: GW,
    kind: 'Gateway',
    metadata: { namespace, name },
    spec: {
      gatewayClassName: className,
      listeners: listeners.map((l) => ({
        ...l,
        allowedRoutes: { namespaces: { from: 'Same' } },
      })),
      ...(addresses ? { addresses } : {}),
    },
  };
}

export function route(
  kind: 'TCPRoute' | 'UDPRoute',
  namespace: string,
  name: string,
  parent: { name: string; namespace?: string; sectionName?: string },
  backends: readonly { name: string; port: number; namespace?: string; weight?: number }[],
  labels?: Record<string, string>,
): KubeObject {
  return {
    apiVersion: GW,
    kind,
    metadata: { namespace, name, ...(labels ? { labels } : {}) },
    spec: {
      parentRefs: [parent],
      rules: [{ backendRefs: backends.map((b) => ({ ...b })) }],
    },
  };
}

export function service(
  namespace: string,
  name: string,
  ports: readonly { name: string; port: number; targetPort: number; protocol: 'TCP' | 'UDP' }[],
  selector: Record<string, string> = { app: name },
): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec: { selector, ports } };
}

/** What kube-controller-manager would write for a backend Service (there is none in envtest). */
export function backendSlice(
  namespace: string,
  service: string,
  port: { name: string; port: number; protocol: 'TCP' | 'UDP' },
  addresses: readonly string[],
  suffix = 'abcde',
): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      namespace,
      name: `${service}-${suffix}`,
      labels: {
        'kubernetes.io/service-name': service,
        'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
      },
    },
    addressType: 'IPv4',
    ports: [port],
    endpoints: addresses.map((a) => ({ addresses: [a], conditions: { ready: true, serving: true, terminating: false } })),
  };
}

/** Objects l4gw generated for a Gateway (found by label, DP8). */
export async function generated(client: TestClient, namespace: string, gatewayName: string) {
  const selector = `gateway.networking.k8s.io/gateway-name=${gatewayName},app.kubernetes.io/managed-by=l4gw`;
  return {
    services: await client.list('v1', 'Service', namespace, selector),
    slices: await client.list('discovery.k8s.io/v1', 'EndpointSlice', namespace, selector),
  };
}

/** `status.addresses[*].value` of a Gateway. */
export function addressesOf(gw: KubeObject | undefined): string[] {
  const st = gw?.['status'] as { addresses?: { value: string }[] } | undefined;
  return (st?.addresses ?? []).map((a) => a.value);
}

/** The route's status.parents condition `type` for our controller. */
export function parentCondition(r: KubeObject | undefined, controllerName: string, type: string) {
  const parents = (r?.['status'] as { parents?: { controllerName: string; conditions?: { type: string; status: string; reason: string }[] }[] } | undefined)
    ?.parents;
  return parents?.find((p) => p.controllerName === controllerName)?.conditions?.find((c) => c.type === type);
}
