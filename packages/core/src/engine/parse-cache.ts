// Parse results remembered per raw object. A controller reconciles its whole cache on every
// watch event, and an informer hands back the same object instances until they change, so at
// 50k Gateways re-parsing ~300k unchanged objects (and collecting the garbage) was a quarter of
// every reconcile. The memo is invisible to callers: it is keyed by the object itself (a
// WeakMap, so it never keeps a dropped object alive) and is only used while the object's
// metadata, spec, status and top-level data are the same instances with the same
// resourceVersion; anything replaced or re-versioned is parsed again. Objects must therefore not
// be edited deep inside in place, which informers and the API never do.

import type { Diagnostic } from '../model/desired.js';
import { keyedParse, type KeyedParse, type KindParser } from '../parse/kind-parser.js';
import type { DiagnosticSink } from '../parse/meta.js';
import type { ListChanges } from './object-store.js';
import { lowerBound } from '../parse/primitives.js';
import { edited } from './list-copies.js';

/** How a list differs from the one given before it, when its holder knows (ObjectStore.changesSince); else undefined. */
export type ListHistory = (before: readonly unknown[], after: readonly unknown[]) => ListChanges | undefined;

/**
 * Every top-level field a parser reads. A parse is reused only while each holds the same value
 * (the same instance, for objects) as when it was parsed.
 */
const READ_FIELDS = ['apiVersion', 'kind', 'metadata', 'spec', 'status', 'data', 'addressType', 'ports', 'endpoints'] as const;

/** One remembered parse: the result, the diagnostics it reported, and what it was read from. */
interface Entry<T> {
  readonly parsed: KeyedParse<T> | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** The values of READ_FIELDS, in that order, then metadata.resourceVersion. */
  readonly fields: readonly unknown[];
}

type RawObject = Readonly<Record<string, unknown>>;

const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

/** The last list parsed, its entries (one per item, all objects), results and their diagnostics. */
interface ParsedList<T> {
  /** The array given, taken as unchanged while it is the very same (see cachedParser). */
  readonly source: readonly unknown[];
  /** Its items as they were, for the next array to be compared with (private: the next list's patch takes it over). */
  readonly raws: unknown[];
  readonly entries: Entry<T>[];
  /**
   * The entries' fields laid end to end (FIELD_COUNT per item): checking that a list is
   * unchanged reads them in order instead of following a pointer per item to its entry and its
   * fields (at 50k Gateways, 400k items whose entries are scattered over the heap). The next
   * list of as many items takes it over and rewrites the positions that changed.
   */
  readonly fields: unknown[];
  readonly parsed: readonly (KeyedParse<T> | undefined)[];
  readonly diagnostics: readonly Diagnostic[];
  /** The places of the items whose entries have diagnostics, ascending (`diagnostics` is theirs in this order). */
  readonly diagnosedAt: readonly number[];
}

/**
 * A parser that remembers its results per raw object (see the file comment), each with its
 * identity key: the key string is then built (and hashed, and flattened for sorting) once per
 * object rather than on every reconcile. `parse` and `keyOf` must be pure: their results and
 * diagnostics may only depend on the raw object's READ_FIELDS.
 *
 * Its `list`: the very array of the last call gives that call's results at once. An engine's
 * lists are copied on write (./object-store.ts), and the objects handed to an engine are never
 * edited in place (its contract, in the core README), so the same array holds the same objects,
 * unchanged; walking 100k objects to find that out was nearly all of a reconcile after an event
 * no rule reads. Another array that holds the very same objects as the last one, in the same
 * order, each unchanged, gives that list's results too, without a lookup per object: the items
 * before the first changed one are taken as a block.
 */
