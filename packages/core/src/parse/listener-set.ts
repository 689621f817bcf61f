import type { ParsedListenerSet } from '../model/parsed.js';
import { objectKey } from '../model/graph.js';
import { GATEWAY_API_V1, GATEWAY_GROUP, KIND_GATEWAY, KIND_LISTENER_SET } from './api.js';
import { parseListenerStatuses, parseListeners } from './gateway.js';
import { asKubeObject, parseMeta, reportObject, type DiagnosticSink } from './meta.js';
import { array, conditions, record, str } from './primitives.js';

/**
 * Parses a ListenerSet (LS1–LS4). Its parentRef gets the API's defaults (group
 * gateway.networking.k8s.io, kind Gateway, the ListenerSet's own namespace); its listeners are
 * parsed as a Gateway's are.
 */
export function parseListenerSet(raw: unknown, sink: DiagnosticSink): ParsedListenerSet | undefined {
  const meta = parseMeta(raw, KIND_LISTENER_SET, true, sink);
  if (meta === undefined) return undefined;
  const apiVersion = str(raw, 'apiVersion') ?? GATEWAY_API_V1;
  const spec = record(raw, 'spec');
  const ref = record(spec, 'parentRef');
  const namespace = str(ref, 'namespace') ?? meta.namespace;
  const name = str(ref, 'name') ?? '';
  const status = record(raw, 'status');
  return {
    apiVersion,
    meta,
    parent: { group: str(ref, 'group') ?? GATEWAY_GROUP, kind: str(ref, 'kind') ?? KIND_GATEWAY, namespace, name, key: objectKey(namespace, name) },
    listeners: parseListeners(array(spec, 'listeners'), (message) => reportObject(sink, apiVersion, KIND_LISTENER_SET, meta, message)),
    conditions: conditions(status),
    listenerStatuses: parseListenerStatuses(status),
    raw: asKubeObject(raw, GATEWAY_API_V1, KIND_LISTENER_SET),
  };
}
