// Reads core's Snapshot from a live cluster, read-only, for `l4gw ipam` and `reconcile -kubeconfig`. Plain GETs
// of each list (raw JSON, as core wants it: client-node's typed deserialisation would turn
// timestamps into Date objects), trying the newest served version of each Gateway API kind.

import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeObject, Snapshot, SnapshotList } from '@l4gw/core';
import { CliError, ExitCode } from './errors.js';

interface ListSpec {
  readonly field: SnapshotList;
  readonly kind: string;
  /** `apiVersion` and resource path prefix, newest first: the first one served is used (RT1). */
  readonly versions: readonly { readonly apiVersion: string; readonly path: string }[];
  /** Served by every Kubernetes API server: a 404 means the address is not one. */
  readonly required?: true;
}

/** The server answered 404 for a list every Kubernetes API server serves. */
export class CoreApiNotServed extends Error {
  constructor(server: string, path: string) {
    super(`${server} answered 404 for ${path}, which every Kubernetes API server serves: is -kubeconfig or -master pointing at the API server?`);
    this.name = 'CoreApiNotServed';
  }
}

const gatewayApi = (resource: string, ...versions: string[]) =>
  versions.map((version) => ({ apiVersion: `gateway.networking.k8s.io/${version}`, path: `/apis/gateway.networking.k8s.io/${version}/${resource}` }));

const LISTS: readonly ListSpec[] = [
  { field: 'gatewayClasses', kind: 'GatewayClass', versions: gatewayApi('gatewayclasses', 'v1') },
  { field: 'gateways', kind: 'Gateway', versions: gatewayApi('gateways', 'v1') },
  { field: 'listenerSets', kind: 'ListenerSet', versions: gatewayApi('listenersets', 'v1') },
  { field: 'tcpRoutes', kind: 'TCPRoute', versions: gatewayApi('tcproutes', 'v1', 'v1alpha2') },
  { field: 'udpRoutes', kind: 'UDPRoute', versions: gatewayApi('udproutes', 'v1', 'v1alpha2') },
  { field: 'referenceGrants', kind: 'ReferenceGrant', versions: gatewayApi('referencegrants', 'v1', 'v1beta1') },
  { field: 'namespaces', kind: 'Namespace', versions: [{ apiVersion: 'v1', path: '/api/v1/namespaces' }], required: true },
  { field: 'services', kind: 'Service', versions: [{ apiVersion: 'v1', path: '/api/v1/services' }], required: true },
  { field: 'endpointSlices', kind: 'EndpointSlice', versions: [{ apiVersion: 'discovery.k8s.io/v1', path: '/apis/discovery.k8s.io/v1/endpointslices' }], required: true },
  { field: 'configMaps', kind: 'ConfigMap', versions: [{ apiVersion: 'v1', path: '/api/v1/configmaps' }], required: true },
];

type Get = ((path: string) => Promise<{ status: number; body: string }>) & { readonly server: string };

async function getter(kubeConfig: KubeConfig): Promise<Get> {
  const { IsomorphicFetchHttpLibrary, RequestContext, HttpMethod } = await import('@kubernetes/client-node');
  const http = new IsomorphicFetchHttpLibrary();
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined) throw new CliError(ExitCode.runtime, 'the kubeconfig has no current cluster');
  const get = async (path: string): Promise<{ status: number; body: string }> => {
    const context = new RequestContext(new URL(path, server).toString(), HttpMethod.GET);
    await kubeConfig.applySecurityAuthentication(context);
    context.setHeaderParam('Accept', 'application/json');
    const response = await http.send(context).toPromise();
    return { status: response.httpStatusCode, body: await response.body.text() };
  };
  return Object.assign(get, { server });
}

async function listAll(get: Get, spec: ListSpec): Promise<KubeObject[]> {
  for (const { apiVersion, path } of spec.versions) {
    const items: KubeObject[] = [];
    let continueToken = '';
    for (;;) {
      const query = `?limit=500${continueToken === '' ? '' : `&continue=${encodeURIComponent(continueToken)}`}`;
      const response = await get(path + query);
      // Not served (no CRD, or an older Gateway API): try the next version, else nothing.
      if (response.status === 404 && spec.required) throw new CoreApiNotServed(get.server, path);
      if (response.status === 404) break;
      if (response.status < 200 || response.status >= 300) {
        throw new CliError(ExitCode.runtime, `GET ${path}: HTTP ${response.status}: ${response.body.slice(0, 300)}`);
      }
      const list = JSON.parse(response.body) as { items?: KubeObject[]; metadata?: { continue?: string } };
      // List items from the API server omit apiVersion and kind; core reads them.
      // managedFields are bookkeeping of the API server that neither core nor a reader needs.
      for (const item of list.items ?? []) {
        const { managedFields: _managedFields, ...metadata } = item.metadata as KubeObject['metadata'] & { managedFields?: unknown };
        items.push({ ...item, apiVersion, kind: spec.kind, metadata });
      }
      continueToken = list.metadata?.continue ?? '';
      if (continueToken === '') return items;
    }
  }
  return [];
}

/** Lists everything core reads from the cluster `kubeConfig` points at. */
export async function snapshotFromCluster(kubeConfig: KubeConfig): Promise<Snapshot> {
  const get = await getter(kubeConfig);
  const lists = await Promise.all(LISTS.map(async (spec) => [spec.field, await listAll(get, spec)] as const));
  return Object.fromEntries(lists) as unknown as Snapshot;
}
