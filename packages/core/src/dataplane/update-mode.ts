// DP4 `update`, the prototype's in-place behaviour: the backend Service itself becomes a
// LoadBalancer with the Gateway's VIP. Before the first change, the original value of every field
// l4gw may touch is saved in the `l4gw.io/original` annotation; when no route needs the Service
// any more, those fields are put back exactly and the annotation removed (DP8). Nothing else the
// user wrote is changed, so nothing is lost.
//
// The desired object is always derived from the observed one with as few edits as possible, so
// that server defaults (nodePorts, externalTrafficPolicy) never look like drift to plan.

import type { Diagnostic } from '../model/desired.js';
import type { ObjectKey, RealisedListener, ResolvedBackend, ResolvedGateway, WinningRoute } from '../model/graph.js';
import type { KubeObject } from '../model/kube.js';
import { ANNOTATION_UPDATE_ORIGINAL, LABEL_GATEWAY_CLASS_NAME, LABEL_MANAGED_BY, MANAGED_BY_VALUE, VIP_ANNOTATION_KEYS } from '../model/labels.js';
import type { ReconcileOptions } from '../model/options.js';
import type { ParsedService } from '../model/parsed.js';
import type { FeedbackCollector } from './feedback.js';
import { messages } from './messages.js';
import { announcerStyle, gatewayLabels, vipAnnotations, vipSpec } from './metadata.js';
import { dns1035Name } from './names.js';

/**
 * The spec fields update mode may change, and those the API server adds when a Service becomes
 * a LoadBalancer (saved so a restore removes them again instead of relying on the server).
 */
const SPEC_FIELDS = [
  'type',
  'loadBalancerIP',
  'loadBalancerClass',
  'ports',
  'externalTrafficPolicy',
  'allocateLoadBalancerNodePorts',
  'healthCheckNodePort',
] as const;

/**
 * The saved original (the `l4gw.io/original` annotation, JSON): each field's value before l4gw
 * changed it, `null` when it was absent.
 */
export interface OriginalFields {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly annotations: Readonly<Record<string, string | null>>;
  readonly labels: Readonly<Record<string, string | null>>;
}

type JsonRecord = Record<string, unknown>;

/** A Service port as update mode writes and compares it. */
interface PortSpec {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
  readonly targetPort: number | string;
}

interface Claim {
  readonly gateway: ResolvedGateway;
  readonly service: ParsedService;
  readonly ports: PortSpec[];
}

/** Collects the update-mode claims of one reconcile, then emits changed and restored Services. */
export class UpdateModeServices {
  private readonly claims = new Map<ObjectKey, Claim>();

