// How plan recognises "the same object" on both sides: API group, kind, namespace and name. The
// version is left out on purpose: a TCPRoute read as v1alpha2 and written as v1 is one object.

import type { KubeObject, ObjectRef } from '../model/kube.js';

/** `group|kind|namespace|name`; cluster-scoped objects have an empty namespace. */
export type IdentityKey = string;

/** The API group of an apiVersion: `discovery.k8s.io/v1` → `discovery.k8s.io`, `v1` → ''. */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Builds the identity key of an object from its parts. */
export function identityKey(group: string, kind: string, namespace: string | undefined, name: string): IdentityKey {
  return `${group}|${kind}|${namespace ?? ''}|${name}`;
}

/** The identity key of an ObjectRef. */
export function refKey(ref: ObjectRef): IdentityKey {
  return identityKey(groupOf(ref.apiVersion), ref.kind, ref.namespace, ref.name);
}

/** The identity key of a whole object. */
export function objectIdentity(object: KubeObject): IdentityKey {
  return identityKey(groupOf(object.apiVersion), object.kind, object.metadata.namespace, object.metadata.name);
}

/** The ObjectRef of a whole object. */
export function refOf(object: KubeObject): ObjectRef {
  const { apiVersion, kind, metadata } = object;
  return metadata.namespace === undefined
    ? { apiVersion, kind, name: metadata.name }
    : { apiVersion, kind, namespace: metadata.namespace, name: metadata.name };
}
