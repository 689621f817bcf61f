// The `l4gw` / `gateway-api-controller` command line: picks the subcommand (`run` when the first
// argument is a flag or absent), parses its flags Go-style and maps failures to exit codes.

import { CliError, ExitCode, usageError } from './errors.js';
import { HelpRequested, formatFlagHelp, parseFlags } from './flags.js';
import type { Command } from './commands/command.js';
import { ipamCommand } from './commands/ipam.js';
import { rbacCommand } from './commands/rbac.js';
import { reconcileCommand } from './commands/reconcile.js';
import { runCommand } from './commands/run.js';
import { versionCommand } from './commands/version.js';

/** Where the rule ids that the flags' help cites are defined. */
const RULES_URL = 'docs/rules.md in the l4gw repository';

const COMMANDS: readonly Command[] = [runCommand, reconcileCommand, ipamCommand, rbacCommand, versionCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length), 'help'.length);
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}   ${command.summary}`);
  lines.push(`  ${'help'.padEnd(width)}   show this help, or a command's flags: l4gw help <command>`);
  return [
    'l4gw: a Layer-4 Gateway API controller (GatewayClass, Gateway, TCPRoute, UDPRoute) for VIP load balancers.',
    '',
    'Usage:',
    '  l4gw <command> [flags]',
    '  l4gw [flags]                 same as: l4gw run [flags]',
    '',
    'Commands:',
    ...lines,
    '',
    'Flags take one or two dashes and a value as -flag=value or -flag value (Go style).',
    'Exit codes: 0 ok, 1 runtime failure, 2 bad usage, 3 unreadable file, 4 invalid manifest, 5 reconcile -check failed.',
    `Rule ids in the help (GC1, IP5, …) are explained in ${RULES_URL}.`,
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return `Usage: l4gw ${command.synopsis}\n\n${command.summary}\n\nFlags:\n${formatFlagHelp(command.flags)}\n\nRule ids (GC1, IP5, …): ${RULES_URL}\n`;
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) throw usageError(`unknown command ${JSON.stringify(name)}; run "l4gw help" for the list`);
  return command;
}

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [first, ...others] = argv;
  if (first === 'help' || first === '--help' || first === '-help' || first === '-h') {
    const topic = first === 'help' ? others[0] : undefined;
    process.stdout.write(topic === undefined ? overview() : commandHelp(findCommand(topic)));
    return ExitCode.ok;
  }
  const command = first === undefined || first.startsWith('-') ? runCommand : findCommand(first);
  const args = first === undefined || first.startsWith('-') ? argv : others;
  try {
    return await command.run(parseFlags(args, command.flags));
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(commandHelp(command));
      return ExitCode.ok;
    }
    throw error;
  }
}

/** Prints an error the way the CLI reports it and returns the exit code for it. */
export function report(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(`l4gw: ${error.message}\n`);
    if (error.exitCode === ExitCode.usage) process.stderr.write('Run "l4gw help" for usage.\n');
    return error.exitCode;
  }
  process.stderr.write(`l4gw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return ExitCode.runtime;
}