  constructor(
    private readonly feedback: FeedbackCollector,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** Records that `listener` of `gateway` needs the backend Service in update mode. */
  add(gateway: ResolvedGateway, listener: RealisedListener, winner: WinningRoute, backend: ResolvedBackend): void {
    const target = backend.target;
    if (target === undefined) return; // the front half already reported why (RT4)
    const service = target.service;
    const { namespace, name } = service.meta;
    const report = (message: string) =>
      this.feedback.add({ route: winner.key, gateway: gateway.key, condition: 'ResolvedRefs', reason: 'BackendNotFound', message });
    if (service.meta.labels[LABEL_MANAGED_BY] === MANAGED_BY_VALUE) {
      report(messages.updateGeneratedService(namespace, name));
      return;
    }
    if (readOriginal(service) === 'unreadable') return; // reported once, by `objects`
    const key = `${namespace}/${name}`;
    const claim = this.claims.get(key);
    if (claim !== undefined && claim.gateway.key !== gateway.key) {
      report(messages.claimedElsewhere(namespace, name));
      return;
    }
    const port: PortSpec = {
      name: dns1035Name(['l4gw', listener.name]),
      port: listener.port,
      protocol: listener.protocol,
      targetPort: target.servicePort.targetPort ?? target.servicePort.port,
    };
    if (claim === undefined) this.claims.set(key, { gateway, service, ports: [port] });
    else claim.ports.push(port);
  }

  /**
   * The Services to write: each claimed one in its LoadBalancer form, and each observed Service
   * that still carries the saved original but is claimed no more, restored (DP4, DP8).
   */
  objects(services: Iterable<ParsedService>, foreignClassLabels: ReadonlySet<string>, options: ReconcileOptions): KubeObject[] {
    const result: KubeObject[] = [];
    for (const claim of this.claims.values()) result.push(updatedService(claim, options));
    const annotated: ParsedService[] = [];
    for (const service of services) if (ANNOTATION_UPDATE_ORIGINAL in service.meta.annotations) annotated.push(service);
    const sorted = annotated.sort((a, b) => compareKeys(a.meta, b.meta));
    for (const service of sorted) {
      const original = readOriginal(service);
      if (original === undefined) continue;
      if (original === 'unreadable') {
        this.diagnostics.push({
          severity: 'warning',
          object: { apiVersion: 'v1', kind: 'Service', namespace: service.meta.namespace, name: service.meta.name },
          message: messages.badOriginalAnnotation(service.meta.namespace, service.meta.name),
        });
        continue;
      }
      if (this.claims.has(`${service.meta.namespace}/${service.meta.name}`)) continue;
      // Another l4gw instance (another controller name) updated this Service: its to restore.
      const className = service.meta.labels[LABEL_GATEWAY_CLASS_NAME];
      if (className !== undefined && foreignClassLabels.has(className)) continue;
      result.push(restoredService(service, original));
    }
    return result;
  }
}

/** The saved original of a Service, `undefined` when it has none, `'unreadable'` when it is corrupt. */
export function readOriginal(service: ParsedService): OriginalFields | undefined | 'unreadable' {
  const text = service.meta.annotations[ANNOTATION_UPDATE_ORIGINAL];
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isRecord(parsed) || !isRecord(parsed['spec']) || !isRecord(parsed['annotations']) || !isRecord(parsed['labels'])) {
      return 'unreadable';
    }
    const annotations = parsed['annotations'];
    const labels = parsed['labels'];
    const stringsOrNull = (record: JsonRecord) => Object.values(record).every((v) => v === null || typeof v === 'string');
    if (!stringsOrNull(annotations) || !stringsOrNull(labels)) return 'unreadable';
    return {
      spec: parsed['spec'],
      annotations: annotations as Record<string, string | null>,
      labels: labels as Record<string, string | null>,
    };
  } catch {
    return 'unreadable';
  }
}

/** Captures the original value of every field update mode may change, keys in a fixed order. */
function captureOriginal(raw: KubeObject, labelKeys: readonly string[]): OriginalFields {
  const spec = specOf(raw);
  const annotations = raw.metadata.annotations ?? {};
  const labels = raw.metadata.labels ?? {};
  return {
    spec: Object.fromEntries(SPEC_FIELDS.map((field) => [field, spec[field] ?? null])),
    annotations: Object.fromEntries(VIP_ANNOTATION_KEYS.map((key) => [key, annotations[key] ?? null])),
    labels: Object.fromEntries(labelKeys.map((key) => [key, labels[key] ?? null])),
  };
}

function updatedService(claim: Claim, options: ReconcileOptions): KubeObject {
  const { gateway, service } = claim;
  const raw = service.raw;
  const labelsWanted = gatewayLabels(gateway);
  const savedText = service.meta.annotations[ANNOTATION_UPDATE_ORIGINAL];
  const saved = readOriginal(service);
  const original = saved === undefined || saved === 'unreadable' ? captureOriginal(raw, Object.keys(labelsWanted)) : saved;

  const spec: JsonRecord = { ...specOf(raw) };
  for (const [field, value] of Object.entries(vipSpec(gateway, announcerStyle(gateway, options)))) spec[field] = value;
  const style = announcerStyle(gateway, options);
  // MetalLB refuses a Service with both loadBalancerIP and its annotation; the user's value is saved.
  if (style === 'metallb') delete spec['loadBalancerIP'];
  const originalPorts = portsOf(original.spec['ports']);
  const wantedPorts = mergePorts(originalPorts, claim.ports);
  if (!samePorts(portsOf(spec['ports']), wantedPorts)) spec['ports'] = wantedPorts;

  const metadata: JsonRecord = { ...raw.metadata };
  delete metadata['managedFields'];
  metadata['labels'] = { ...raw.metadata.labels, ...labelsWanted };
  // Announcer keys go back to the user's values first, so that a key the current style does not
  // write (the style was switched) does not stay behind; the style's own keys are laid over them.
  const annotations: Record<string, string> = { ...raw.metadata.annotations };
  restoreEntries(annotations, original.annotations);
  metadata['annotations'] = {
    ...annotations,
    ...vipAnnotations(gateway, style),
    [ANNOTATION_UPDATE_ORIGINAL]: savedText !== undefined && saved !== 'unreadable' ? savedText : JSON.stringify(original),
  };
  return withoutStatus({ ...raw, metadata, spec });
}

