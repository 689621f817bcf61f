import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The answer to a probe: HTTP status and body text, or the network error that prevented one. */
export type ProbeResult = { status: number; body: string } | { error: string };

/** Credentials for probing the API server before a KubeConfig is worth building. */
export interface ProbeAuth {
  bearerToken?: string;
  /** PEM CA bundle; without it TLS verification is skipped (loopback only). */
  caPem?: string;
}

/**
 * GETs `url` once (http or https) with a short timeout. Used for readiness polling, where a
 * refused connection is an expected answer rather than an exception.
 */
export function probe(url: string, auth: ProbeAuth = {}, timeoutMs = 2_000): Promise<ProbeResult> {
  const target = new URL(url);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (auth.bearerToken) headers.authorization = `Bearer ${auth.bearerToken}`;
  return new Promise((resolve) => {
    const options = { method: 'GET', headers, timeout: timeoutMs };
    const onResponse = (response: import('node:http').IncomingMessage): void => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', (error) => resolve({ error: error.message }));
    };
    const req =
      target.protocol === 'https:'
        ? httpsRequest(target, { ...options, ca: auth.caPem, rejectUnauthorized: auth.caPem !== undefined }, onResponse)
        : httpRequest(target, options, onResponse);
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ error: error.message }));
    req.end();
  });
}

/** Describes a probe result in one line for error messages. */
export function describeProbe(result: ProbeResult): string {
  return 'error' in result ? result.error : `HTTP ${result.status}: ${result.body.slice(0, 500)}`;
}

/** Options for {@link pollUntil}. */
export interface PollOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** What is being waited for, for the timeout message. */
  what: string;
  /** Checked before every attempt; a string return aborts the wait with that reason (e.g. the child died). */
  abortReason?: () => string | undefined;
}

/**
 * Calls `attempt` until it returns a value other than `undefined`, and returns that value.
 * Throws when `timeoutMs` passes (naming `what` and the last `describeLast()` note) or when
 * `abortReason` reports a reason to stop early.
 */
export async function pollUntil<T>(
  attempt: () => Promise<T | undefined>,
  options: PollOptions,
  describeLast: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 100;
  for (;;) {
    const abort = options.abortReason?.();
    if (abort !== undefined) throw new Error(`gave up waiting for ${options.what}: ${abort}`);
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) {
      const last = describeLast();
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${last ? ` (last: ${last})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
