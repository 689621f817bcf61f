// DP2 `create` and DP3 `duplicate`, the prototype's selector behaviours: a LoadBalancer Service
// with a Pod selector per backend, in the backend's namespace, carrying the Gateway's VIP. Several
// listeners of one Gateway that realise the same backend share one Service (a port each).

import type { RealisedListener, ResolvedBackend, ResolvedGateway, WinningRoute } from '../model/graph.js';
import type { KubeObject } from '../model/kube.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ServiceNameClaims } from './claims.js';
import type { FeedbackCollector } from './feedback.js';
import { messages } from './messages.js';
import { announcerStyle, generatedLabels, generatedVipSpec, infrastructureAnnotations, ownerReferencesFor, vipAnnotations } from './metadata.js';
import { dns1035Name } from './names.js';
import { listenerPortName } from './endpoints.js';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A selector Service being assembled from one or more listeners. */
interface PendingService {
  readonly gateway: ResolvedGateway;
  readonly namespace: string;
  readonly name: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: { name: string; port: number; protocol: string; targetPort: number | string }[];
}

/**
 * Assembles DP2/DP3 Services for the selector-behaviour listeners of realisable Gateways.
 * Reports through `feedback` what keeps a route from being realised: missing selector labels,
 * a backend in another namespace (create), a backend without selector (duplicate), or a name
 * held by a user's Service or another Gateway.
 */
export class SelectorServices {
  private readonly pending = new Map<string, PendingService>();

  constructor(
    private readonly claims: ServiceNameClaims,
    private readonly feedback: FeedbackCollector,
  ) {}

  /** Adds the Service (or port) that `listener` of `gateway` needs; `backend` is the one DP5 keeps. */
  add(gateway: ResolvedGateway, listener: RealisedListener, winner: WinningRoute, backend: ResolvedBackend): void {
    const wanted = winner.behaviour === 'create' ? this.createTarget(gateway, listener, winner, backend) : this.duplicateTarget(gateway, listener, winner, backend);
    if (wanted === undefined) return;
    const { namespace, name, selector, targetPort } = wanted;
    const key = `${namespace}/${name}`;
    const existing = this.pending.get(key);
    const sameOwner = existing !== undefined && existing.gateway.key === gateway.key && sameSelector(existing.selector, selector);
    const claim = existing !== undefined && !sameOwner ? 'taken' : this.claims.claim(namespace, name, `${gateway.key}#selector`);
    if (claim !== 'granted') {
      this.report(winner, gateway, 'ResolvedRefs', 'BackendNotFound',
        claim === 'foreign' ? messages.foreignService(namespace, name, winner.behaviour) : messages.claimedElsewhere(namespace, name));
      return;
    }
    const port = { name: listenerPortName(listener), port: listener.port, protocol: listener.protocol, targetPort };
    if (existing !== undefined) existing.ports.push(port);
    else this.pending.set(key, { gateway, namespace, name, selector, ports: [port] });
  }

  /** The assembled Services. */
  objects(options: ReconcileOptions): KubeObject[] {
    return [...this.pending.values()].map((pending) => selectorService(pending, options));
  }

  private createTarget(gateway: ResolvedGateway, listener: RealisedListener, winner: WinningRoute, backend: ResolvedBackend) {
    const missing = [
      ...(winner.selectorKey === undefined || winner.selectorKey === '' ? ['selectorkey'] : []),
      ...(winner.selectorValue === undefined ? ['selectorvalue'] : []),
    ];
    if (missing.length > 0) {
      this.report(winner, gateway, 'ResolvedRefs', 'BackendNotFound', messages.missingSelectorLabels(missing));
      return undefined;
    }
    const namespace = backend.ref.namespace;
    if (namespace !== winner.route.meta.namespace) {
      this.report(winner, gateway, 'ResolvedRefs', 'RefNotPermitted', messages.createOtherNamespace(namespace));
      return undefined;
    }
    if (!DNS1035_LABEL.test(backend.ref.name) || backend.ref.name.length > 63) {
      this.report(winner, gateway, 'ResolvedRefs', 'BackendNotFound', messages.invalidServiceName(backend.ref.name));
      return undefined;
    }
    return {
      namespace,
      name: backend.ref.name,
      selector: { [winner.selectorKey as string]: winner.selectorValue as string },
      // No backend Service exists to resolve a targetPort from: the backendRef port is the Pods' port.
      targetPort: backend.ref.port ?? listener.port,
    };
  }

  private duplicateTarget(gateway: ResolvedGateway, _listener: RealisedListener, winner: WinningRoute, backend: ResolvedBackend) {
    const target = backend.target;
    if (target === undefined) return undefined; // the front half already reported why (RT4)
    const { namespace, name } = target.service.meta;
    const selector = target.service.selector;
    if (selector === undefined || Object.keys(selector).length === 0) {
      this.report(winner, gateway, 'ResolvedRefs', 'BackendNotFound', messages.noSelectorToDuplicate(namespace, name));
      return undefined;
    }
    return {
      namespace,
      name: dns1035Name([name, gateway.gateway.meta.name]),
      selector,
      // DP5: the backend port's own targetPort, not backendRef.port (the prototype's defect).
      targetPort: target.servicePort.targetPort ?? target.servicePort.port,
    };
  }

  private report(winner: WinningRoute, gateway: ResolvedGateway, condition: 'ResolvedRefs' | 'PartiallyInvalid', reason: string, message: string): void {
    this.feedback.add({ route: winner.key, gateway: gateway.key, condition, reason, message });
  }
}

function sameSelector(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

function selectorService(pending: PendingService, options: ReconcileOptions): KubeObject {
  const { gateway, namespace, name } = pending;
  const ownerReferences = ownerReferencesFor(gateway, namespace);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      labels: generatedLabels(gateway),
      annotations: { ...infrastructureAnnotations(gateway), ...vipAnnotations(gateway, announcerStyle(gateway, options)) },
      ...(ownerReferences === undefined ? {} : { ownerReferences }),
    },
    spec: {
      ...generatedVipSpec(gateway, announcerStyle(gateway, options)),
      selector: { ...pending.selector },
      ports: pending.ports.map((port) => ({ ...port })),
    },
  };
}
