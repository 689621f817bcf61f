import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../src/errors.js';
import { type FlagSpec, HelpRequested, formatFlagHelp, parseFlags } from '../src/flags.js';

const SPECS: readonly FlagSpec[] = [
  { kind: 'string', name: 'metrics-bind-address', default: ':8080', usage: 'metrics' },
  { kind: 'string', name: 'kubeconfig', default: '', usage: 'kubeconfig' },
  { kind: 'string', name: 'o', default: 'yaml', values: ['yaml', 'json', 'table'], usage: 'format' },
  { kind: 'bool', name: 'leader-elect', default: false, usage: 'leader election' },
  { kind: 'bool', name: 'cache', default: true, usage: 'cache' },
  { kind: 'list', name: 'f', usage: 'files' },
];

function usageFailure(args: readonly string[]): CliError {
  try {
    parseFlags(args, SPECS);
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error(`expected ${args.join(' ')} to fail`);
}

describe('parseFlags', () => {
  it('should accept the prototype command line with single-dash long flags and separate values', () => {
    const flags = parseFlags(['-metrics-bind-address', ':8083', '-kubeconfig', '/home/me/.kube/config'], SPECS);
    expect(flags.string('metrics-bind-address')).toBe(':8083');
    expect(flags.string('kubeconfig')).toBe('/home/me/.kube/config');
    expect(flags.rest).toEqual([]);
  });

  it('should treat -flag=value, --flag=value and --flag value alike', () => {
    for (const args of [['-o=json'], ['--o=json'], ['--o', 'json'], ['-o', 'json']]) {
      expect(parseFlags(args, SPECS).string('o')).toBe('json');
    }
  });

  it('should keep a value containing "=" intact', () => {
    expect(parseFlags(['-kubeconfig=a=b'], SPECS).string('kubeconfig')).toBe('a=b');
  });

  it('should return defaults for flags not given and report which were set', () => {
    const flags = parseFlags(['-o', 'table'], SPECS);
    expect(flags.string('metrics-bind-address')).toBe(':8080');
    expect(flags.bool('leader-elect')).toBe(false);
    expect(flags.bool('cache')).toBe(true);
    expect(flags.isSet('o')).toBe(true);
    expect(flags.isSet('kubeconfig')).toBe(false);
  });

  it('should read booleans as Go does: -flag is true, -flag=false and -flag=0 are false', () => {
    expect(parseFlags(['-leader-elect'], SPECS).bool('leader-elect')).toBe(true);
    expect(parseFlags(['--leader-elect=true'], SPECS).bool('leader-elect')).toBe(true);
    expect(parseFlags(['-cache=false'], SPECS).bool('cache')).toBe(false);
    expect(parseFlags(['-cache=0'], SPECS).bool('cache')).toBe(false);
    expect(parseFlags(['-leader-elect=T'], SPECS).bool('leader-elect')).toBe(true);
  });

  it('should not let a boolean flag consume the next argument', () => {
    const flags = parseFlags(['-leader-elect', 'false'], SPECS);
    expect(flags.bool('leader-elect')).toBe(true);
    expect(flags.rest).toEqual(['false']);
  });

  it('should collect a repeated list flag in order', () => {
    expect(parseFlags(['-f', 'a.yaml', '--f=dir', '-f', 'b.json'], SPECS).list('f')).toEqual(['a.yaml', 'dir', 'b.json']);
  });

  it('should let the last occurrence of a string flag win, as Go does', () => {
    expect(parseFlags(['-o', 'json', '-o', 'table'], SPECS).string('o')).toBe('table');
  });

  it('should take the next argument as a value even when it starts with a dash', () => {
    expect(parseFlags(['-kubeconfig', '-weird'], SPECS).string('kubeconfig')).toBe('-weird');
  });

  it('should stop at the first non-flag argument and after --', () => {
    expect(parseFlags(['-o', 'json', 'extra', '-leader-elect'], SPECS).rest).toEqual(['extra', '-leader-elect']);
    const flags = parseFlags(['--', '-leader-elect'], SPECS);
    expect(flags.rest).toEqual(['-leader-elect']);
    expect(flags.bool('leader-elect')).toBe(false);
  });

  it('should treat a lone dash as an argument, not a flag', () => {
    expect(parseFlags(['-'], SPECS).rest).toEqual(['-']);
  });

  it('should reject an unknown flag with exit code 2 and name it', () => {
    const error = usageFailure(['-bogus']);
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toBe('flag provided but not defined: -bogus');
  });

  it('should reject a missing value, a bad boolean, a value outside the allowed set and bad syntax', () => {
    expect(usageFailure(['-kubeconfig']).message).toBe('flag needs an argument: -kubeconfig');
    expect(usageFailure(['-leader-elect=maybe']).message).toContain('invalid boolean value "maybe" for -leader-elect');
    expect(usageFailure(['-o', 'xml']).message).toBe('invalid value "xml" for flag -o: must be one of yaml, json, table');
    expect(usageFailure(['---o']).message).toBe('bad flag syntax: ---o');
    expect(usageFailure(['-=x']).message).toBe('bad flag syntax: -=x');
    for (const args of [['-kubeconfig'], ['-leader-elect=maybe'], ['-o', 'xml'], ['---o']]) {
      expect(usageFailure(args).exitCode).toBe(ExitCode.usage);
    }
  });

  it('should signal a help request for -h, -help and --help', () => {
    for (const flag of ['-h', '-help', '--help']) {
      expect(() => parseFlags([flag], SPECS)).toThrow(HelpRequested);
    }
  });
});

describe('formatFlagHelp', () => {
  it('should list every flag in Go layout with its type, allowed values and non-empty default', () => {
    const help = formatFlagHelp(SPECS);
    expect(help).toContain('  -metrics-bind-address string\n    \tmetrics (default ":8080")');
    expect(help).toContain('  -o string\n    \tformat (one of: yaml, json, table) (default "yaml")');
    expect(help).toContain('  -leader-elect\n    \tleader election\n');
    expect(help).toContain('  -cache\n    \tcache (default true)');
    expect(help).toContain('  -kubeconfig string\n    \tkubeconfig\n');
    expect(help.indexOf('-cache')).toBeLessThan(help.indexOf('-f value'));
  });
});
