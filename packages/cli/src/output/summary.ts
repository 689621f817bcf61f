// The human summary of `reconcile -o table`: one block per Gateway (class, address, Programmed,
// listeners with their attached routes, generated Services), one per ListenerSet (parent,
// Accepted, Programmed, listeners) and one line per route parent.

import type { KubeObject } from '@l4gw/core';
import { groupOf } from '../cluster.js';
import { formatTable } from './table.js';

const GATEWAY_API = 'gateway.networking.k8s.io';
// GW8 labels (core's model/labels.ts), as core writes them on every generated object.
const LABEL_GATEWAY_NAME = 'gateway.networking.k8s.io/gateway-name';
const LABEL_GATEWAY_NAMESPACE = 'l4gw.io/gateway-namespace';
const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
const MANAGED_BY_VALUE = 'l4gw';
const ANNOTATION_UPDATE_ORIGINAL = 'l4gw.io/original';

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function array(value: unknown): Json[] {
  return Array.isArray(value) ? value.map(record) : [];
}

function text(value: unknown, fallback = ''): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : fallback;
}

function qualified(object: KubeObject): string {
  return object.metadata.namespace === undefined ? object.metadata.name : `${object.metadata.namespace}/${object.metadata.name}`;
}

/** `True`, or `False (Reason)`, for the named condition; `-` when absent. */
function conditionCell(conditions: unknown, type: string): string {
  const condition = array(conditions).find((entry) => entry['type'] === type);
  if (condition === undefined) return '-';
  const status = text(condition['status'], '?');
  const reason = text(condition['reason']);
  return status === 'True' || reason === '' || reason === type ? status : `${status} (${reason})`;
}

function byName(a: KubeObject, b: KubeObject): number {
  const left = qualified(a);
  const right = qualified(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/**
 * Services l4gw generated for each Gateway (GW8 labels), wherever they live (DP2/DP3 use the
 * backend's namespace), keyed `namespace/name` of the Gateway. Built once: looking them up per
 * Gateway would be quadratic on large inputs.
 */
function generatedServicesByGateway(objects: readonly KubeObject[]): Map<string, string[]> {
  const byGateway = new Map<string, string[]>();
  for (const service of [...objects].sort(byName)) {
    if (service.apiVersion !== 'v1' || service.kind !== 'Service') continue;
    const labels = service.metadata.labels ?? {};
    // Generated Services are managed by l4gw; update-mode Services (DP4) stay the user's but
    // carry the saved original fields.
    const ours = labels[LABEL_MANAGED_BY] === MANAGED_BY_VALUE || service.metadata.annotations?.[ANNOTATION_UPDATE_ORIGINAL] !== undefined;
    const gateway = labels[LABEL_GATEWAY_NAME];
    if (!ours || gateway === undefined) continue;
    const key = `${labels[LABEL_GATEWAY_NAMESPACE] ?? service.metadata.namespace}/${gateway}`;
    byGateway.set(key, [...(byGateway.get(key) ?? []), qualified(service)]);
  }
  return byGateway;
}

/** One line per listener of `spec.listeners`: name, port/protocol, attached routes, Accepted when not True. */
function listenerLines(spec: Json, status: Json): string {
  const listenerStatus = new Map(array(status['listeners']).map((entry) => [text(entry['name']), entry] as const));
  return array(spec['listeners'])
    .map((listener) => {
      const name = text(listener['name']);
      const observed = listenerStatus.get(name);
      const attached = observed === undefined ? '-' : text(observed['attachedRoutes'], '0');
      const accepted = observed === undefined ? '' : conditionCell(observed['conditions'], 'Accepted');
      const flag = accepted === 'True' || accepted === '' ? '' : ` Accepted=${accepted}`;
      return `${name} ${text(listener['port'])}/${text(listener['protocol'])} routes=${attached}${flag}`;
    })
    .join('\n');
}

function gatewayRow(gateway: KubeObject, services: ReadonlyMap<string, string[]>): string[] {
  const spec = record(gateway['spec']);
  const status = record(gateway['status']);
  const addresses = array(status['addresses']).map((address) => text(address['value']));
  return [
    qualified(gateway),
    text(spec['gatewayClassName']),
    addresses.length === 0 ? '<none>' : addresses.join('\n'),
    conditionCell(status['conditions'], 'Programmed'),
    listenerLines(spec, status),
    (services.get(qualified(gateway)) ?? []).join('\n') || '<none>',
  ];
}

function listenerSetRow(listenerSet: KubeObject): string[] {
  const spec = record(listenerSet['spec']);
  const status = record(listenerSet['status']);
  const parent = record(spec['parentRef']);
  return [
    qualified(listenerSet),
    `${text(parent['namespace'] ?? listenerSet.metadata.namespace)}/${text(parent['name'])}`,
    conditionCell(status['conditions'], 'Accepted'),
    conditionCell(status['conditions'], 'Programmed'),
    listenerLines(spec, status),
  ];
}

function routeRows(route: KubeObject, controllerName: string): string[][] {
  const parents = array(record(route['status'])['parents']).filter((parent) => parent['controllerName'] === controllerName);
  if (parents.length === 0) return [[`${route.kind} ${qualified(route)}`, '<not ours>', '-', '-']];
  return parents.map((parent) => {
    const ref = record(parent['parentRef']);
    const section = ref['sectionName'] === undefined ? '' : `/${text(ref['sectionName'])}`;
    // Gateways are the usual parent; any other kind (ListenerSet, LS4) is named.
    const kind = ref['kind'] === undefined || ref['kind'] === 'Gateway' ? '' : `${text(ref['kind'])} `;
    // A parentRef without namespace names the route's own namespace (RT3 copies it as written).
    const namespace = `${text(ref['namespace'] ?? route.metadata.namespace)}/`;
    return [
      `${route.kind} ${qualified(route)}`,
      `${kind}${namespace}${text(ref['name'])}${section}`,
      conditionCell(parent['conditions'], 'Accepted'),
      conditionCell(parent['conditions'], 'ResolvedRefs'),
    ];
  });
}

/**
 * Renders the cluster after reconciliation as two tables, Gateways then routes, sorted by
 * namespace/name so the summary reads the same whatever order the manifests came in.
 */
export function formatSummary(objects: readonly KubeObject[], controllerName: string): string {
  const of = (kind: string) =>
    objects.filter((object) => groupOf(object.apiVersion) === GATEWAY_API && object.kind === kind).sort(byName);
  const services = generatedServicesByGateway(objects);
  const gateways = formatTable(
    ['GATEWAY', 'CLASS', 'ADDRESS', 'PROGRAMMED', 'LISTENERS', 'SERVICES'],
    of('Gateway').map((gateway) => gatewayRow(gateway, services)),
  );
  const routes = formatTable(
    ['ROUTE', 'PARENT', 'ACCEPTED', 'RESOLVED REFS'],
    [...of('TCPRoute'), ...of('UDPRoute')].flatMap((route) => routeRows(route, controllerName)),
  );
  // Only when there are ListenerSets: the summary of a cluster without them stays two tables.
  const listenerSets = of('ListenerSet');
  const listenerSetTable =
    listenerSets.length === 0 ? '' : `\n\n${formatTable(['LISTENERSET', 'PARENT', 'ACCEPTED', 'PROGRAMMED', 'LISTENERS'], listenerSets.map(listenerSetRow))}`;
  return `${gateways}${listenerSetTable}\n\n${routes}\n`;
}
