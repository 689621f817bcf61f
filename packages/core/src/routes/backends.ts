import type { ConditionDraft, ResolvedBackend } from '../model/graph.js';
import type { ParsedBackendRef, ParsedRoute, ParsedService } from '../model/parsed.js';
import { KIND_SERVICE } from '../parse/api.js';
import { condition } from '../status/conditions.js';
import { Message } from '../status/messages.js';
import { ConditionType, RouteReason } from '../status/reasons.js';
import type { ReferenceGrantIndex } from './reference-grants.js';

/** Lookups by key: all backend resolution reads of the Services (an engine records them, engine/lookup-generation.ts). */
export interface KeyLookup<V> {
  get(key: string): V | undefined;
}

/** The lookups backend resolution needs, built once per reconcile. */
export interface BackendLookups {
  /** Services by `namespace/name`. */
  readonly services: KeyLookup<ParsedService>;
  readonly grants: ReferenceGrantIndex;
}

export interface BackendResolution {
  readonly backends: readonly ResolvedBackend[];
  /** RT4: True only when every backendRef resolves; else the first failure's reason, all messages. */
  readonly resolvedRefs: ConditionDraft;
}

const RESOLVED = condition(ConditionType.ResolvedRefs, true, RouteReason.ResolvedRefs, Message.routeResolvedRefs);

/**
 * How a backendRef is read. `reference` (endpoints, duplicate, update): it names an existing
 * Service. `create` (DP2): it names the Service l4gw will create, so a missing Service or port is
 * expected, not BackendNotFound — otherwise the status would flip once the Service exists (R1).
 */
export type BackendMode = 'reference' | 'create';

/**
 * RT4/RT6: resolves the backendRefs of the rule in use (the first, RT1). The grant is checked
 * before existence so that a route without a grant learns nothing about the other namespace
 * (spec §4.2: the message is about the missing grant only).
 */
export function resolveBackends(route: ParsedRoute, lookups: BackendLookups, mode: BackendMode = 'reference'): BackendResolution {
  const refs = route.rules[0]?.backendRefs ?? [];
  const backends: ResolvedBackend[] = [];
  const failures: { reason: string; message: string }[] = [];
  refs.forEach((ref, index) => {
    const outcome = resolveOne(route, ref, lookups);
    if ('reason' in outcome && mode === 'create' && outcome.reason === RouteReason.BackendNotFound) {
      backends.push({ index, ref, weight: ref.weight });
    } else if ('reason' in outcome) {
      failures.push(outcome);
      backends.push({ index, ref, weight: ref.weight });
    } else {
      backends.push({ index, ref, weight: ref.weight, target: outcome });
    }
  });
  const first = failures[0];
  const resolvedRefs =
    first === undefined
      ? RESOLVED
      : condition(ConditionType.ResolvedRefs, false, first.reason, failures.map((f) => f.message).join('; '));
  return { backends, resolvedRefs };
}

function resolveOne(
  route: ParsedRoute,
  ref: ParsedBackendRef,
  lookups: BackendLookups,
): NonNullable<ResolvedBackend['target']> | { reason: string; message: string } {
  if (ref.group !== '' || ref.kind !== KIND_SERVICE) {
    return { reason: RouteReason.InvalidKind, message: Message.backendInvalidKind(ref.group, ref.kind) };
  }
  if (!lookups.grants.allowsServiceRef(route.kind, route.meta.namespace, ref.namespace, ref.name)) {
    return { reason: RouteReason.RefNotPermitted, message: Message.backendRefNotPermitted(ref.namespace, ref.name) };
  }
  const key = ref.backendKey;
  const service = ref.name === '' ? undefined : lookups.services.get(key);
  if (service === undefined) {
    return { reason: RouteReason.BackendNotFound, message: Message.backendNotFound(ref.namespace, ref.name) };
  }
  if (service.type === 'ExternalName') {
    // R5: ExternalName would let a route reach any DNS name (CVE-2021-25740).
    return { reason: RouteReason.InvalidKind, message: Message.backendExternalName(key) };
  }
  if (ref.port === undefined) {
    return { reason: RouteReason.BackendNotFound, message: Message.backendPortMissing(key) };
  }
  // A Service may expose one port number for both TCP and UDP (DNS); pick the route's protocol.
  const protocol = route.kind === 'UDPRoute' ? 'UDP' : 'TCP';
  const servicePort = service.ports.find((p) => p.port === ref.port && p.protocol === protocol);
  if (servicePort === undefined) {
    return {
      reason: RouteReason.BackendNotFound,
      message: Message.backendPortNotFound(ref.namespace, ref.name, ref.port),
    };
  }
  const target = servicePort.targetPort;
  return typeof target === 'string'
    ? { service, servicePort, targetPortName: target }
    : { service, servicePort, targetPort: target ?? servicePort.port };
}
