// How plan recognises "the same object" on both sides: API group, kind, namespace and name. The
// version is left out on purpose: a TCPRoute read as v1alpha2 and written as v1 is one object.

import type { KubeObject, ObjectRef } from '../model/kube.js';

/** The API group of an apiVersion: `discovery.k8s.io/v1` → `discovery.k8s.io`, `v1` → ''. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The ObjectRef of a whole object. */
export function refOf(object: KubeObject): ObjectRef {
  const { apiVersion, kind, metadata } = object;
  return metadata.namespace === undefined
    ? { apiVersion, kind, name: metadata.name }
    : { apiVersion, kind, namespace: metadata.namespace, name: metadata.name };
}
