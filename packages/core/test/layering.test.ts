import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The folders of packages/core/src from the ground up. A file may import from its own folder and
// from folders listed before its own, never from one listed after it; `.` is the root files
// (reconcile.ts, index.ts), which may use everything. Since every import points down this list,
// no two folders can import each other. A new folder must be given its place here.
const LAYERS = ['model', 'parse', 'ipam', 'status', 'dataplane', 'routes', 'gateway', 'plan', 'pipeline', 'engine', '.'] as const;

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

interface FolderImport {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

/** Every source file under `dir` (tests excluded: they may exercise stages across folders). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** The folder of a file below src: its first path segment, or `.` for a file directly in src. */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split(sep);
  return parts.length === 1 ? '.' : (parts[0] as string);
}

/** Relative module specifiers of `import … from`, `export … from`, bare `import '…'` and `import('…')`. */
function relativeSpecifiers(source: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const match of source.matchAll(pattern)) found.push(match[1] as string);
  return found;
}

function folderImports(): FolderImport[] {
  const edges: FolderImport[] = [];
  for (const file of sourceFiles(SRC)) {
    for (const specifier of relativeSpecifiers(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), specifier);
      if (relative(SRC, target).startsWith('..')) throw new Error(`${relative(SRC, file)} imports ${specifier}, outside src`);
      const from = folderOf(file);
      const to = folderOf(target);
      if (from !== to) edges.push({ file: relative(SRC, file), from, to });
    }
  }
  return edges;
}

/** The imports that point up LAYERS (or from or to a folder not in it), as readable lines. */
function upwardImports(edges: readonly FolderImport[]): string[] {
  const rank = (folder: string): number => (LAYERS as readonly string[]).indexOf(folder);
  return edges
    .filter((e) => rank(e.from) < 0 || rank(e.to) < 0 || rank(e.to) > rank(e.from))
    .map((e) => `${e.file}: ${e.from} -> ${e.to}`);
}

/** Folder cycles, each as `a -> b -> … -> a`, found by a depth-first walk of the folder graph. */
function folderCycles(edges: readonly FolderImport[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) next.set(e.from, (next.get(e.from) ?? new Set()).add(e.to));
  const cycles: string[] = [];
  const done = new Set<string>();
  const walk = (folder: string, path: string[]): void => {
    const at = path.indexOf(folder);
    if (at >= 0) {
      cycles.push([...path.slice(at), folder].join(' -> '));
      return;
    }
    if (done.has(folder)) return;
    for (const to of next.get(folder) ?? []) walk(to, [...path, folder]);
    done.add(folder);
  };
  for (const folder of next.keys()) walk(folder, []);
  return cycles;
}

describe('packages/core/src layering', () => {
  const edges = folderImports();

  it('should read the imports between folders', () => {
    // Guards the reader itself: the root files use the stages, so an empty list means it broke.
    expect(edges.some((e) => e.from === '.' && e.to === 'engine')).toBe(true);
  });

  it('should have every import point down the folder order', () => {
    expect(upwardImports(edges)).toEqual([]);
  });

  it('should have no folder cycle', () => {
    expect(folderCycles(edges)).toEqual([]);
  });

  it('should report an upward import and a cycle when there is one', () => {
    const broken: FolderImport[] = [
      { file: 'gateway/x.ts', from: 'gateway', to: 'routes' },
      { file: 'routes/y.ts', from: 'routes', to: 'gateway' },
    ];
    expect(upwardImports(broken)).toEqual(['routes/y.ts: routes -> gateway']);
    expect(folderCycles(broken)).toEqual(['gateway -> routes -> gateway']);
  });
});
