// What the informer caches keep of an object, like controller-runtime's cache transforms
// (`cache.Options.DefaultTransform`, `TransformStripManagedFields`): an object is slimmed once,
// as it arrives (list, watch event or write-through), so every reader sees the same copy.
//
// Only `metadata.managedFields` is dropped. No rule reads it, it is a large part of a small
// object (one entry per field manager, each listing the fields it owns), and writes never carry
// it (the writer leaves it out of every apply body). The rest stays, though no rule reads much
// of it either: objects l4gw edits (update-mode Services, pinned Gateways, class finalizers) are
// built from the cached copy and applied server-side, so a field dropped here would be dropped
// from the cluster on the next such write.

import type { KubeObject } from '@l4gw/core';

/** The object as the cache keeps it: without managedFields; the same object when it has none. */
export function stripUnreadFields(obj: KubeObject): KubeObject {
  const meta = obj.metadata as KubeObject['metadata'] & { managedFields?: unknown };
  if (meta.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = meta;
  return { ...obj, metadata };
}
