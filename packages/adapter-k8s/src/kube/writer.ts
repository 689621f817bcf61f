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
import { isGenerated, type Action, type KubeObject, type ObjectRef } from '@l4gw/core';
import { errorText } from './error-text.js';
import { isApiError, type KubeRest } from './rest.js';
import { resourceFor } from './resources.js';

export const FIELD_MANAGER = 'l4gw';

export type WriteVerb = 'apply' | 'update' | 'create' | 'delete' | 'updateStatus';
export type WriteResult = 'success' | 'conflict' | 'notfound' | 'error';

/** One API write as logged: `Kind namespace/name`, the verb and how it ended. */
export interface WriteRecord {
  readonly object: string;
  readonly verb: WriteVerb;
  readonly result: WriteResult;
  readonly error?: string;
}

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
  /** Every API write with its object and outcome, for the log. */
  readonly onWrite?: (record: WriteRecord) => void;
}

export interface ApplyOutcome {
  /** True when `shouldYield` stopped the run before every action was applied. */
  readonly yielded: boolean;
  readonly applied: number;
  readonly conflicts: number;
  readonly errors: readonly Error[];
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

/** Actions on one object share a chain; the API group and version do not matter. */
function chainKey(action: Action): string {
  const ref =
    action.verb === 'create' || action.verb === 'update'
      ? { kind: action.object.kind, namespace: action.object.metadata.namespace, name: action.object.metadata.name }
      : action.target;
  return `${ref.kind}|${ref.namespace ?? ''}|${ref.name}`;
}

/** The resourceVersion an action was planned against, if it carries one. */
function basedOn(action: Action): string | undefined {
  if (action.verb === 'updateStatus') return action.resourceVersion;
  if (action.verb === 'update') return action.object.metadata.resourceVersion;
  return undefined;
}

/** Moves an action planned at `from` to `to`, the version l4gw's own previous write produced. */
function rebased(action: Action, rv: { from: string; to: string }): Action {
  if (action.verb === 'updateStatus' && action.resourceVersion === rv.from) {
    return { ...action, resourceVersion: rv.to };
  }
  if (action.verb === 'update' && action.object.metadata.resourceVersion === rv.from) {
    return { ...action, object: { ...action.object, metadata: { ...action.object.metadata, resourceVersion: rv.to } } };
  }
  return action;
}

export class Writer {
  constructor(
    private readonly rest: KubeRest,
    private readonly hooks: WriterHooks,
    private readonly concurrency = 8,
  ) {}

  /**
   * Applies every action, `concurrency` at a time, and reports conflicts and errors. Actions on
   * the same object (a class finalizer and the class status, a pinned Gateway spec and its
   * status) run in plan order, each at the resourceVersion the previous one produced: both were
   * planned from the same observed version, and running them in parallel would make the second
   * fail with a 409 against l4gw's own write. `shouldYield` is asked before each object: when it
   * says yes, the run stops early (the caller re-plans from fresher state).
   *
   * Object writes (the Services and EndpointSlices traffic depends on) go first, statuses only
   * once they are answered: written alongside, on a busy API server, the statuses of a new route
   * slowed the slice its traffic needs (bench `dataplane`: slice write p50 72 → 24 ms), and a
   * status never reports an object that is not written yet.
   */
  async applyAll(actions: readonly Action[], shouldYield: () => boolean = () => false): Promise<ApplyOutcome> {
    const chains = new Map<string, Action[]>();
    for (const action of actions) {
      const key = chainKey(action);
      const chain = chains.get(key);
      if (chain) chain.push(action);
      else chains.set(key, [action]);
    }
    // A chain that writes its object (a class finalizer before the class status) is an object write.
    const all = [...chains.values()];
    const waves = [all.filter((c) => c.some((a) => a.verb !== 'updateStatus')), all.filter((c) => c.every((a) => a.verb === 'updateStatus'))];
    let queue: Action[][] = [];
    let applied = 0;
    let conflicts = 0;
    const errors: Error[] = [];
    let next = 0;
    let yielded = false;
    const worker = async (): Promise<void> => {
      while (next < queue.length) {
        if (yielded || shouldYield()) {
          yielded = true;
          return;
        }
        const chain = queue[next++]!;
        let rebase: { from: string; to: string } | undefined;
        for (const planned of chain) {
          if (!this.hooks.mayWrite()) return;
          const action = rebase ? rebased(planned, rebase) : planned;
          const { result, written } = await this.applyOne(action);
          if (result === 'conflict') conflicts++;
          else if (result instanceof Error) errors.push(result);
          else applied++;
          if (result !== 'ok') break; // the rest of the chain was planned on a state that failed
          const from = basedOn(planned);
          const to = written?.metadata.resourceVersion;
          rebase = from !== undefined && to !== undefined ? { from, to } : undefined;
        }
      }
    };
    for (const wave of waves) {
      if (yielded) break;
      queue = wave;
      next = 0;
      await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    }
    return { yielded, applied, conflicts, errors };
  }

  /** Applies one action; returns 'conflict' on 409, the error on any other failure. */
  async apply(action: Action): Promise<'ok' | 'conflict' | Error> {
    return (await this.applyOne(action)).result;
  }

  private async applyOne(action: Action): Promise<{ result: 'ok' | 'conflict' | Error; written?: KubeObject }> {
    const ref = action.verb === 'create' || action.verb === 'update' ? refOf(action.object) : action.target;
    const kind = ref.kind;
    const object = `${kind} ${ref.namespace === undefined ? '' : `${ref.namespace}/`}${ref.name}`;
    const done = (verb: WriteVerb, result: WriteResult, err?: unknown): void => {
      this.hooks.count(kind, verb, result);
      this.hooks.onWrite?.({ object, verb, result, ...(err === undefined ? {} : { error: errorText(err) }) });
    };
    let verb: WriteVerb =
      action.verb === 'delete' ? 'delete' : action.verb === 'updateStatus' ? 'updateStatus' : 'update';
    let written: KubeObject | undefined;
    try {
      switch (action.verb) {
        case 'create':
        case 'update': {
          const obj = action.object;
          if (isGenerated(obj)) {
            verb = 'apply';
            written = await this.serverSideApply(obj);
          } else if (action.verb === 'create') {
            verb = 'create';
            written = await this.create(obj);
          } else {
            written = await this.replace(obj);
          }
          this.hooks.written(written);
          break;
        }
        case 'delete':
          await this.delete(action.target, action.uid);
          this.hooks.deleted(action.target, action.uid);
          break;
        case 'updateStatus':
          written = await this.replaceStatus(action.target, action.status, action.resourceVersion);
          this.hooks.written(written);
          break;
      }
      done(verb, 'success');
      return { result: 'ok', ...(written ? { written } : {}) };
    } catch (err) {
      if (action.verb === 'delete' && isApiError(err, 404)) {
        done(verb, 'notfound');
        this.hooks.deleted(action.target, action.uid);
        return { result: 'ok' };
      }
      if (isApiError(err, 409)) {
        done(verb, 'conflict', err);
        return { result: 'conflict' };
      }
      if (isApiError(err, 404)) {
        // The object (or its namespace) went away since the snapshot: re-reconcile from fresh
        // state, like a conflict, rather than failing the run.
        done(verb, 'notfound', err);
        return { result: 'conflict' };
      }
      done(verb, 'error', err);
      return { result: err instanceof Error ? err : new Error(String(err)) };
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
