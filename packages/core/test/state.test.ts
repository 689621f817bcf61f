import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Core keeps state in one place: an engine (src/engine/), created per cluster. Everywhere else a
// stage's memory is an argument. This reads every source file outside engine/ for module-level
// declarations that could hold state between calls: `let`/`var`, and `const`s made with a
// mutable collection or a memo (frozen constants and read-only Sets of literals are fine).

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

/** Module-level declarations that can hold state, as `file:line: text`. */
function moduleState(source: string, file: string): string[] {
  const found: string[] = [];
  source.split('\n').forEach((line, i) => {
    const stateful =
      /^(export\s+)?(let|var)\s/.test(line) ||
      /^(export\s+)?const\s+\w+(\s*:[^=]+)?\s*=\s*(new\s+(WeakMap|Map|ScratchInputs)\b|\{\s*\}|\[\s*\])/.test(line) ||
      /^(export\s+)?const\s+\w+\s*:\s*(MemoSlot|MemoByObject)\b/.test(line);
    if (stateful) found.push(`${file}:${i + 1}: ${line.trim()}`);
  });
  return found;
}

/**
 * Lines outside comments that import from engine/ (except the root entry, which exports the
 * engine) or name a memo primitive or a `memory` argument: a rule that remembers.
 */
function memoUses(source: string, file: string): string[] {
  const found: string[] = [];
  const importsEngine = file !== 'index.ts' && file !== 'reconcile.ts';
  source.split('\n').forEach((line, i) => {
    const code = line.trim();
    if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*')) return;
    const uses =
      (importsEngine && /from\s+['"][./]*engine\//.test(code)) ||
      /\b(recall|recallFor|recallOrPatch|sameItems|ScratchInputs|MemoSlot|MemoByObject)\b/.test(code) ||
      /\bmemory\??\s*:/.test(code) ||
      /\b\w+Memory\b/.test(code);
    if (uses) found.push(`${file}:${i + 1}: ${code}`);
  });
  return found;
}

function sourceFiles(): string[] {
  return readdirSync(SRC, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('test-support.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('packages/core/src state', () => {
  it('should hold no module-level state outside engine/', () => {
    const files = sourceFiles().filter((f) => !relative(SRC, f).startsWith('engine/'));
    expect(files.length).toBeGreaterThan(40);
    expect(files.flatMap((f) => moduleState(readFileSync(f, 'utf8'), relative(SRC, f)))).toEqual([]);
  });

  it('should keep the memo machinery in engine/: no rule remembers, patches or sees a memory', () => {
    const rules = sourceFiles().filter((f) => !relative(SRC, f).startsWith('engine/'));
    const found = rules.flatMap((f) => memoUses(readFileSync(f, 'utf8'), relative(SRC, f)));
    expect(found).toEqual([]);
  });

  it('should recognise a use of the memo machinery when there is one', () => {
    const sample = ["import { recall } from '../engine/memo.js';", 'export function f(x: X, memory?: XMemory): Y {', '  // recalls nothing', 'const slot: MemoSlot<X> = {};'].join('\n');
    expect(memoUses(sample, 'x.ts')).toEqual([
      "x.ts:1: import { recall } from '../engine/memo.js';",
      'x.ts:2: export function f(x: X, memory?: XMemory): Y {',
      'x.ts:4: const slot: MemoSlot<X> = {};',
    ]);
  });

  it('should recognise module-level state when there is some', () => {
    const sample = ['let enabled = true;', 'const memo = new WeakMap();', 'const slot: MemoSlot<X> = {};', 'const scratch = new ScratchInputs();', 'const FROZEN = Object.freeze([]);', '  let local = 1;'].join('\n');
    expect(moduleState(sample, 'x.ts')).toEqual(['x.ts:1: let enabled = true;', 'x.ts:2: const memo = new WeakMap();', 'x.ts:3: const slot: MemoSlot<X> = {};', 'x.ts:4: const scratch = new ScratchInputs();']);
  });
});
