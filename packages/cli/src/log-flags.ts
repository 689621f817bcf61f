// The operator's logging flags, plus the prototype's controller-runtime `-zap-*` flags mapped onto
// them, so a prototype Deployment's arguments keep working (docs/migration.md lists the mapping).
// An explicit -log-level / -log-format always wins over a value derived from a -zap-* flag.

import type { LogFormat, LogLevel } from '@l4gw/adapter-k8s';
import { usageError } from './errors.js';
import type { FlagSpec, FlagValues } from './flags.js';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'text'];

/** zap's named levels (controller-runtime accepts these and positive integers). */
const ZAP_LEVELS: Readonly<Record<string, LogLevel>> = {
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  // l4gw has no level above error; the process never panics on a log call.
  dpanic: 'error',
  panic: 'error',
  fatal: 'error',
};

const ZAP_TIME_ENCODINGS = ['epoch', 'millis', 'nano', 'iso8601', 'rfc3339', 'rfc3339nano'];

export const LOG_FLAGS: readonly FlagSpec[] = [
  { kind: 'string', name: 'log-level', default: 'info', values: LOG_LEVELS, usage: 'lowest level logged' },
  { kind: 'string', name: 'log-format', default: 'text', values: LOG_FORMATS, usage: 'log line format' },
  { kind: 'bool', name: 'zap-devel', default: false, usage: 'prototype flag: true means -log-format text -log-level debug, false json and info' },
  { kind: 'string', name: 'zap-encoder', default: '', usage: 'prototype flag: console means -log-format text, json -log-format json' },
  { kind: 'string', name: 'zap-log-level', default: '', usage: 'prototype flag: debug, info, warn, error, panic or an integer verbosity; mapped to -log-level' },
  { kind: 'string', name: 'zap-stacktrace-level', default: '', usage: 'prototype flag: accepted and ignored (l4gw logs no stack traces)' },
  { kind: 'string', name: 'zap-time-encoding', default: '', usage: 'prototype flag: accepted and ignored (times are RFC 3339)' },
];

/** What the logger is built with, and warnings about flags that were accepted but ignored. */
export interface LogSettings {
  readonly level: LogLevel;
  readonly format: LogFormat;
  readonly warnings: readonly string[];
}

function zapLevel(value: string): LogLevel {
  const named = ZAP_LEVELS[value.toLowerCase()];
  if (named !== undefined) return named;
  // controller-runtime reads a positive integer as a debug verbosity (V-level).
  if (/^[1-9]\d*$/.test(value)) return 'debug';
  throw usageError(`invalid value ${JSON.stringify(value)} for flag -zap-log-level: want debug, info, warn, error, panic or an integer above 0`);
}

/** Resolves -log-level / -log-format, applying the -zap-* flags where those two are not given. */
export function logSettingsFrom(flags: FlagValues): LogSettings {
  let level: LogLevel = 'info';
  let format: LogFormat = 'text';
  if (flags.isSet('zap-devel')) {
    const devel = flags.bool('zap-devel');
    level = devel ? 'debug' : 'info';
    format = devel ? 'text' : 'json';
  }
  const encoder = flags.string('zap-encoder');
  if (encoder !== '') {
    if (encoder !== 'console' && encoder !== 'json') throw usageError(`invalid value ${JSON.stringify(encoder)} for flag -zap-encoder: want json or console`);
    format = encoder === 'console' ? 'text' : 'json';
  }
  const zapLogLevel = flags.string('zap-log-level');
  if (zapLogLevel !== '') level = zapLevel(zapLogLevel);
  const warnings: string[] = [];
  const stacktrace = flags.string('zap-stacktrace-level');
  if (stacktrace !== '') {
    if (ZAP_LEVELS[stacktrace.toLowerCase()] === undefined) {
      throw usageError(`invalid value ${JSON.stringify(stacktrace)} for flag -zap-stacktrace-level: want info, error or panic`);
    }
    warnings.push('-zap-stacktrace-level is ignored: l4gw logs no stack traces');
  }
  const timeEncoding = flags.string('zap-time-encoding');
  if (timeEncoding !== '' && !ZAP_TIME_ENCODINGS.includes(timeEncoding)) {
    throw usageError(`invalid value ${JSON.stringify(timeEncoding)} for flag -zap-time-encoding: want one of ${ZAP_TIME_ENCODINGS.join(', ')}`);
  }
  if (timeEncoding !== '') warnings.push('-zap-time-encoding is ignored: l4gw writes RFC 3339 times');
  // The parser restricted both to LOG_LEVELS / LOG_FORMATS.
  if (flags.isSet('log-level')) level = flags.string('log-level') as LogLevel;
  if (flags.isSet('log-format')) format = flags.string('log-format') as LogFormat;
  return { level, format, warnings };
}
