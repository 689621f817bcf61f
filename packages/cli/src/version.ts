import { readFileSync } from 'node:fs';

/**
 * The CLI's version from its package.json, which sits one directory above both `src/` (tests)
 * and `dist/` (the built binary).
 */
export function cliVersion(): string {
  try {
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
      return parsed.version;
    }
  } catch {
    // Fall through: a relocated binary still runs.
  }
  return 'unknown';
}
