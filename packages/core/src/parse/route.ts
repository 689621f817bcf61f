import type {
  ParsedBackendRef,
  ParsedParentRef,
  ParsedRoute,
  ParsedRouteParentStatus,
  ParsedRouteRule,
  RouteKind,
} from '../model/parsed.js';
import { GATEWAY_GROUP, KIND_GATEWAY, KIND_SERVICE, ROUTE_VERSIONS } from './api.js';
import { objectKey } from '../model/graph.js';
import { parseMeta, reportObject, type DiagnosticSink } from './meta.js';
import { array, conditions, int, isRecord, port, record, str, type JsonRecord, type Mutable } from './primitives.js';

const NO_STATUS_PARENTS: readonly ParsedRouteParentStatus[] = Object.freeze([]);

/** Largest weight the Gateway API schema allows. */
const MAX_WEIGHT = 1_000_000;

/**
 * Parses a TCPRoute or UDPRoute of a version we read (RT1). Objects of another kind or version
 * are dropped with a diagnostic; parentRefs without a name are dropped (they cannot name a parent).
 */
export function parseRoute(raw: unknown, kind: RouteKind, sink: DiagnosticSink): ParsedRoute | undefined {
  const meta = parseMeta(raw, kind, true, sink);
  if (meta === undefined) return undefined;
  const apiVersion = str(raw, 'apiVersion') ?? '';
  const declaredKind = str(raw, 'kind');
  if (declaredKind !== undefined && declaredKind !== kind) {
    reportObject(sink, apiVersion, kind, meta, `ignored: listed as a ${kind} but its kind is ${declaredKind}`);
    return undefined;
  }
  if (!ROUTE_VERSIONS.includes(apiVersion)) {
    reportObject(sink, apiVersion, kind, meta, `ignored: apiVersion ${apiVersion || '(none)'} is not read for ${kind}`);
    return undefined;
  }
  const spec = record(raw, 'spec');
  const parentRefs: ParsedParentRef[] = [];
  for (const p of array(spec, 'parentRefs')) {
    const ref = parseParentRef(p, meta.namespace);
    if (ref !== undefined) parentRefs.push(ref);
  }
  const rawStatusParents = array(record(raw, 'status'), 'parents');
  const statusParents: ParsedRouteParentStatus[] = [];
  for (const p of rawStatusParents) {
    const entry = parseParentStatus(p, meta.namespace);
    if (entry !== undefined) statusParents.push(entry);
  }
  return {
    kind,
    apiVersion,
    meta,
    parentRefs,
    rules: array(spec, 'rules').map((r) => parseRule(r, meta.namespace)),
    statusParents: rawStatusParents.length === 0 ? NO_STATUS_PARENTS : statusParents,
  };
}

/** A parentRef with defaults filled in (group, kind, namespace of the route). */
export function parseParentRef(p: unknown, routeNamespace: string): ParsedParentRef | undefined {
  const name = str(p, 'name');
  if (name === undefined || name === '') return undefined;
  const sectionName = str(p, 'sectionName');
  const parentPort = port(p, 'port');
  const namespace = str(p, 'namespace');
  const group = str(p, 'group') ?? GATEWAY_GROUP;
  const kind = str(p, 'kind') ?? KIND_GATEWAY;
  const section = sectionName !== undefined && sectionName !== '' ? sectionName : undefined;
  const resolvedNamespace = namespace || routeNamespace;
  const statusRef: Record<string, unknown> = { group, kind };
  if (namespace) statusRef['namespace'] = resolvedNamespace;
  statusRef['name'] = name;
  if (section !== undefined) statusRef['sectionName'] = section;
  if (parentPort !== undefined) statusRef['port'] = parentPort;
  const ref: Mutable<ParsedParentRef> = {
    group,
    kind,
    namespace: resolvedNamespace,
    name,
    identity: `${group}/${kind}/${resolvedNamespace}/${name}/${section ?? ''}/${parentPort ?? ''}`,
    parentKey: objectKey(resolvedNamespace, name),
    statusRef,
  };
  if (namespace) ref.namespaceGiven = true;
  if (section !== undefined) ref.sectionName = section;
  if (parentPort !== undefined) ref.port = parentPort;
  return ref;
}

function parseRule(r: unknown, routeNamespace: string): ParsedRouteRule {
  const rule: Mutable<ParsedRouteRule> = { backendRefs: array(r, 'backendRefs').map((b) => parseBackendRef(b, routeNamespace)) };
  const name = str(r, 'name');
  if (name !== undefined) rule.name = name;
  return rule;
}

/**
 * A backendRef with defaults filled in. A ref without a name keeps `name: ''` so it is reported
 * as BackendNotFound rather than silently dropped (its weight still counts, RT4).
 */
function parseBackendRef(b: unknown, routeNamespace: string): ParsedBackendRef {
  const weight = int(b, 'weight');
  const backendPort = port(b, 'port');
  const namespace = str(b, 'namespace') || routeNamespace;
  const name = str(b, 'name') ?? '';
  const ref: Mutable<ParsedBackendRef> = {
    group: str(b, 'group') ?? '',
    kind: str(b, 'kind') ?? KIND_SERVICE,
    namespace,
    name,
    weight: weight === undefined ? 1 : Math.min(Math.max(weight, 0), MAX_WEIGHT),
    backendKey: objectKey(namespace, name),
  };
  if (backendPort !== undefined) ref.port = backendPort;
  return ref;
}

function parseParentStatus(p: unknown, routeNamespace: string): ParsedRouteParentStatus | undefined {
  if (!isRecord(p)) return undefined;
  const parentRef = parseParentRef(record(p, 'parentRef'), routeNamespace);
  return {
    controllerName: str(p, 'controllerName') ?? '',
    ...(parentRef !== undefined ? { parentRef } : {}),
    conditions: conditions(p),
    raw: p as JsonRecord,
  };
}
