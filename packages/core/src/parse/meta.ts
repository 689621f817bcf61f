import type { Diagnostic } from '../model/desired.js';
import type { KubeObject } from '../model/kube.js';
import type { ParsedMeta } from '../model/parsed.js';
import { int, isRecord, record, str, stringArray, stringMap, type Mutable } from './primitives.js';

/** Where a parser reports inputs it had to drop or repair. */
export type DiagnosticSink = Diagnostic[];

/** `kubectl`'s rule for namespaced objects read from files without a namespace. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * Reads `metadata`. Returns undefined (and records a diagnostic) when the object has no usable
 * name; a namespaced object without a namespace gets `default`, like kubectl does with manifests.
 */
export function parseMeta(
  raw: unknown,
  kind: string,
  namespaced: boolean,
  sink: DiagnosticSink,
): ParsedMeta | undefined {
  const metadata = record(raw, 'metadata');
  const name = str(metadata, 'name');
  if (!isRecord(raw) || name === undefined || name === '') {
    sink.push({ severity: 'warning', message: `ignored a ${kind} without metadata.name` });
    return undefined;
  }
  const namespace = namespaced ? str(metadata, 'namespace') || DEFAULT_NAMESPACE : '';
  const meta: Mutable<ParsedMeta> = {
    name,
    namespace,
    uid: str(metadata, 'uid') ?? '',
    generation: int(metadata, 'generation') ?? 0,
    creationTimestamp: str(metadata, 'creationTimestamp') ?? '',
    resourceVersion: str(metadata, 'resourceVersion') ?? '',
    labels: stringMap(metadata, 'labels'),
    annotations: stringMap(metadata, 'annotations'),
    finalizers: stringArray(metadata, 'finalizers'),
  };
  const deletionTimestamp = str(metadata, 'deletionTimestamp');
  if (deletionTimestamp !== undefined) meta.deletionTimestamp = deletionTimestamp;
  return meta;
}

/**
 * The input as a KubeObject, for the few places that must echo an object back whole (finalizer
 * updates, DP4). `apiVersion`/`kind` are filled in when missing so the result is well-formed.
 */
export function asKubeObject(raw: unknown, apiVersion: string, kind: string): KubeObject {
  const rec = isRecord(raw) ? raw : {};
  const metadata = record(rec, 'metadata') ?? {};
  // The common case needs no copy: the object already has every field a KubeObject requires.
  if (typeof rec['apiVersion'] === 'string' && typeof rec['kind'] === 'string' && isRecord(rec['metadata'])) {
    return rec as KubeObject;
  }
  return {
    ...rec,
    apiVersion: str(rec, 'apiVersion') ?? apiVersion,
    kind: str(rec, 'kind') ?? kind,
    metadata: metadata as unknown as KubeObject['metadata'],
  };
}

/** Records a diagnostic about one object. */
export function reportObject(
  sink: DiagnosticSink,
  apiVersion: string,
  kind: string,
  meta: Pick<ParsedMeta, 'name' | 'namespace'>,
  message: string,
): void {
  sink.push({
    severity: 'warning',
    object: { apiVersion, kind, ...(meta.namespace !== '' ? { namespace: meta.namespace } : {}), name: meta.name },
    message,
  });
}
