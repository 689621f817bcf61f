// A small command-line parser with the semantics of Go's `flag` package, because the prototype's
// documented command line (`gateway-api-controller -metrics-bind-address :8083 -kubeconfig …`)
// uses single-dash long flags, and no maintained npm parser accepts those: they read `-abc` as
// the short flags a, b and c. Rules (as in Go): `-flag` and `--flag` are the same; values are
// given as `-flag=value` or `-flag value`; booleans are `-flag` or `-flag=false` (never
// `-flag false`); parsing stops at the first non-flag argument or after `--`.

import { usageError } from './errors.js';

interface FlagCommon {
  /** The name without dashes, e.g. `metrics-bind-address`. */
  readonly name: string;
  /** One line for the help text. */
  readonly usage: string;
}

/** A flag taking a string value, optionally restricted to a fixed set of values. */
export interface StringFlag extends FlagCommon {
  readonly kind: 'string';
  readonly default: string;
  readonly values?: readonly string[];
}

/** A flag that is true when given without a value. */
export interface BoolFlag extends FlagCommon {
  readonly kind: 'bool';
  readonly default: boolean;
}

/** A string flag that may be repeated; every occurrence is kept in order (`-f a -f b`). */
export interface ListFlag extends FlagCommon {
  readonly kind: 'list';
}

export type FlagSpec = StringFlag | BoolFlag | ListFlag;

/** Thrown (by `parseFlags`) when `-h`, `-help` or `--help` is given and not defined as a flag. */
export class HelpRequested extends Error {
  constructor() {
    super('help requested');
    this.name = 'HelpRequested';
  }
}

/** The outcome of parsing: typed accessors plus the arguments left after the flags. */
export class FlagValues {
  readonly #specs: ReadonlyMap<string, FlagSpec>;
  readonly #values: ReadonlyMap<string, string | boolean | readonly string[]>;
  /** Arguments after the last flag (the first non-flag argument and everything after it). */
  readonly rest: readonly string[];

  constructor(
    specs: ReadonlyMap<string, FlagSpec>,
    values: ReadonlyMap<string, string | boolean | readonly string[]>,
    rest: readonly string[],
  ) {
    this.#specs = specs;
    this.#values = values;
    this.rest = rest;
  }

  /** The value of a string flag, or its default. */
  string(name: string): string {
    const spec = this.#spec(name, 'string');
    const value = this.#values.get(name);
    return typeof value === 'string' ? value : (spec as StringFlag).default;
  }

  /** The value of a boolean flag, or its default. */
  bool(name: string): boolean {
    const spec = this.#spec(name, 'bool');
    const value = this.#values.get(name);
    return typeof value === 'boolean' ? value : (spec as BoolFlag).default;
  }

  /** Every value given to a repeatable flag, in command-line order. */
  list(name: string): readonly string[] {
    this.#spec(name, 'list');
    const value = this.#values.get(name);
    return Array.isArray(value) ? value : [];
  }

  /** Whether the flag appeared on the command line (as opposed to holding its default). */
  isSet(name: string): boolean {
    return this.#values.has(name);
  }

  #spec(name: string, kind: FlagSpec['kind']): FlagSpec {
    const spec = this.#specs.get(name);
    // A programming error in the CLI itself, not a user error: fail loudly.
    if (spec === undefined || spec.kind !== kind) throw new Error(`no ${kind} flag -${name} defined`);
    return spec;
  }
}

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * Parses `args` against `specs` the way Go's `flag.FlagSet.Parse` does. Throws a usage
 * `CliError` (exit code 2) for an unknown flag, a missing value, a bad boolean or a value outside
 * a flag's allowed set, and `HelpRequested` for `-h`/`-help`.
 */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): FlagValues {
  const byName = new Map(specs.map((spec) => [spec.name, spec] as const));
  const values = new Map<string, string | boolean | readonly string[]>();
  let index = 0;
  while (index < args.length) {
    const arg = args[index]!;
    if (arg.length < 2 || !arg.startsWith('-')) break;
    index += 1;
    if (arg === '--') break;
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    if (body.length === 0 || body.startsWith('-') || body.startsWith('=')) {
      throw usageError(`bad flag syntax: ${arg}`);
    }
    const equals = body.indexOf('=');
    const name = equals === -1 ? body : body.slice(0, equals);
    const inline = equals === -1 ? undefined : body.slice(equals + 1);
    const spec = byName.get(name);
    if (spec === undefined) {
      if (name === 'h' || name === 'help') throw new HelpRequested();
      throw usageError(`flag provided but not defined: -${name}`);
    }
    if (spec.kind === 'bool') {
      values.set(name, parseBool(name, inline));
      continue;
    }
    let value = inline;
    if (value === undefined) {
      // Go takes the next argument as the value even when it starts with a dash.
      if (index >= args.length) throw usageError(`flag needs an argument: -${name}`);
      value = args[index]!;
      index += 1;
    }
    if (spec.kind === 'list') {
      const previous = values.get(name);
      values.set(name, [...(Array.isArray(previous) ? previous : []), value]);
    } else {
      if (spec.values !== undefined && !spec.values.includes(value)) {
        throw usageError(
          `invalid value ${JSON.stringify(value)} for flag -${name}: must be one of ${spec.values.join(', ')}`,
        );
      }
      values.set(name, value);
    }
  }
  return new FlagValues(byName, values, args.slice(index));
}

function parseBool(name: string, text: string | undefined): boolean {
  if (text === undefined || GO_TRUE.has(text)) return true;
  if (GO_FALSE.has(text)) return false;
  throw usageError(`invalid boolean value ${JSON.stringify(text)} for -${name}: parse error`);
}

/**
 * Renders the flag list in the layout of Go's `flag.PrintDefaults`, which the prototype's users
 * know: `  -name type` on one line, the usage and default on the next.
 */
export function formatFlagHelp(specs: readonly FlagSpec[]): string {
  const lines: string[] = [];
  for (const spec of [...specs].sort((a, b) => a.name.localeCompare(b.name))) {
    const type = spec.kind === 'bool' ? '' : spec.kind === 'list' ? ' value (repeatable)' : ' string';
    lines.push(`  -${spec.name}${type}`);
    let usage = spec.usage;
    if (spec.kind === 'string' && spec.values !== undefined) usage += ` (one of: ${spec.values.join(', ')})`;
    if (spec.kind === 'string' && spec.default !== '') usage += ` (default ${JSON.stringify(spec.default)})`;
    if (spec.kind === 'bool' && spec.default) usage += ' (default true)';
    lines.push(`    \t${usage}`);
  }
  return lines.join('\n');
}
