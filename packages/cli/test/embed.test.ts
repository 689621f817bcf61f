import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './run-cli.js';

describe('examples/embed', () => {
  it('should reconcile its snapshot through @l4gw/core and print an address and a plan', () => {
    const result = spawnSync(process.execPath, ['examples/embed/main.ts'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toContain('address  shop/db = 192.168.50.10');
    expect(lines.some((line) => /^create\s+Service shop\//.test(line))).toBe(true);
    expect(lines.some((line) => /^updateStatus\s+Gateway shop\/db$/.test(line))).toBe(true);
    // The engine, fed the same objects as deltas, plans the same; fed a changed slice, it mirrors the new endpoint.
    expect(lines).toContain('engine   same plan as reconcile: yes');
    expect(lines).toContain('engine   after the slice changed, mirrored endpoints: 10.0.0.7, 10.0.0.8');
  });
});
