// Total readers for untrusted JSON. Each returns a well-typed value or `undefined`; none throws,
// whatever the input (getters that throw, cycles and prototypes are not reachable through
// JSON-shaped data, but `Object.entries` on a Proxy could throw, hence the guards in safeEntries).

import type { Condition } from '../model/kube.js';

export type JsonRecord = Readonly<Record<string, unknown>>;

/** Shared empty list: most optional lists are absent, and allocating one per object adds up at 50k Gateways. */
const EMPTY_LIST: readonly string[] = Object.freeze([]);

/** True for plain objects (not arrays, not null). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads `obj[key]` without inheriting from the prototype chain (`constructor`, `__proto__`). */
export function field(obj: unknown, key: string): unknown {
  if (!isRecord(obj)) return undefined;
  try {
    return Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  } catch {
    return undefined;
  }
}

export function record(obj: unknown, key: string): JsonRecord | undefined {
  const v = field(obj, key);
  return isRecord(v) ? v : undefined;
}

export function str(obj: unknown, key: string): string | undefined {
  const v = field(obj, key);
  return typeof v === 'string' ? v : undefined;
}

export function bool(obj: unknown, key: string): boolean | undefined {
  const v = field(obj, key);
  return typeof v === 'boolean' ? v : undefined;
}

/** An integer field; non-integers and non-numbers read as undefined. */
export function int(obj: unknown, key: string): number | undefined {
  const v = field(obj, key);
  return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
}

export function array(obj: unknown, key: string): readonly unknown[] {
  const v = field(obj, key);
  return Array.isArray(v) ? v : EMPTY_LIST;
}

/** True when `obj[key]` is an array (so that an explicit empty list can be told from a missing one). */
export function hasArray(obj: unknown, key: string): boolean {
  return Array.isArray(field(obj, key));
}

function safeEntries(obj: JsonRecord): [string, unknown][] {
  try {
    return Object.entries(obj);
  } catch {
    return [];
  }
}

/**
 * A `map[string]string` field; non-string values are dropped. Keys are sorted for determinism.
 * `__proto__` is not a valid label or annotation key, and assigning it would change the result's
 * prototype, so it is dropped too.
 */
export function stringMap(obj: unknown, key: string): Readonly<Record<string, string>> {
  const v = field(obj, key);
  if (!isRecord(v)) return EMPTY_MAP;
  const entries = safeEntries(v).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '__proto__',
  );
  if (entries.length === 0) return EMPTY_MAP;
  entries.sort((a, b) => compareStrings(a[0], b[0]));
  const out: Record<string, string> = {};
  for (const [k, val] of entries) out[k] = val;
  return out;
}

export const EMPTY_MAP: Readonly<Record<string, string>> = Object.freeze({});

/** Code-unit order: stable across locales, unlike localeCompare. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads a string-array field, dropping non-strings. */
export function stringArray(obj: unknown, key: string): readonly string[] {
  const list = array(obj, key);
  return list.length === 0 ? EMPTY_LIST : list.filter((v): v is string => typeof v === 'string');
}


const CONDITION_STATUSES = new Set(['True', 'False', 'Unknown']);

/** Reads a `conditions` list; malformed entries (no type, bad status) are dropped. */
export function conditions(obj: unknown): readonly Condition[] {
  const out: Condition[] = [];
  for (const c of array(obj, 'conditions')) {
    const type = str(c, 'type');
    const status = str(c, 'status');
    if (type === undefined || type === '' || status === undefined || !CONDITION_STATUSES.has(status)) continue;
    const generation = int(c, 'observedGeneration');
    out.push({
      type,
      status: status as Condition['status'],
      reason: str(c, 'reason') ?? '',
      message: str(c, 'message') ?? '',
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
      lastTransitionTime: str(c, 'lastTransitionTime') ?? '',
    });
  }
  return out;
}

/** A port number 1..65535, or undefined. */
export function port(obj: unknown, key: string): number | undefined {
  const v = int(obj, key);
  return v !== undefined && v >= 1 && v <= 65535 ? v : undefined;
}
