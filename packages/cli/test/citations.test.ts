// Everything in the repository that a user reads must resolve inside the repository: no citation
// of internal design notes users do not have, no `spec/*.md` or relative Markdown link to a file
// that is not there, and every rule id (GW4, IP3, …) that code, tests or help cite defined in
// docs/rules.md.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './run-cli.js';

/** Tracked text files, path relative to the repository root. */
function trackedFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0');
  return listed.filter((path) => path !== '' && existsSync(join(REPO_ROOT, path)) && statSync(join(REPO_ROOT, path)).size < 1_000_000);
}

const FILES = trackedFiles().map((path) => ({ path, text: readFileSync(join(REPO_ROOT, path), 'utf8') }));
const TRACKED = new Set(FILES.map((file) => file.path));

function hits(pattern: RegExp): string[] {
  return FILES.flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, index) => [...line.matchAll(pattern)].map((match) => `${path}:${index + 1}: ${match[0]}`)),
  );
}

describe('citations in the repository', () => {
  it('should cite no internal design file or shared folder that users do not have', () => {
    // Built from parts so that this file does not match itself.
    const internal = new RegExp(['DESIGN\\.md', '\\.\\./shared/', '/work/' + 'shared', 'STYLE\\.md'].join('|'), 'g');
    expect(hits(internal)).toEqual([]);
  });

  it('should cite spec/*.md files only where the repository has them', () => {
    const missing = hits(/\bspec\/[\w.-]+\.md\b/g).filter((hit) => {
      const cited = hit.slice(hit.lastIndexOf(' ') + 1);
      return ![...TRACKED].some((path) => path === cited || path.endsWith(`/${cited}`));
    });
    expect(missing).toEqual([]);
  });

  it('should have every relative Markdown link point at a tracked file or folder', () => {
    const broken: string[] = [];
    for (const { path, text } of FILES.filter((file) => file.path.endsWith('.md'))) {
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (target === undefined || /^[a-z]+:/.test(target) || target.startsWith('#')) continue;
        const file = resolve(REPO_ROOT, dirname(path), decodeURI(target.split('#')[0]!));
        if (!existsSync(file)) broken.push(`${path}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('should define in docs/rules.md every rule id cited anywhere', () => {
    const rules = readFileSync(join(REPO_ROOT, 'docs', 'rules.md'), 'utf8');
    const defined = new Set([...rules.matchAll(/^\*\*((?:GC|GW|RT|DP|IP|R|LS)\d+) — /gm)].map((match) => match[1]));
    expect(defined.size).toBeGreaterThan(40);
    const cited = new Set(hits(/\b(?:GC|GW|RT|DP|IP|R|LS)\d+\b/g).map((hit) => hit.slice(hit.lastIndexOf(' ') + 1)));
    // Ranges such as "DP1–DP4" cite both ends, which the pattern finds separately.
    expect([...cited].filter((id) => !defined.has(id)).sort()).toEqual([]);
  });
});