export function cachedParser<T>(
  parse: (raw: unknown, sink: DiagnosticSink) => T | undefined,
  keyOf: (parsed: T) => string,
  history: ListHistory = NO_HISTORY,
): KindParser<T> {
  const memo = new WeakMap<RawObject, Entry<T>>();
  let lastList: ParsedList<T> | undefined;
  const parseKeyed = keyedParse(parse, keyOf);
  const entryOf = (object: RawObject): Entry<T> => {
    const known = memo.get(object);
    if (known !== undefined && isUnchanged(known.fields, 0, object)) return known;
    const own: Diagnostic[] = [];
    const entry: Entry<T> = { parsed: parseKeyed(object, own), diagnostics: own.length === 0 ? NO_DIAGNOSTICS : own, fields: fieldsOf(object) };
    memo.set(object, entry);
    return entry;
  };
  const parseOne = (raw: unknown, sink: DiagnosticSink): KeyedParse<T> | undefined => {
    if (typeof raw !== 'object' || raw === null) return parseKeyed(raw, sink);
    const entry = entryOf(raw as RawObject);
    for (const diagnostic of entry.diagnostics) sink.push(diagnostic);
    return entry.parsed;
  };
  const parseList = (raws: readonly unknown[], sink: DiagnosticSink): readonly (KeyedParse<T> | undefined)[] => {
    const last = lastList;
    if (last !== undefined && raws === last.source) {
      for (const diagnostic of last.diagnostics) sink.push(diagnostic);
      return last.parsed;
    }
    const changes = last !== undefined ? history(last.source, raws) : undefined;
    if (changes !== undefined && last !== undefined) {
      const patched = withChanges(last, raws, changes, entryOf);
      if (patched !== undefined) {
        lastList = patched;
        for (const diagnostic of patched.diagnostics) sink.push(diagnostic);
        return patched.parsed;
      }
    }
    // The items before the first that changed are the last list's, and were checked once: their
    // entries and results are taken as a block. On most reconciles every list but one is unchanged.
    const same = last === undefined ? 0 : unchangedPrefix(last, raws);
    if (last !== undefined && same === raws.length && same === last.raws.length) {
      for (const diagnostic of last.diagnostics) sink.push(diagnostic);
      return last.parsed;
    }
    const entries: Entry<T>[] = last === undefined ? [] : last.entries.slice(0, same);
    const parsed: (KeyedParse<T> | undefined)[] = last === undefined ? [] : last.parsed.slice(0, same);
    const diagnosedAt: number[] = [];
    const diagnostics: Diagnostic[] = [];
    if (last !== undefined) {
      for (const at of last.diagnosedAt) {
        if (at >= same) break;
        diagnosedAt.push(at);
        for (const diagnostic of last.entries[at]!.diagnostics) diagnostics.push(diagnostic);
      }
    }
    // The last list's fields are taken over (copying them item by item cost more than parsing
    // the changed objects): the prefix is kept, each later position rewritten unless it holds the
    // same unchanged object as before, and the end cut to this list's length.
    const fields = last !== undefined ? last.fields : [];
    // After a removal (an engine's list keeps every other object in order), the items past the
    // removed ones are the last list's, that many places further on.
    const removed = last !== undefined ? last.raws.length - raws.length : 0;
    lastList = undefined;
    for (let i = same; i < raws.length; i++) {
      const raw = raws[i];
      if (typeof raw !== 'object' || raw === null) {
        parsed.push(parseKeyed(raw, diagnostics));
        continue;
      }
      // Where the list still holds the same unchanged object as last time (all but the changed
      // one, when one object changed), its entry is at hand without a lookup. Reading a later
      // place of the fields taken over is safe: only places up to `i` have been written.
      const inPlace = last !== undefined ? unchangedEntry(last, i, raw) : undefined;
      const reused = inPlace ?? (removed > 0 ? unchangedEntry(last!, i + removed, raw) : undefined);
      const entry = reused ?? entryOf(raw as RawObject);
      if (inPlace === undefined) for (let k = 0; k < FIELD_COUNT; k++) fields[i * FIELD_COUNT + k] = entry.fields[k];
      entries.push(entry);
      if (entry.diagnostics.length > 0) diagnosedAt.push(i);
      for (const diagnostic of entry.diagnostics) diagnostics.push(diagnostic);
      parsed.push(entry.parsed);
    }
    fields.length = raws.length * FIELD_COUNT;
    for (const diagnostic of diagnostics) sink.push(diagnostic);
    // A list with a non-object item (junk) is not remembered: it has no entry to check.
    if (entries.length === raws.length) lastList = { source: raws, raws: raws.slice(), entries, fields, parsed, diagnostics, diagnosedAt };
    return parsed;
  };
  return Object.assign(parseOne, { list: parseList });
}

const NO_HISTORY: ListHistory = () => undefined;

/**
 * The last list with what its holder says changed (ObjectStore.changesSince) made again, taking
 * over its private arrays; undefined when that does not add up (the lengths disagree, or an item
 * come is not an object: junk is never remembered).
 */
function withChanges<T>(last: ParsedList<T>, raws: readonly unknown[], changes: ListChanges, entryOf: (object: RawObject) => Entry<T>): ParsedList<T> | undefined {
  return changes.kind === 'removed' ? withRemoved(last, raws, changes.removed) : withUpserted(last, raws, changes.replaced, changes.appended, entryOf);
}

