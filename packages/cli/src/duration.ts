// Durations on the command line as Go's time.ParseDuration writes them (`10m`, `1m30s`, `500ms`,
// `0`), so the flags read like the prototype's and controller-runtime's (`--sync-period=10m`).

import { usageError } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Milliseconds of `text`, or a usage error naming `-flag` and what it wants. */
export function parseDurationMs(flag: string, text: string): number {
  if (text === '0') return 0;
  // A sticky pattern made per call: its lastIndex is the parse position.
  const part = /(\d+(?:\.\d+)?)(ms|s|m|h)/y;
  let total = 0;
  do {
    const at = part.lastIndex;
    const match = part.exec(text);
    if (match === null) {
      const where = at > 0 ? ` (at ${JSON.stringify(text.slice(at))})` : '';
      throw usageError(`invalid value ${JSON.stringify(text)} for flag -${flag}${where}: want a duration such as 5s, 1m30s or 500ms`);
    }
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  } while (part.lastIndex < text.length);
  return Math.round(total);
}
