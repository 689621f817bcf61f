// Parsers for the core/v1 and discovery/v1 kinds core reads: Namespace, Service, EndpointSlice, ConfigMap.

import type {
  ParsedConfigMap,
  ParsedEndpoint,
  ParsedEndpointSlice,
  ParsedEndpointSlicePort,
  ParsedMeta,
  ParsedNamespace,
  ParsedService,
  ParsedServicePort,
} from '../model/parsed.js';
import type { KubeObject } from '../model/kube.js';
import { LABEL_SERVICE_NAME } from '../model/labels.js';
import { asKubeObject, parseMeta, type DiagnosticSink } from './meta.js';
import { array, bool, field, isRecord, port, record, str, stringArray, stringMap, type Mutable } from './primitives.js';

const NO_STRINGS: readonly string[] = Object.freeze([]);

export function parseNamespace(raw: unknown, sink: DiagnosticSink): ParsedNamespace | undefined {
  const meta = parseMeta(raw, 'Namespace', false, sink);
  return meta === undefined ? undefined : { name: meta.name, labels: meta.labels };
}

/** Parses a Service; ports without a valid port number are dropped (they cannot be referenced). */
export function parseService(raw: unknown, sink: DiagnosticSink): ParsedService | undefined {
  const meta = parseMeta(raw, 'Service', true, sink);
  if (meta === undefined) return undefined;
  const spec = record(raw, 'spec');
  const ports: ParsedServicePort[] = [];
  for (const p of array(spec, 'ports')) {
    const number = port(p, 'port');
    if (number === undefined) continue;
    const target = field(p, 'targetPort');
    const targetPort =
      typeof target === 'number' && Number.isSafeInteger(target) && target >= 1 && target <= 65535
        ? target
        : typeof target === 'string' && target !== ''
          ? target
          : undefined;
    const nodePort = port(p, 'nodePort');
    const appProtocol = str(p, 'appProtocol');
    const parsed: Mutable<ParsedServicePort> = { name: str(p, 'name') ?? '', port: number, protocol: str(p, 'protocol') ?? 'TCP' };
    if (targetPort !== undefined) parsed.targetPort = targetPort;
    if (nodePort !== undefined) parsed.nodePort = nodePort;
    if (appProtocol !== undefined) parsed.appProtocol = appProtocol;
    ports.push(parsed);
  }
  const selector = isRecord(field(spec, 'selector')) ? stringMap(spec, 'selector') : undefined;
  const externalName = str(spec, 'externalName');
  const loadBalancerIP = str(spec, 'loadBalancerIP');
  const loadBalancerClass = str(spec, 'loadBalancerClass');
  const ingress = array(record(record(raw, 'status'), 'loadBalancer'), 'ingress');
  const service: Mutable<ParsedService> = {
    meta,
    type: str(spec, 'type') || 'ClusterIP',
    ports,
    ingressIPs:
      ingress.length === 0
        ? NO_STRINGS
        : ingress.map((i) => str(i, 'ip')).filter((ip): ip is string => ip !== undefined && ip !== ''),
    raw: asKubeObject(raw, 'v1', 'Service'),
  };
  if (selector !== undefined) service.selector = selector;
  if (externalName !== undefined) service.externalName = externalName;
  if (loadBalancerIP) service.loadBalancerIP = loadBalancerIP;
  if (loadBalancerClass !== undefined) service.loadBalancerClass = loadBalancerClass;
  return service;
}

/**
 * Parses an EndpointSlice; endpoints without addresses are dropped. Endpoints are parsed on first
 * read: only backend Services' slices are ever read, while a converged cluster also holds every
 * slice l4gw mirrored (as many again), which resolution never looks into.
 */
export function parseEndpointSlice(raw: unknown, sink: DiagnosticSink): ParsedEndpointSlice | undefined {
  const meta = parseMeta(raw, 'EndpointSlice', true, sink);
  if (meta === undefined) return undefined;
  const ports: ParsedEndpointSlicePort[] = array(raw, 'ports').map((p) => {
    const number = port(p, 'port');
    const appProtocol = str(p, 'appProtocol');
    const parsed: Mutable<ParsedEndpointSlicePort> = { name: str(p, 'name') ?? '', protocol: str(p, 'protocol') ?? 'TCP' };
    if (number !== undefined) parsed.port = number;
    if (appProtocol !== undefined) parsed.appProtocol = appProtocol;
    return parsed;
  });
  return new LazyEndpointSlice(
    meta,
    meta.labels[LABEL_SERVICE_NAME] ?? '',
    str(raw, 'addressType') ?? 'IPv4',
    ports,
    array(raw, 'endpoints'),
    asKubeObject(raw, 'discovery.k8s.io/v1', 'EndpointSlice'),
  );
}

/** An EndpointSlice whose endpoints are parsed once, when first read. Pure: same input, same result. */
class LazyEndpointSlice implements ParsedEndpointSlice {
  #rawEndpoints: readonly unknown[];
  #endpoints: readonly ParsedEndpoint[] | undefined;

  constructor(
    readonly meta: ParsedMeta,
    readonly serviceName: string,
    readonly addressType: string,
    readonly ports: readonly ParsedEndpointSlicePort[],
    rawEndpoints: readonly unknown[],
    readonly raw: KubeObject,
  ) {
    this.#rawEndpoints = rawEndpoints;
  }

  get endpoints(): readonly ParsedEndpoint[] {
    this.#endpoints ??= parseEndpoints(this.#rawEndpoints);
    return this.#endpoints;
  }
}

function parseEndpoints(list: readonly unknown[]): ParsedEndpoint[] {
  const endpoints: ParsedEndpoint[] = [];
  for (const e of list) {
    const addresses = stringArray(e, 'addresses');
    if (addresses.length === 0) continue;
    const cond = record(e, 'conditions');
    const ready = bool(cond, 'ready');
    const serving = bool(cond, 'serving');
    const terminating = bool(cond, 'terminating');
    const hostname = str(e, 'hostname');
    const nodeName = str(e, 'nodeName');
    const zone = str(e, 'zone');
    const targetRef = record(e, 'targetRef');
    const endpoint: Mutable<ParsedEndpoint> = { addresses };
    if (ready !== undefined) endpoint.ready = ready;
    if (serving !== undefined) endpoint.serving = serving;
    if (terminating !== undefined) endpoint.terminating = terminating;
    if (hostname !== undefined) endpoint.hostname = hostname;
    if (nodeName !== undefined) endpoint.nodeName = nodeName;
    if (zone !== undefined) endpoint.zone = zone;
    if (targetRef !== undefined) endpoint.targetRef = targetRef;
    endpoints.push(endpoint);
  }
  return endpoints;
}

/** Parses a ConfigMap; non-string data values are dropped. */
export function parseConfigMap(raw: unknown, sink: DiagnosticSink): ParsedConfigMap | undefined {
  const meta = parseMeta(raw, 'ConfigMap', true, sink);
  return meta === undefined ? undefined : { meta, data: stringMap(raw, 'data') };
}
