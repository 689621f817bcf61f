import type {
  GroupKind,
  LabelSelector,
  ParsedAllowedListeners,
  ParsedAllowedRoutes,
  ParsedGateway,
  ParsedListener,
  ParsedListenerStatus,
  ParsedSpecAddress,
} from '../model/parsed.js';
import { GATEWAY_API_V1, GATEWAY_GROUP, KIND_GATEWAY } from './api.js';
import { asKubeObject, parseMeta, reportObject, type DiagnosticSink } from './meta.js';
import { array, conditions, hasArray, int, isRecord, record, str, stringMap, type JsonRecord, type Mutable } from './primitives.js';

/** Parses a Gateway; its listeners as parseListeners does. */
export function parseGateway(raw: unknown, sink: DiagnosticSink): ParsedGateway | undefined {
  const meta = parseMeta(raw, KIND_GATEWAY, true, sink);
  if (meta === undefined) return undefined;
  const apiVersion = str(raw, 'apiVersion') ?? GATEWAY_API_V1;
  const spec = record(raw, 'spec');
  const listeners = parseListeners(array(spec, 'listeners'), (message) => reportObject(sink, apiVersion, KIND_GATEWAY, meta, message));
  const infra = record(spec, 'infrastructure');
  const infraRef = record(infra, 'parametersRef');
  const status = record(raw, 'status');
  return {
    apiVersion,
    meta,
    className: str(spec, 'gatewayClassName') ?? '',
    allowedListeners: parseAllowedListeners(record(spec, 'allowedListeners')),
    listeners,
    addresses: array(spec, 'addresses').map(parseSpecAddress),
    infrastructure: {
      labels: stringMap(infra, 'labels'),
      annotations: stringMap(infra, 'annotations'),
      ...(infraRef !== undefined
        ? {
            parametersRef: {
              group: str(infraRef, 'group') ?? '',
              kind: str(infraRef, 'kind') ?? '',
              name: str(infraRef, 'name') ?? '',
            },
          }
        : {}),
    },
    statusAddresses: array(status, 'addresses')
      .map((a) => str(a, 'value'))
      .filter((v): v is string => v !== undefined && v !== ''),
    conditions: conditions(status),
    listenerStatuses: parseListenerStatuses(status),
    raw: asKubeObject(raw, GATEWAY_API_V1, KIND_GATEWAY),
  };
}

/**
 * Parses a listener list (a Gateway's or a ListenerSet's). Listeners without a name are dropped
 * and reported, as are repeats of a name; listeners with a name but a bad port or no protocol
 * are kept with `problem` set, so their status entry says why (GW6).
 */
export function parseListeners(items: readonly unknown[], report: (message: string) => void): ParsedListener[] {
  const listeners: ParsedListener[] = [];
  const seen = new Set<string>();
  for (const l of items) {
    const name = str(l, 'name');
    if (name === undefined || name === '') {
      report('ignored a listener without a name');
      continue;
    }
    if (seen.has(name)) {
      report(`ignored a second listener named ${name}`);
      continue;
    }
    seen.add(name);
    const port = int(l, 'port');
    const protocol = str(l, 'protocol') ?? '';
    const validPort = port !== undefined && port >= 1 && port <= 65535;
    const problem = protocol === '' ? 'protocol' : !validPort ? 'port' : undefined;
    const hostname = str(l, 'hostname');
    const listener: Mutable<ParsedListener> = {
      name,
      port: validPort ? port : 0,
      protocol,
      allowedRoutes: parseAllowedRoutes(record(l, 'allowedRoutes')),
    };
    if (problem !== undefined) listener.problem = problem;
    if (hostname !== undefined) listener.hostname = hostname;
    listeners.push(listener);
  }
  return listeners;
}

/** `status.listeners` as currently written: each entry's name and conditions (GW7 merging). */
export function parseListenerStatuses(status: JsonRecord | undefined): ParsedListenerStatus[] {
  return array(status, 'listeners')
    .map((l): ParsedListenerStatus | undefined => {
      const name = str(l, 'name');
      return name === undefined ? undefined : { name, conditions: conditions(l) };
    })
    .filter((l): l is ParsedListenerStatus => l !== undefined);
}

/** No ListenerSet may attach unless the Gateway says so (LS1): shared by every Gateway that does not. */
const NO_LISTENER_SETS: ParsedAllowedListeners = Object.freeze({ from: 'None' });

function parseAllowedListeners(al: JsonRecord | undefined): ParsedAllowedListeners {
  const namespaces = record(al, 'namespaces');
  const from = str(namespaces, 'from') ?? 'None';
  const selector = record(namespaces, 'selector');
  if (selector === undefined) return from === 'None' ? NO_LISTENER_SETS : { from };
  return { from, selector: parseLabelSelector(selector) };
}

function parseSpecAddress(a: unknown): ParsedSpecAddress {
  // A non-object entry has no type we support: it is reported as UnsupportedAddress (GW3).
  if (!isRecord(a)) return { type: '' };
  const value = str(a, 'value');
  return { type: str(a, 'type') ?? 'IPAddress', ...(value !== undefined ? { value } : {}) };
}

/** The default allowedRoutes, shared by every listener that does not say otherwise. */
const SAME_NAMESPACE: ParsedAllowedRoutes = Object.freeze({ from: 'Same' });

function parseAllowedRoutes(ar: JsonRecord | undefined): ParsedAllowedRoutes {
  const namespaces = record(ar, 'namespaces');
  const selector = record(namespaces, 'selector');
  const kinds: GroupKind[] | undefined = hasArray(ar, 'kinds')
    ? array(ar, 'kinds').map((k) => ({ group: str(k, 'group') ?? GATEWAY_GROUP, kind: str(k, 'kind') ?? '' }))
    : undefined;
  const from = str(namespaces, 'from') ?? 'Same';
  if (selector === undefined && (kinds === undefined || kinds.length === 0)) {
    return from === 'Same' ? SAME_NAMESPACE : { from };
  }
  const allowed: Mutable<ParsedAllowedRoutes> = { from };
  if (selector !== undefined) allowed.selector = parseLabelSelector(selector);
  if (kinds !== undefined && kinds.length > 0) allowed.kinds = kinds;
  return allowed;
}

/** Parses a `metav1.LabelSelector`. */
export function parseLabelSelector(sel: JsonRecord): LabelSelector {
  return {
    matchLabels: stringMap(sel, 'matchLabels'),
    matchExpressions: array(sel, 'matchExpressions').map((e) => ({
      key: str(e, 'key') ?? '',
      operator: str(e, 'operator') ?? '',
      values: array(e, 'values').filter((v): v is string => typeof v === 'string'),
    })),
  };
}
