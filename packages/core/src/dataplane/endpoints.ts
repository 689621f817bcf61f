// DP1, the default behaviour: one selectorless LoadBalancer Service per Gateway, a port per
// listener realised this way, and EndpointSlices that mirror the winning route's backends.
// Weights (RT6): kube-proxy spreads connections evenly over endpoints, so a weight only decides
// whether a backend takes part (weight 0 and unresolved backends contribute no endpoints); the
// split between backends follows their endpoint counts, not their weights.

import type { Diagnostic } from '../model/desired.js';
import type { BackendTarget, RealisedListener, ResolvedBackend, ResolvedGateway, ResolvedGraph, SnapshotIndex } from '../model/graph.js';
import type { ParsedEndpointSlice, ParsedService } from '../model/parsed.js';
import type { KubeObject } from '../model/kube.js';
import {
  ENDPOINTSLICE_MANAGED_BY_VALUE,
  LABEL_ENDPOINTSLICE_MANAGED_BY,
  LABEL_SERVICE_NAME,
} from '../model/labels.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ServiceNameClaims } from './claims.js';
import { messages } from './messages.js';
import { chunk, MAX_ENDPOINTS_PER_SLICE, mirrorEndpoints, type EndpointGroup, type MirroredEndpoint } from './mirror.js';
import { announcerStyle, generatedLabels, generatedVipSpec, infrastructureAnnotations, ownerReferencesFor, vipAnnotations } from './metadata.js';
import { dns1035Name } from './names.js';

/** The EndpointSlices of backend Services, each Service's sorted by name. */
export interface EndpointSliceLookup {
  /** What `of` looks in (`SnapshotIndex.endpointSlicesByService`): the same instance while no slice changed. */
  readonly index: SnapshotIndex['endpointSlicesByService'];
  readonly of: (service: ParsedService) => readonly ParsedEndpointSlice[];
}

/** The EndpointSlices of the graph's backend Services. */
export function endpointSliceLookup(graph: ResolvedGraph): EndpointSliceLookup {
  const slicesByService = graph.index.endpointSlicesByService;
  return {
    index: slicesByService,
    of: (service: ParsedService): readonly ParsedEndpointSlice[] => slicesByService.get(service.meta.namespace)?.get(service.meta.name) ?? NO_SLICES,
  };
}

const NO_SLICES: readonly ParsedEndpointSlice[] = Object.freeze([]);

/**
 * The listeners of a Gateway that DP1 realises: those whose winning route uses `endpoints`, and
 * (DP0) those no route has won yet, whatever behaviour a future route may bring. So a Programmed
 * Gateway's VIP is on a Service from the start, visible to the announcer and to every allocator
 * that reads Services; a listener moves to its selector Service (DP2–DP4) once such a route wins.
 */
export function endpointsListeners(gateway: ResolvedGateway): readonly RealisedListener[] {
  return gateway.realisable ? gateway.listeners.filter((l) => l.winner === undefined || l.winner.behaviour === 'endpoints') : [];
}

/** The Service port name of a listener: its name when that is a DNS-1035 label, else a hashed form. */
export function listenerPortName(listener: RealisedListener): string {
  return dns1035Name([listener.name]);
}

/** DP1: the name `<gateway>-<class>` (GW8 naming), or its hashed form. */
export function endpointsServiceName(gateway: ResolvedGateway, hashed: boolean): string {
  return dns1035Name([gateway.gateway.meta.name, gateway.className], hashed);
}

/**
 * DP1: the name of the Service `<gateway>-<class>` (GW8 naming), claimed for `gateway`. When it
 * is held by a user's Service or by another Gateway's, a hashed name is claimed instead; when that
 * is unavailable too, undefined and a diagnostic.
 */
export function claimEndpointsServiceName(gateway: ResolvedGateway, claims: ServiceNameClaims, diagnostics: Diagnostic[]): string | undefined {
  const namespace = gateway.gateway.meta.namespace;
  const plain = endpointsServiceName(gateway, false);
  if (claims.claim(namespace, plain, gateway.key) === 'granted') return plain;
  const hashed = endpointsServiceName(gateway, true);
  if (claims.claim(namespace, hashed, gateway.key) === 'granted') return hashed;
  diagnostics.push({
    severity: 'error',
    object: { apiVersion: gateway.gateway.apiVersion, kind: 'Gateway', namespace, name: gateway.gateway.meta.name },
    message: messages.generatedNameUnavailable(namespace, plain),
  });
  return undefined;
}

/**
 * The work inside DP1 that an engine remembers per backend (engine/endpoints.ts): each function
 * a function of its arguments alone.
 */
