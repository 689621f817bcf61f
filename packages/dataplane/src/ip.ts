import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs a command (no shell) and returns its stdout; on failure the error names the command and
 * carries its stderr, so a test bed that could not be built says exactly which step failed.
 */
export async function command(file: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  try {
    const { stdout } = await run(file, [...args], { encoding: 'utf8', env });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${file} ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
}

/** `ip <args>`. */
export function ip(...args: string[]): Promise<string> {
  return command('ip', args);
}

/** `ip -n <namespace> <args>`: an `ip` command applied inside `namespace`. */
export function ipIn(namespace: string, ...args: string[]): Promise<string> {
  return command('ip', ['-n', namespace, ...args]);
}