/** The last list with the places replaced and appended parsed again. */
function withUpserted<T>(
  last: ParsedList<T>,
  raws: readonly unknown[],
  replaced: readonly number[],
  appended: number,
  entryOf: (object: RawObject) => Entry<T>,
): ParsedList<T> | undefined {
  const places = [...replaced];
  for (let i = last.raws.length; i < raws.length; i++) places.push(i);
  if (last.raws.length + appended !== raws.length || places.some((i) => typeof raws[i] !== 'object' || raws[i] === null)) return undefined;
  // The last list's own arrays are taken over and written in place; only `parsed` was handed out,
  // so it alone is copied, in one allocation of its new length (copying 40k-item arrays and
  // growing them again was most of this patch).
  const { raws: copy, entries, fields } = last;
  const parsed = appended > 0 ? last.parsed.concat(new Array<KeyedParse<T> | undefined>(appended).fill(undefined)) : last.parsed.slice();
  let diagnosed = false;
  for (const i of places) {
    const raw = raws[i] as RawObject;
    const entry = entryOf(raw);
    diagnosed ||= entry.diagnostics.length > 0 || (entries[i]?.diagnostics.length ?? 0) > 0;
    copy[i] = raw;
    entries[i] = entry;
    parsed[i] = entry.parsed;
    for (let k = 0; k < FIELD_COUNT; k++) fields[i * FIELD_COUNT + k] = entry.fields[k];
  }
  // The diagnostics are in item order: made again only when a changed place has or had some.
  let { diagnostics, diagnosedAt } = last;
  if (diagnosed) {
    const changed = new Set(places);
    const at = diagnosedAt.filter((i) => !changed.has(i));
    for (const i of places) if (entries[i]!.diagnostics.length > 0) at.push(i);
    diagnosedAt = at.sort((a, b) => a - b);
    diagnostics = diagnosedAt.flatMap((i) => entries[i]!.diagnostics);
  }
  return { source: raws, raws: copy, entries, fields, parsed, diagnostics, diagnosedAt };
}

/** The last list without the places removed (ascending), every other item in its order. */
function withRemoved<T>(last: ParsedList<T>, raws: readonly unknown[], removed: readonly number[]): ParsedList<T> | undefined {
  if (last.raws.length - removed.length !== raws.length) return undefined;
  const { raws: copy, entries, fields } = last;
  const gone = new Set(removed);
  // From the last place down, so the places still to remove keep theirs.
  for (let r = removed.length - 1; r >= 0; r--) {
    const i = removed[r]!;
    copy.splice(i, 1);
    entries.splice(i, 1);
    fields.splice(i * FIELD_COUNT, FIELD_COUNT);
  }
  const parsed = edited(last.parsed, removed, []);
  let { diagnostics, diagnosedAt } = last;
  if (diagnosedAt.length > 0) {
    // A place moves down by the places removed before it.
    diagnosedAt = diagnosedAt.filter((i) => !gone.has(i)).map((i) => i - lowerBound(removed, (r) => r < i));
    diagnostics = diagnosedAt.flatMap((i) => entries[i]!.diagnostics);
  }
  return { source: raws, raws: copy, entries, fields, parsed, diagnostics, diagnosedAt };
}

/** How many items from the start of `raws` are the very objects of the last list, in its order, each unchanged. */
function unchangedPrefix<T>(last: ParsedList<T>, raws: readonly unknown[]): number {
  const length = Math.min(last.raws.length, raws.length);
  for (let i = 0; i < length; i++) if (unchangedEntry(last, i, raws[i]) === undefined) return i;
  return length;
}

/** The last list's entry at `i` when `raw` is the very object it was made from, unchanged. */
function unchangedEntry<T>(last: ParsedList<T>, i: number, raw: unknown): Entry<T> | undefined {
  if (raw !== last.raws[i] || !isUnchanged(last.fields, i * FIELD_COUNT, raw as RawObject)) return undefined;
  return last.entries[i];
}

/** READ_FIELDS and the resourceVersion. */
const FIELD_COUNT = READ_FIELDS.length + 1;

function fieldsOf(object: RawObject): unknown[] {
  const fields: unknown[] = READ_FIELDS.map((name) => object[name]);
  fields.push(resourceVersionOf(object));
  return fields;
}

/**
 * fieldsOf's comparison, spelled out field by field: this runs for every object of every
 * reconcile (100k at 10k Gateways), and named property reads are several times faster than
 * reads by a computed name. The order is READ_FIELDS' (checked by a test).
 */
function isUnchanged(fields: readonly unknown[], at: number, object: RawObject): boolean {
  return (
    fields[at] === object['apiVersion'] &&
    fields[at + 1] === object['kind'] &&
    fields[at + 2] === object['metadata'] &&
    fields[at + 3] === object['spec'] &&
    fields[at + 4] === object['status'] &&
    fields[at + 5] === object['data'] &&
    fields[at + 6] === object['addressType'] &&
    fields[at + 7] === object['ports'] &&
    fields[at + 8] === object['endpoints'] &&
    fields[at + 9] === resourceVersionOf(object)
  );
}

function resourceVersionOf(object: RawObject): unknown {
  const metadata = object['metadata'];
  return typeof metadata === 'object' && metadata !== null ? (metadata as RawObject)['resourceVersion'] : undefined;
}
