import type { FlagSpec, FlagValues } from '../flags.js';

/** One subcommand: its flags, one line for `l4gw help`, and what it does. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Usage line after `l4gw`, e.g. `reconcile -f <files or dirs> [-o yaml|json|table]`. */
  readonly synopsis: string;
  readonly flags: readonly FlagSpec[];
  /** Runs the command; resolves to the process exit code. Errors are thrown as CliError. */
  run(flags: FlagValues): Promise<number>;
}

/** Writes to stdout, waiting for the pipe so large outputs are not cut off by process.exit. */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** Writes one line to stderr. */
export function writeErr(line: string): void {
  process.stderr.write(`${line}\n`);
}
