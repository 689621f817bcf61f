// The prototype's controller-runtime -zap-* flags, mapped onto -log-level / -log-format
// (docs/migration.md has the table users read).
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { parseFlags } from '../src/flags.js';
import { LOG_FLAGS, logSettingsFrom } from '../src/log-flags.js';
import { OPERATOR_FLAGS, leaderElectionIdFrom } from '../src/commands/run.js';

const settings = (...args: string[]) => logSettingsFrom(parseFlags(args, LOG_FLAGS));

describe('logSettingsFrom', () => {
  it('should default to text at info', () => {
    expect(settings()).toEqual({ level: 'info', format: 'text', warnings: [] });
  });

  it('should map -zap-devel to zap\'s development and production defaults', () => {
    expect(settings('-zap-devel')).toMatchObject({ level: 'debug', format: 'text' });
    expect(settings('-zap-devel=false')).toMatchObject({ level: 'info', format: 'json' });
  });

  it('should map -zap-encoder and -zap-log-level, integers being debug verbosity', () => {
    expect(settings('-zap-encoder', 'json')).toMatchObject({ format: 'json' });
    expect(settings('-zap-encoder=console', '-zap-devel=false')).toMatchObject({ format: 'text', level: 'info' });
    expect(settings('-zap-log-level', 'error')).toMatchObject({ level: 'error' });
    expect(settings('-zap-log-level', 'panic')).toMatchObject({ level: 'error' });
    expect(settings('-zap-log-level', '3')).toMatchObject({ level: 'debug' });
  });

  it('should let an explicit -log-level or -log-format win over a mapped value', () => {
    expect(settings('-zap-devel', '-log-level', 'warn', '-log-format', 'json')).toMatchObject({ level: 'warn', format: 'json' });
  });

  it('should accept -zap-stacktrace-level and -zap-time-encoding with a warning each', () => {
    const result = settings('-zap-stacktrace-level', 'error', '-zap-time-encoding', 'rfc3339nano');
    expect(result.warnings).toEqual([expect.stringContaining('-zap-stacktrace-level'), expect.stringContaining('-zap-time-encoding')]);
  });

  it('should reject values zap would reject, naming the flag', () => {
    for (const args of [['-zap-log-level', 'loud'], ['-zap-log-level', '0'], ['-zap-encoder', 'xml'], ['-zap-time-encoding', 'sundial'], ['-zap-stacktrace-level', 'x']]) {
      expect(() => settings(...args)).toThrow(CliError);
      expect(() => settings(...args)).toThrow(args[0]);
    }
  });
});

describe('leaderElectionIdFrom', () => {
  const id = (...args: string[]) => leaderElectionIdFrom(parseFlags(args, OPERATOR_FLAGS));

  it('should default to l4gw-leader-election and take either spelling', () => {
    expect(id()).toBe('l4gw-leader-election');
    expect(id('-leader-election-id', 'gateway-api.fnnrn.me')).toBe('gateway-api.fnnrn.me');
    expect(id('--leader-elect-resource-name=kube-vip-gateway-api')).toBe('kube-vip-gateway-api');
  });

  it('should refuse two different names', () => {
    expect(() => id('-leader-election-id', 'a', '-leader-elect-resource-name', 'b')).toThrow(/name different Leases/);
  });
});
