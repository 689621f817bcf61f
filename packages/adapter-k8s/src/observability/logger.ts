// A tiny structured logger: one line per record, JSON (for log collectors) or text (for people).
// Enough for an operator; no dependency needed.

import { errorText } from '../kube/error-text.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'json' | 'text';
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose every record also carries `fields` (e.g. `{ component: 'informer' }`). */
  child(fields: LogFields): Logger;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Where finished lines go; stderr by default, a collecting array in tests. */
export type LogSink = (line: string) => void;

/**
 * Creates a logger that drops records below `level` and writes each record as one line in
 * `format`. Errors in fields are rendered as their message so JSON output stays valid.
 */
export function createLogger(
  level: LogLevel = 'info',
  format: LogFormat = 'json',
  sink: LogSink = (line) => process.stderr.write(line + '\n'),
  base: LogFields = {},
): Logger {
  const min = LEVEL_RANK[level];
  const write = (lvl: LogLevel, msg: string, fields?: LogFields): void => {
    if (LEVEL_RANK[lvl] < min) return;
    const all: Record<string, unknown> = { ...base, ...fields };
    for (const [k, v] of Object.entries(all)) if (v instanceof Error) all[k] = errorText(v);
    const ts = new Date().toISOString();
    if (format === 'json') {
      sink(JSON.stringify({ ts, level: lvl, msg, ...all }));
    } else {
      const rest = Object.entries(all)
        .map(([k, v]) => `${k}=${typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v)}`)
        .join(' ');
      sink(`${ts} ${lvl.toUpperCase().padEnd(5)} ${msg}${rest ? ' ' + rest : ''}`);
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(level, format, sink, { ...base, ...fields }),
  };
}
