// Shared helpers of the adapter's integration tests: an unrestricted client for test fixtures
// (the operator's own client is limited to RBAC_RULES), unique namespaces, and polling.

import { HttpMethod, KubeConfig } from '@kubernetes/client-node';
import type { KubeObject } from '@l4gw/core';
import { inject } from 'vitest';
import { isApiError, KubeRest } from '../src/kube/rest.js';
import { resourceFor, resourcePath } from '../src/kube/resources.js';

export function sharedKubeConfig(): KubeConfig {
  const path = inject('l4gwKubeconfigPath');
  if (!path) throw new Error('run in the vitest `integration` project (envtest global setup)');
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

function pathOf(obj: { apiVersion: string; kind: string; metadata: { namespace?: string; name?: string } }, withName = true) {
  const rt = resourceFor(obj.apiVersion, obj.kind);
  if (!rt) throw new Error(`unknown kind ${obj.kind}`);
  return resourcePath(rt, obj.metadata.namespace, withName ? obj.metadata.name : undefined);
}

/** Test fixture client: create / get / update / delete any object, no RBAC restriction. */
export class TestClient {
  readonly rest: KubeRest;
  constructor(readonly kc: KubeConfig) {
    this.rest = new KubeRest(kc);
  }

  create<T extends KubeObject>(obj: T): Promise<T> {
    return this.rest.request<T>(HttpMethod.POST, pathOf(obj, false), { body: obj });
  }

  async get<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
  ): Promise<T | undefined> {
    try {
      return await this.rest.request<T>(HttpMethod.GET, pathOf({ apiVersion, kind, metadata: { namespace, name } }));
    } catch (err) {
      if (isApiError(err, 404)) return undefined;
      throw err;
    }
  }

  async list(apiVersion: string, kind: string, namespace: string, labelSelector?: string): Promise<KubeObject[]> {
    const rt = resourceFor(apiVersion, kind)!;
    const res = await this.rest.request<{ items: KubeObject[] }>(HttpMethod.GET, resourcePath(rt, namespace), {
      query: { labelSelector },
    });
    return res.items;
  }

  update<T extends KubeObject>(obj: T): Promise<T> {
    return this.rest.request<T>(HttpMethod.PUT, pathOf(obj), { body: obj });
  }

  /** JSON merge patch of the main resource (or `status`). */
  patch<T extends KubeObject = KubeObject>(
    ref: { apiVersion: string; kind: string; metadata: { namespace?: string; name: string } },
    body: unknown,
    subresource?: string,
  ): Promise<T> {
    return this.rest.request<T>(HttpMethod.PATCH, pathOf(ref) + (subresource ? `/${subresource}` : ''), {
      body,
      contentType: 'application/merge-patch+json',
    });
  }

  async delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): Promise<void> {
    try {
      await this.rest.request(HttpMethod.DELETE, pathOf({ apiVersion, kind, metadata: { namespace, name } }));
    } catch (err) {
      if (!isApiError(err, 404)) throw err;
    }
  }

  /** A namespace with a unique server-generated name, labelled for namespace selectors. */
  async namespace(prefix: string, labels: Record<string, string> = {}): Promise<string> {
    const ns = await this.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: '', generateName: `${prefix}-`, labels } as KubeObject['metadata'],
    });
    return ns.metadata.name;
  }
}

export { eventually } from '@l4gw/envtest';

/** Condition `type` of an object's status, if any. */
export function condition(
  obj: KubeObject | undefined,
  type: string,
): { status: string; reason: string; message: string } | undefined {
  const conds = (obj?.['status'] as { conditions?: { type: string; status: string; reason: string; message: string }[] } | undefined)
    ?.conditions;
  return conds?.find((c) => c.type === type);
}

/** Unique-enough suffix for object names within a shared API server. */
export function uniq(): string {
  return Math.random().toString(36).slice(2, 8);
}
