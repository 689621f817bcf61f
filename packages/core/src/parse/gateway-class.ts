import type { ParsedGatewayClass, ParametersRef } from '../model/parsed.js';
import { GATEWAY_API_V1, KIND_GATEWAY_CLASS } from './api.js';
import { asKubeObject, parseMeta, type DiagnosticSink } from './meta.js';
import { conditions, record, str } from './primitives.js';

/** Parses a GatewayClass; undefined when it has no name. A missing controllerName reads as ''. */
export function parseGatewayClass(raw: unknown, sink: DiagnosticSink): ParsedGatewayClass | undefined {
  const meta = parseMeta(raw, KIND_GATEWAY_CLASS, false, sink);
  if (meta === undefined) return undefined;
  const spec = record(raw, 'spec');
  const ref = record(spec, 'parametersRef');
  const parametersRef = ref === undefined ? undefined : parseParametersRef(ref);
  return {
    apiVersion: str(raw, 'apiVersion') ?? GATEWAY_API_V1,
    meta,
    controllerName: str(spec, 'controllerName') ?? '',
    ...(parametersRef !== undefined ? { parametersRef } : {}),
    conditions: conditions(record(raw, 'status')),
    raw: asKubeObject(raw, GATEWAY_API_V1, KIND_GATEWAY_CLASS),
  };
}

/** Missing fields read as '' so that GC2 reports the reference as invalid rather than ignoring it. */
function parseParametersRef(ref: unknown): ParametersRef {
  const namespace = str(ref, 'namespace');
  return {
    group: str(ref, 'group') ?? '',
    kind: str(ref, 'kind') ?? '',
    name: str(ref, 'name') ?? '',
    ...(namespace !== undefined ? { namespace } : {}),
  };
}
