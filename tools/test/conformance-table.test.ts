import { describe, expect, it } from 'vitest';
import { renderTable } from '../conformance/table.ts';

// A catalogue of two tests and results in which both ran, as the Go harness writes them.
function run(results: Record<string, 'passed' | 'failed'>, knownFailures: string): ReturnType<typeof renderTable> {
  const catalogue = Object.keys(results).map((shortName) => ({ shortName, description: '', features: ['Gateway'], provisional: false, profiles: ['GATEWAY-TCP'] }));
  const outcomes = Object.fromEntries(Object.entries(results).map(([name, result]) => [name, [{ phase: 'report', result }]]));
  return renderTable({ catalogue: JSON.stringify(catalogue), results: [JSON.stringify({ outcomes })], expectations: `knownFailures:\n${knownFailures}` });
}

describe('renderTable known failures', () => {
  it('should count a known failure that failed and raise no problem', () => {
    const table = run({ Weighted: 'failed' }, '  - test: Weighted\n    reason: even split\n');
    expect(table.problems).toEqual([]);
    expect(table.knownFailures).toBe(1);
    expect(table.markdown).toContain('| Weighted | TCP | Gateway | failed: l4gw is wrong | ran and failed: even split |');
  });

  it('should fail the run when a known failure passes, so that its entry is removed', () => {
    const table = run({ Weighted: 'passed' }, '  - test: Weighted\n    reason: even split\n');
    expect(table.problems).toEqual(['Weighted is a known failure in expectations.yaml but passed: remove it from knownFailures']);
    expect(table.knownFailures).toBe(0);
  });

  it('should report a pass of a test that passes while converging without counting it or failing the run', () => {
    const table = run({ Weighted: 'passed', Other: 'passed' }, '  - test: Weighted\n    reason: even split\n    passesWhileConverging: one backend first\n');
    expect(table.problems).toEqual([]);
    expect(table.knownFailures).toBe(0);
    expect(table.markdown).toContain('| Weighted | TCP | Gateway | failed: l4gw is wrong | passed in this run, which does not show l4gw right: one backend first. even split |');
    expect(table.summary).toMatch(/^1 failed: l4gw is wrong, 1 passed/);
  });
});
