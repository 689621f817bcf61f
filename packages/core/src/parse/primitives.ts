// Total readers for untrusted JSON. Each returns a well-typed value or `undefined`; none throws,
// whatever the input (getters that throw, cycles and prototypes are not reachable through
// JSON-shaped data, but `Object.entries` on a Proxy could throw, hence the guards in safeEntries).

import type { Condition } from '../model/kube.js';

export type JsonRecord = Readonly<Record<string, unknown>>;

/**
 * A parsed object under construction. Hot parsers set optional fields by assignment rather than
 * with conditional spreads, which are several times slower and allocate a temporary per field.
 */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Shared empty list: most optional lists are absent, and allocating one per object adds up at 50k Gateways. */
const EMPTY_LIST: readonly string[] = Object.freeze([]);

/** True for plain objects (not arrays, not null). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Binary search: the first index of `sorted` whose item `isBefore` is false for, where `isBefore`
 * holds for a prefix of `sorted` and not after it (the place of a sought item, or where it belongs).
 */
export function lowerBound<T>(sorted: readonly T[], isBefore: (item: T) => boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (isBefore(sorted[mid] as T)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The number of own enumerable fields, counted without allocating a key list (hot paths). */
export function fieldCount(record: object): number {
  let count = 0;
  for (const key in record) if (Object.hasOwn(record, key)) count++;
  return count;
}

/** Reads `obj[key]` without inheriting from the prototype chain (`constructor`, `__proto__`). */
export function field(obj: unknown, key: string): unknown {
  if (!isRecord(obj)) return undefined;
  try {
    const v = obj[key];
    // Most optional fields are absent: answer those without the own-property check.
    return v === undefined || Object.hasOwn(obj, key) ? v : undefined;
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
 * A `map[string]string` field; non-string values are dropped. `__proto__` is not a valid label or
 * annotation key, and assigning it would change the result's prototype, so it is dropped too.
 * A clean map (the usual case) is returned as is, without a copy: it is plain input data that
 * core only reads. Key order is the input's, which is part of the object, not of list order.
 */
export function stringMap(obj: unknown, key: string): Readonly<Record<string, string>> {
  const v = field(obj, key);
  if (!isRecord(v)) return EMPTY_MAP;
  try {
    let clean = Object.getPrototypeOf(v) === Object.prototype;
    let empty = true;
    for (const k in v) {
      empty = false;
      if (!Object.hasOwn(v, k) || typeof v[k] !== 'string' || k === '__proto__') {
        clean = false;
        break;
      }
    }
    if (clean) return empty ? EMPTY_MAP : (v as Readonly<Record<string, string>>);
  } catch {
    return EMPTY_MAP;
  }
  const out: Record<string, string> = {};
  for (const [k, val] of safeEntries(v)) {
    if (typeof val === 'string' && k !== '__proto__') out[k] = val;
  }
  return out;
}

export const EMPTY_MAP: Readonly<Record<string, string>> = Object.freeze({});

/** Reads a string-array field, dropping non-strings. */
export function stringArray(obj: unknown, key: string): readonly string[] {
  const list = array(obj, key);
  // The usual list is clean: return it as is rather than a copy.
  return list.every((v) => typeof v === 'string') ? (list as readonly string[]) : list.filter((v): v is string => typeof v === 'string');
}


const CONDITION_STATUSES = new Set(['True', 'False', 'Unknown']);

function isWellFormedCondition(c: unknown): boolean {
  if (!isRecord(c) || Object.getPrototypeOf(c) !== Object.prototype) return false;
  const type = c['type'];
  const status = c['status'];
  const generation = c['observedGeneration'];
  return (
    typeof type === 'string' &&
    type !== '' &&
    typeof status === 'string' &&
    CONDITION_STATUSES.has(status) &&
    typeof c['reason'] === 'string' &&
    typeof c['message'] === 'string' &&
    typeof c['lastTransitionTime'] === 'string' &&
    (generation === undefined || (typeof generation === 'number' && Number.isSafeInteger(generation)))
  );
}
const NO_CONDITIONS: readonly Condition[] = Object.freeze([]);

/** Reads a `conditions` list; malformed entries (no type, bad status) are dropped. */
export function conditions(obj: unknown): readonly Condition[] {
  const list = array(obj, 'conditions');
  if (list.length === 0) return NO_CONDITIONS;
  // Conditions written by a controller are well-formed: keep them as they are, without copies.
  if (list.every(isWellFormedCondition)) return list as readonly Condition[];
  const out: Condition[] = [];
  for (const c of list) {
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
