// Exit codes are part of the CLI's interface: scripts and CI jobs branch on them, so each kind of
// failure has its own code and they never change meaning.

/** The process exit codes of `l4gw`. */
export const ExitCode = {
  ok: 0,
  /** Something failed at run time: the API server refused, the operator crashed. */
  runtime: 1,
  /** Bad flags, unknown subcommand, missing required flag (Go's flag package also exits 2). */
  usage: 2,
  /** A file or directory given with `-f` cannot be read. */
  unreadableFile: 3,
  /** A manifest is not valid YAML/JSON, or a document is not a Kubernetes object. */
  invalidManifest: 4,
  /** `reconcile -check`: the manifests are valid, but l4gw would leave something not ready. */
  checkFailed: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as one message and a specific exit code, without a stack trace. */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;

  constructor(exitCode: ExitCodeValue, message: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Shorthand for a usage error (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(ExitCode.usage, message);
}
