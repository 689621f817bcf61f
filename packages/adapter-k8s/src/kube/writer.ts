// Applies core's plan to the API server (R1, R3). One function per verb, mirroring
// controller-runtime's Writer / StatusWriter split:
//   - generated objects (Services, EndpointSlices l4gw owns): server-side apply, field manager
//     `l4gw`, force. An update carries the observed resourceVersion as a precondition, so a
//     concurrent change is a 409 instead of being overwritten;
//   - objects l4gw edits but does not own (update-mode user Services DP4, pinned Gateways GW5,
//     class finalizers GC5): replace (PUT) with resourceVersion, i.e. read-modify-write;
//   - statuses: replace of the status subresource at the observed resourceVersion; core already
//     merged other controllers' entries into the status it wants;
//   - deletes: with a uid precondition, so a recreated object of the same name survives.
// 404 on delete counts as done. 409 (and 404 on other writes) is reported as a conflict so the
// loop re-reconciles from fresh state.

import { HttpMethod } from '@kubernetes/client-node';
import type { Action, KubeObject, ObjectRef } from '@l4gw/core';
import { isApiError, type KubeRest } from './rest.js';
import { resourceFor } from './resources.js';

export const FIELD_MANAGER = 'l4gw';

const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
const SLICE_MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';

export type WriteVerb = 'apply' | 'update' | 'create' | 'delete' | 'updateStatus';
export type WriteResult = 'success' | 'conflict' | 'notfound' | 'error';

export interface WriterHooks {
  /** Look up the cached object a status write applies to. */
  readonly lookup: (ref: ObjectRef) => KubeObject | undefined;
  /** Write-through into the cache (informer.ts recordWrite / recordDelete). */
  readonly written: (obj: KubeObject) => void;
  readonly deleted: (ref: ObjectRef, uid: string | undefined) => void;
  /** Every API write, for the `l4gw_api_writes_total` counter. */
  readonly count: (kind: string, verb: WriteVerb, result: WriteResult) => void;
  /** Checked before every write: a replica that lost leadership stops writing at once (R4). */
  readonly mayWrite: () => boolean;
}

export interface ApplyOutcome {
  readonly applied: number;
  readonly conflicts: number;
  readonly errors: readonly Error[];
}

/** True for objects l4gw generated (same rule as core's plan: DP8). */
export function isGenerated(obj: KubeObject): boolean {
  const labels = obj.metadata.labels ?? {};
  if (labels[MANAGED_BY_LABEL] !== 'l4gw') return false;
  return obj.kind !== 'EndpointSlice' || labels[SLICE_MANAGED_BY_LABEL] === 'l4gw';
}

/** Server-managed metadata that must not be sent in an apply configuration. */
function applyBody(obj: KubeObject): KubeObject {
  const { uid: _u, creationTimestamp: _c, generation: _g, ...metadata } = obj.metadata as KubeObject['metadata'] & {
    managedFields?: unknown;
  };
  delete (metadata as { managedFields?: unknown }).managedFields;
  const { status: _s, ...rest } = obj;
  return { ...rest, metadata } as KubeObject;
}

function refOf(obj: KubeObject): ObjectRef {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: obj.metadata.name,
    ...(obj.metadata.namespace === undefined ? {} : { namespace: obj.metadata.namespace }),
  };
}

function typeOf(ref: ObjectRef) {
  const rt = resourceFor(ref.apiVersion, ref.kind);
  if (!rt) throw new Error(`l4gw does not write ${ref.kind} (${ref.apiVersion})`);
  return rt;
}

export class Writer {
  constructor(
    private readonly rest: KubeRest,
    private readonly hooks: WriterHooks,
    private readonly concurrency = 8,
  ) {}