export interface EndpointsSteps {
  /** The endpoints of one backend, grouped (./mirror.ts). */
  mirrorEndpoints(target: BackendTarget, slices: readonly ParsedEndpointSlice[]): readonly EndpointGroup[];
}

/** The steps as the rules define them: nothing is remembered. */
const PURE_ENDPOINTS_STEPS: EndpointsSteps = Object.freeze({ mirrorEndpoints });

/**
 * DP1: the Service `name` and its EndpointSlices for the listeners of `gateway` whose winning
 * route uses the `endpoints` behaviour (at least one: a Service needs a port).
 */
export function endpointsObjects(
  gateway: ResolvedGateway,
  listeners: readonly RealisedListener[],
  slicesOf: EndpointSliceLookup,
  name: string,
  options: ReconcileOptions,
  steps: EndpointsSteps = PURE_ENDPOINTS_STEPS,
): readonly KubeObject[] {
  const namespace = gateway.gateway.meta.namespace;
  const labels = generatedLabels(gateway);
  const infrastructure = infrastructureAnnotations(gateway);
  const ownerReferences = ownerReferencesFor(gateway, namespace);
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      labels,
      annotations: { ...infrastructure, ...vipAnnotations(gateway, announcerStyle(gateway, options)) },
      ...(ownerReferences === undefined ? {} : { ownerReferences }),
    },
    spec: {
      ...generatedVipSpec(gateway, announcerStyle(gateway, options)),
      ports: listeners.map((listener) => ({ name: listenerPortName(listener), port: listener.port, protocol: listener.protocol })),
    },
  };

  // Shared by every slice of this Service: desired objects are read-only, so one copy will do.
  const shared: SliceMetadata = {
    labels: { ...labels, [LABEL_SERVICE_NAME]: name, [LABEL_ENDPOINTSLICE_MANAGED_BY]: ENDPOINTSLICE_MANAGED_BY_VALUE },
    annotations: isEmptyRecord(infrastructure) ? undefined : infrastructure,
    ownerReferences,
  };
  const objects: KubeObject[] = [service];
  for (const listener of listeners) {
    for (const backend of listener.winner?.backends ?? []) {
      addBackendSlices(objects, gateway, name, listener, backend, slicesOf, shared, steps);
    }
  }
  return objects;
}

/** Metadata every mirrored slice of one Service carries. */
interface SliceMetadata {
  /** GW8 labels plus the EndpointSlice ones. */
  readonly labels: Readonly<Record<string, string>>;
  /** The Gateway's infrastructure annotations and their record, or undefined when it has none. */
  readonly annotations: Readonly<Record<string, string>> | undefined;
  readonly ownerReferences: ReturnType<typeof ownerReferencesFor>;
}

function isEmptyRecord(record: Readonly<Record<string, unknown>>): boolean {
  for (const key in record) if (Object.hasOwn(record, key)) return false;
  return true;
}

/**
 * Adds the mirrored EndpointSlices of one backend of one listener to `out`: one per family (and
 * target port), chunked. Pushed into the caller's list rather than returned, to spare an
 * intermediate array per backend (there are two per Gateway in a typical cluster).
 */
function addBackendSlices(
  out: KubeObject[],
  gateway: ResolvedGateway,
  serviceName: string,
  listener: RealisedListener,
  backend: ResolvedBackend,
  slicesOf: EndpointSliceLookup,
  shared: SliceMetadata,
  steps: EndpointsSteps,
): void {
  const target = backend.target;
  if (target === undefined || backend.weight <= 0) return;
  const namespace = gateway.gateway.meta.namespace;
  const portName = listenerPortName(listener);
  for (const group of steps.mirrorEndpoints(target, slicesOf.of(target.service))) {
    const chunks = chunk(group.endpoints, MAX_ENDPOINTS_PER_SLICE);
    for (let index = 0; index < chunks.length; index++) {
      const nameParts = [
        serviceName,
        listener.name,
        target.service.meta.namespace,
        target.service.meta.name,
        String(target.servicePort.port),
        group.addressType.toLowerCase(),
        String(group.targetPort),
      ];
      if (index > 0) nameParts.push(String(index));
      out.push({
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: dns1035Name(nameParts, true),
          namespace,
          labels: shared.labels,
          ...(shared.annotations === undefined ? {} : { annotations: shared.annotations }),
          ...(shared.ownerReferences === undefined ? {} : { ownerReferences: shared.ownerReferences }),
        },
        addressType: group.addressType,
        ports: [{ name: portName, port: group.targetPort, protocol: listener.protocol }],
        endpoints: chunks[index] as readonly MirroredEndpoint[],
      });
    }
  }
}
