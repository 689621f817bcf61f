// One line for an error, with the causes it wraps. Node's fetch reports every transport failure
// as "fetch failed" and hides what happened (refused connection, DNS, TLS) in `error.cause`,
// sometimes as an AggregateError of one attempt per address: without walking that chain a log
// line or CLI message says nothing a user can act on.

const MAX_DEPTH = 8;
/** An AggregateError of many writes must not turn into a page of text. */
const MAX_CHILDREN = 3;

function ownText(error: Error): string {
  const code = (error as { code?: unknown }).code;
  const message = error.message.trim();
  if (typeof code !== 'string' || code === '' || message.includes(code)) return message;
  return message === '' ? code : `${message} (${code})`;
}

function parts(error: unknown, depth: number): string[] {
  if (!(error instanceof Error)) return error === undefined ? [] : [String(error)];
  const own = ownText(error);
  if (depth >= MAX_DEPTH) return [own];
  const inner: string[] = [];
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    const children = [...new Set(error.errors.slice(0, MAX_CHILDREN).map((child) => parts(child, depth + 1).join(': ')))]
      .filter((text) => text !== '' && !own.includes(text));
    if (children.length > 0) inner.push(children.join('; '));
  }
  if (error.cause !== undefined) inner.push(...parts(error.cause, depth + 1));
  return [own, ...inner];
}

/**
 * The error's message followed by each cause's (`fetch failed: connect ECONNREFUSED 127.0.0.1:6443`),
 * with system error codes (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ENOTFOUND`) added where the message
 * lacks them; a part already said is not repeated.
 */
export function errorText(error: unknown): string {
  const kept: string[] = [];
  for (const part of parts(error, 0)) {
    if (part !== '' && !kept.some((earlier) => earlier.includes(part))) kept.push(part);
  }
  return kept.join(': ');
}
