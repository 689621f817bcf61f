import type { ParsedReferenceGrant } from '../model/parsed.js';
import { KIND_REFERENCE_GRANT, REFERENCE_GRANT_VERSIONS } from './api.js';
import { parseMeta, reportObject, type DiagnosticSink } from './meta.js';
import { array, record, str } from './primitives.js';

/**
 * Parses a ReferenceGrant (`v1` or `v1beta1`). Entries missing a required field are dropped, so
 * a malformed grant grants less, never more (R5).
 */
export function parseReferenceGrant(raw: unknown, sink: DiagnosticSink): ParsedReferenceGrant | undefined {
  const meta = parseMeta(raw, KIND_REFERENCE_GRANT, true, sink);
  if (meta === undefined) return undefined;
  const apiVersion = str(raw, 'apiVersion') ?? '';
  if (!REFERENCE_GRANT_VERSIONS.includes(apiVersion)) {
    reportObject(sink, apiVersion, KIND_REFERENCE_GRANT, meta, `ignored: apiVersion ${apiVersion || '(none)'} is not read`);
    return undefined;
  }
  const spec = record(raw, 'spec');
  const from: { group: string; kind: string; namespace: string }[] = [];
  for (const f of array(spec, 'from')) {
    const group = str(f, 'group');
    const kind = str(f, 'kind');
    const namespace = str(f, 'namespace');
    if (group !== undefined && kind !== undefined && namespace !== undefined) from.push({ group, kind, namespace });
  }
  const to: { group: string; kind: string; name?: string }[] = [];
  for (const t of array(spec, 'to')) {
    const group = str(t, 'group');
    const kind = str(t, 'kind');
    const name = str(t, 'name');
    if (group !== undefined && kind !== undefined) to.push({ group, kind, ...(name ? { name } : {}) });
  }
  return { meta, from, to };
}
