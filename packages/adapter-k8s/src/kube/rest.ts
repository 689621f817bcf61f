// A thin REST client over @kubernetes/client-node's authentication and HTTP stack.
//
// Why not the generated APIs or KubernetesObjectApi: l4gw needs list with resourceVersion and
// paging, watch with bookmarks, server-side apply, the status subresource (which
// KubernetesObjectApi lacks) and delete preconditions, for a closed set of kinds. One small
// request function does all of that uniformly and lets every call be checked against RBAC_RULES.

import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  RequestContext,
} from '@kubernetes/client-node';
import { rbacAllows } from '../rbac.js';
import { errorText } from './error-text.js';
import type { KubeObject } from '@l4gw/core';
import { resourcePath, type ResourceType } from './resources.js';

/** An API server answer other than 2xx, with the `Status` reason when the server sent one. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * No answer from the API server at all (refused, DNS, TLS, timeout): the message names the request
 * and every cause, and `cause` keeps the original error.
 */
export class TransportError extends Error {
  constructor(method: string, url: string, cause: unknown) {
    super(`cannot reach the API server: ${method} ${url}: ${errorText(cause)}`, { cause });
    this.name = 'TransportError';
  }
}

/** Called once per API request with its HTTP method and status code, or `<error>` when none came. */
export type RequestObserver = (method: string, code: string) => void;

export function isApiError(err: unknown, statusCode?: number): err is ApiError {
  return err instanceof ApiError && (statusCode === undefined || err.statusCode === statusCode);
}

export interface ListResult {
  readonly items: KubeObject[];
  readonly resourceVersion: string;
}

/** One event of a watch stream. `ERROR` carries a `Status` object (e.g. code 410). */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: KubeObject & { readonly code?: number; readonly message?: string };
}

/** Asks the server for PartialObjectMetadata: metadata only (CRDs carry large schemas). */
const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
const METADATA_ONLY_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
  /** Accept header; default JSON. */
  readonly accept?: string;
}

/** Maps an HTTP request on a resource to the RBAC verb it needs. */
function verbOf(method: HttpMethod, hasName: boolean, watch: boolean): string {
  switch (method) {
    case HttpMethod.GET:
      return watch ? 'watch' : hasName ? 'get' : 'list';
    case HttpMethod.POST:
      return 'create';
    case HttpMethod.PUT:
      return 'update';
    case HttpMethod.PATCH:
      return 'patch';
    case HttpMethod.DELETE:
      return 'delete';
    default:
      return String(method).toLowerCase();
  }
}

/** Throws when a request is not covered by RBAC_RULES: a programming error caught by any test. */
export function assertAllowed(rt: ResourceType, subresource: string | undefined, verb: string): void {
  const resource = subresource ? `${rt.resource}/${subresource}` : rt.resource;
  if (!rbacAllows(rt.group, resource, verb)) {
    throw new Error(`RBAC_RULES do not grant ${verb} on ${rt.group || 'core'}/${resource}`);
  }
}

export class KubeRest {
  private readonly http = new IsomorphicFetchHttpLibrary();
  /**
   * client-node 2.0.1 builds a new undici Agent in every applySecurityAuthentication call, so
   * each request would open (and leak until GC) its own TLS connection: measured, that made every
   * write a TLS handshake and cost ~100 MiB under load. The first Agent is kept and reused
   * (keep-alive pooling); headers (tokens, which may rotate) are still applied per request.
   */
  private dispatcher: ReturnType<RequestContext['getDispatcher']>;
  /** Authentication headers, refreshed at most once a second (tokens may rotate). */
  private auth: { readonly headers: [string, string][]; readonly at: number } | undefined;

  /**
   * @param requestTimeoutMs bound on every non-watch request: a hung connection must not hang
   *   the reconcile loop forever (R3); the loop retries with backoff.
   */
  constructor(
    private readonly kc: KubeConfig,
    private readonly requestTimeoutMs = 30_000,
    private readonly observe: RequestObserver = () => {},
  ) {}

  private server(): string {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster');
    return cluster.server.replace(/\/$/, '');
  }

