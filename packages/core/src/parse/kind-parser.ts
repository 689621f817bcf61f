// How the objects of one kind are parsed: one at a time, or a whole list. Parsing is pure; the
// engine's parsers (engine/parse-cache.ts) remember their results per raw object behind the same
// interface, and parseSnapshot (./snapshot.ts) is given one or the other.

import type { DiagnosticSink } from './meta.js';

/** A parsed object and its identity key (`namespace/name`, or `name` when cluster-scoped). */
export interface KeyedParse<T> {
  readonly value: T;
  readonly key: string;
}

/** A parser of one kind. */
export interface KindParser<T> {
  /** Parses one raw object. */
  (raw: unknown, sink: DiagnosticSink): KeyedParse<T> | undefined;
  /** Parses every item of a list, in order. */
  list(raws: readonly unknown[], sink: DiagnosticSink): readonly (KeyedParse<T> | undefined)[];
}

/** `parse` with the identity key of its result. */
export function keyedParse<T>(parse: (raw: unknown, sink: DiagnosticSink) => T | undefined, keyOf: (parsed: T) => string) {
  return (raw: unknown, sink: DiagnosticSink): KeyedParse<T> | undefined => {
    const value = parse(raw, sink);
    return value === undefined ? undefined : { value, key: keyOf(value) };
  };
}

/** A parser that parses every object on every call (the pure reconcile's). */
export function plainParser<T>(parse: (raw: unknown, sink: DiagnosticSink) => T | undefined, keyOf: (parsed: T) => string): KindParser<T> {
  const parseKeyed = keyedParse(parse, keyOf);
  return Object.assign(parseKeyed, { list: (raws: readonly unknown[], sink: DiagnosticSink) => raws.map((raw) => parseKeyed(raw, sink)) });
}