  /** Applies every action, `concurrency` at a time, and reports conflicts and errors. */
  async applyAll(actions: readonly Action[]): Promise<ApplyOutcome> {
    let applied = 0;
    let conflicts = 0;
    const errors: Error[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < actions.length) {
        const action = actions[next++]!;
        if (!this.hooks.mayWrite()) return;
        const result = await this.apply(action);
        if (result === 'conflict') conflicts++;
        else if (result instanceof Error) errors.push(result);
        else applied++;
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, actions.length) }, worker));
    return { applied, conflicts, errors };
  }

  /** Applies one action; returns 'conflict' on 409, the error on any other failure. */
  async apply(action: Action): Promise<'ok' | 'conflict' | Error> {
    const kind = action.verb === 'create' || action.verb === 'update' ? action.object.kind : action.target.kind;
    let verb: WriteVerb =
      action.verb === 'delete' ? 'delete' : action.verb === 'updateStatus' ? 'updateStatus' : 'update';
    try {
      switch (action.verb) {
        case 'create':
        case 'update': {
          const obj = action.object;
          if (isGenerated(obj)) {
            verb = 'apply';
            this.hooks.written(await this.serverSideApply(obj));
          } else if (action.verb === 'create') {
            verb = 'create';
            this.hooks.written(await this.create(obj));
          } else {
            this.hooks.written(await this.replace(obj));
          }
          break;
        }
        case 'delete':
          await this.delete(action.target, action.uid);
          this.hooks.deleted(action.target, action.uid);
          break;
        case 'updateStatus':
          this.hooks.written(await this.replaceStatus(action.target, action.status, action.resourceVersion));
          break;
      }
      this.hooks.count(kind, verb, 'success');
      return 'ok';
    } catch (err) {
      if (action.verb === 'delete' && isApiError(err, 404)) {
        this.hooks.count(kind, verb, 'notfound');
        this.hooks.deleted(action.target, action.uid);
        return 'ok';
      }
      if (isApiError(err, 409)) {
        this.hooks.count(kind, verb, 'conflict');
        return 'conflict';
      }
      if (isApiError(err, 404)) {
        // The object (or its namespace) went away since the snapshot: re-reconcile from fresh
        // state, like a conflict, rather than failing the run.
        this.hooks.count(kind, verb, 'notfound');
        return 'conflict';
      }
      this.hooks.count(kind, verb, 'error');
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  private serverSideApply(obj: KubeObject): Promise<KubeObject> {
    const ref = refOf(obj);
    return this.rest.resourceRequest<KubeObject>(
      HttpMethod.PATCH,
      typeOf(ref),
      { namespace: ref.namespace, name: ref.name },
      {
        body: applyBody(obj),
        contentType: 'application/apply-patch+yaml', // JSON is YAML
        query: { fieldManager: FIELD_MANAGER, force: true },
      },
    );
  }

  private create(obj: KubeObject): Promise<KubeObject> {
    const ref = refOf(obj);
    return this.rest.resourceRequest<KubeObject>(
      HttpMethod.POST,
      typeOf(ref),
      { namespace: ref.namespace },
      { body: obj, query: { fieldManager: FIELD_MANAGER } },
    );
  }

  private replace(obj: KubeObject): Promise<KubeObject> {
    const ref = refOf(obj);
    return this.rest.resourceRequest<KubeObject>(
      HttpMethod.PUT,
      typeOf(ref),
      { namespace: ref.namespace, name: ref.name },
      { body: obj, query: { fieldManager: FIELD_MANAGER } },
    );
  }

  private async replaceStatus(
    target: ObjectRef,
    status: Readonly<Record<string, unknown>>,
    resourceVersion: string | undefined,
  ): Promise<KubeObject> {
    const cached = this.hooks.lookup(target);
    const rv = resourceVersion ?? cached?.metadata.resourceVersion;
    // The status subresource ignores everything but status; the cached object keeps the body
    // valid against the CRD schema. Without a cached copy a minimal body still works.
    const base: KubeObject = cached ?? {
      apiVersion: target.apiVersion,
      kind: target.kind,
      metadata: { name: target.name, ...(target.namespace ? { namespace: target.namespace } : {}) },
    };
    const body = {
      ...base,
      apiVersion: target.apiVersion,
      kind: target.kind,
      metadata: { ...base.metadata, ...(rv === undefined ? {} : { resourceVersion: rv }) },
      status,
    };
    return this.rest.resourceRequest<KubeObject>(
      HttpMethod.PUT,
      typeOf(target),
      { namespace: target.namespace, name: target.name, subresource: 'status' },
      { body, query: { fieldManager: FIELD_MANAGER } },
    );
  }

  private async delete(target: ObjectRef, uid: string | undefined): Promise<void> {
    await this.rest.resourceRequest(
      HttpMethod.DELETE,
      typeOf(target),
      { namespace: target.namespace, name: target.name },
      {
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: 'Background',
          ...(uid ? { preconditions: { uid } } : {}),
        },
      },
    );
  }
}