  private async send(
    method: HttpMethod,
    path: string,
    opts: RequestOptions = {},
  ): Promise<{ status: number; text: () => Promise<string>; stream: () => ReadableStream<Uint8Array> | null }> {
    const url = new URL(this.server() + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined) url.searchParams.set(k, String(v));
    }
    const ctx = new RequestContext(url.toString(), method);
    await this.authenticate(ctx);
    ctx.setHeaderParam('Accept', opts.accept ?? 'application/json');
    if (opts.body !== undefined) {
      ctx.setHeaderParam('Content-Type', opts.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(opts.body));
    }
    if (opts.signal) ctx.setSignal(opts.signal);
    let res;
    try {
      res = await this.http.send(ctx).toPromise();
    } catch (err) {
      this.observe(method, '<error>');
      // An abort is the caller's doing, not a transport failure; callers check their signal.
      if (opts.signal?.aborted) throw err;
      throw new TransportError(method, `${url.origin}${url.pathname}`, err);
    }
    this.observe(method, String(res.httpStatusCode));
    return { status: res.httpStatusCode, text: () => res.body.text(), stream: () => res.body.stream() };
  }

  /**
   * Applies the kubeconfig's credentials. client-node builds a new Agent per call, so the
   * credentials are computed at most once a second (token files and exec plugins rotate on
   * their own, slower, schedule) and every request shares the first Agent's connection pool.
   */
  private async authenticate(ctx: RequestContext): Promise<void> {
    if (!this.auth || Date.now() - this.auth.at > 1000) {
      const probe = new RequestContext(ctx.getUrl(), HttpMethod.GET);
      await this.kc.applySecurityAuthentication(probe);
      this.dispatcher ??= probe.getDispatcher();
      this.auth = { headers: Object.entries(probe.getHeaders()), at: Date.now() };
    }
    for (const [name, value] of this.auth.headers) ctx.setHeaderParam(name, value);
    if (this.dispatcher) ctx.setDispatcher(this.dispatcher);
  }

  /** Sends a request and parses the JSON answer; non-2xx answers become ApiError. */
  async request<T>(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    const res = await this.send(method, path, { ...opts, signal });
    const text = await res.text();
    if (res.status < 200 || res.status >= 300) throw toApiError(res.status, text);
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** A request on a resource (collection or object); checked against RBAC_RULES first. */
  resourceRequest<T>(
    method: HttpMethod,
    rt: ResourceType,
    target: { namespace?: string; name?: string; subresource?: string },
    opts: RequestOptions = {},
  ): Promise<T> {
    assertAllowed(rt, target.subresource, verbOf(method, target.name !== undefined, false));
    return this.request<T>(method, resourcePath(rt, target.namespace, target.name, target.subresource), opts);
  }

  /** Lists a collection across all namespaces, page by page, returning the list's resourceVersion. */
  async list(rt: ResourceType, labelSelector?: string, signal?: AbortSignal, metadataOnly = false): Promise<ListResult> {
    const items: KubeObject[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.resourceRequest<{
        items?: KubeObject[];
        metadata?: { resourceVersion?: string; continue?: string };
      }>(HttpMethod.GET, rt, {}, {
        query: { limit: 500, continue: cont, labelSelector },
        signal,
        ...(metadataOnly ? { accept: METADATA_ONLY_LIST } : {}),
      });
      // List items carry no apiVersion/kind; fill them so objects look like watch objects.
      for (const item of page.items ?? []) {
        items.push({ ...item, apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version, kind: rt.kind });
      }
      resourceVersion = page.metadata?.resourceVersion ?? '';
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return { items, resourceVersion };
  }

  /**
   * Watches a collection from `resourceVersion` and calls `onEvent` per event. Resolves when the
   * server closes the stream or when no byte (not even a bookmark) arrives for `idleTimeoutMs`
   * (a half-open connection looks exactly like a quiet one); rejects on transport errors. The
   * caller decides what to do next (informer.ts).
   */
  async watch(
    rt: ResourceType,
    query: Query,
    onEvent: (ev: WatchEvent) => void,
    signal: AbortSignal,
    idleTimeoutMs = 90_000,
    metadataOnly = false,
  ): Promise<void> {
    assertAllowed(rt, undefined, 'watch');
    const idle = new AbortController();
    const both = AbortSignal.any([signal, idle.signal]);
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(new Error('watch idle timeout')), idleTimeoutMs);
      timer.unref();
    };
    arm();
    try {
      const res = await this.send(HttpMethod.GET, resourcePath(rt), {
        query: { ...query, watch: true },
        signal: both,
        ...(metadataOnly ? { accept: METADATA_ONLY } : {}),
      });
      if (res.status !== 200) throw toApiError(res.status, await res.text());
      const body = res.stream();
      if (!body) return;
      const decoder = new TextDecoder();
      let buffered = '';
      for await (const chunk of body) {
        arm();
        buffered += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (line) onEvent(JSON.parse(line) as WatchEvent);
        }
      }
    } catch (err) {
      // Aborted by the caller, or silent for too long: either way the stream simply ended, and
      // the informer resumes from its last resourceVersion (no error, no backoff).
      if (signal.aborted || idle.signal.aborted) return;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

function toApiError(status: number, text: string): ApiError {
  let reason = '';
  let message = text.slice(0, 500);
  try {
    const s = JSON.parse(text) as { reason?: string; message?: string };
    reason = s.reason ?? '';
    message = s.message ?? message;
  } catch {
    // not a Status object; keep the raw text
  }
  return new ApiError(status, reason, `HTTP ${status}${reason ? ' ' + reason : ''}: ${message}`);
}