function restoredService(service: ParsedService, original: OriginalFields): KubeObject {
  const raw = service.raw;
  const spec: JsonRecord = { ...specOf(raw) };
  for (const [field, value] of Object.entries(original.spec)) {
    if (value === null) delete spec[field];
    else spec[field] = value;
  }
  const annotations: Record<string, string> = { ...raw.metadata.annotations };
  delete annotations[ANNOTATION_UPDATE_ORIGINAL];
  restoreEntries(annotations, original.annotations);
  const labels: Record<string, string> = { ...raw.metadata.labels };
  restoreEntries(labels, original.labels);
  const metadata: JsonRecord = { ...raw.metadata, annotations, labels };
  delete metadata['managedFields'];
  return withoutStatus({ ...raw, metadata, spec });
}

function restoreEntries(target: Record<string, string>, saved: Readonly<Record<string, string | null>>): void {
  for (const [key, value] of Object.entries(saved)) {
    if (value === null) delete target[key];
    else target[key] = value;
  }
}

/**
 * The ports the Service needs: its original ports, plus a port for each listener whose port and
 * protocol are not among them. A Service with more than one port needs every port named, so when
 * an original port has no name the original ports are replaced (the prototype's behaviour; they
 * come back on restore).
 */
function mergePorts(original: readonly JsonRecord[], needed: readonly PortSpec[]): JsonRecord[] {
  const missing = needed.filter((port) => !original.some((o) => o['port'] === port.port && (o['protocol'] ?? 'TCP') === port.protocol));
  if (missing.length === 0) return original.map((port) => ({ ...port }));
  const allNamed = original.every((port) => typeof port['name'] === 'string' && port['name'] !== '');
  const kept = allNamed ? original.map((port) => ({ ...port })) : [];
  const added = (allNamed ? missing : needed).map((port) => ({ ...port }) as JsonRecord);
  if (kept.length + added.length === 1) {
    const only = added[0];
    if (only !== undefined && kept.length === 0) delete only['name'];
  }
  return [...kept, ...added];
}

/** Ports compared on the fields update mode sets (the server adds nodePort; that is not drift). */
function samePorts(observed: readonly JsonRecord[], wanted: readonly JsonRecord[]): boolean {
  if (observed.length !== wanted.length) return false;
  return wanted.every((port, i) => {
    const other = observed[i];
    if (other === undefined) return false;
    return (
      (other['name'] ?? '') === (port['name'] ?? '') &&
      other['port'] === port['port'] &&
      (other['protocol'] ?? 'TCP') === (port['protocol'] ?? 'TCP') &&
      (other['targetPort'] ?? other['port']) === (port['targetPort'] ?? port['port'])
    );
  });
}

function compareKeys(a: { namespace: string; name: string }, b: { namespace: string; name: string }): number {
  const ka = `${a.namespace}/${a.name}`;
  const kb = `${b.namespace}/${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function specOf(raw: KubeObject): JsonRecord {
  const spec = raw['spec'];
  return isRecord(spec) ? spec : {};
}

function portsOf(value: unknown): JsonRecord[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutStatus(object: JsonRecord): KubeObject {
  const copy = { ...object };
  delete copy['status'];
  return copy as unknown as KubeObject;
}
