import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario, renderResult, runScenario } from './scenario.js';

// Every scenarios/<story>.in.yaml is reconciled and compared with <story>.out.yaml.
// L4GW_UPDATE_GOLDEN=1 rewrites the .out.yaml files instead; review the diff before committing.

const dir = join(import.meta.dirname, 'scenarios');
const update = process.env['L4GW_UPDATE_GOLDEN'] === '1';
const stories = readdirSync(dir)
  .filter((file) => file.endsWith('.in.yaml'))
  .map((file) => file.slice(0, -'.in.yaml'.length))
  .sort();

describe('golden scenarios', () => {
  it('should have scenarios to run', () => {
    expect(stories.length).toBeGreaterThan(0);
  });

  for (const story of stories) {
    describe(story, () => {
      const result = runScenario(parseScenario(readFileSync(join(dir, `${story}.in.yaml`), 'utf8')));
      const rendered = renderResult(result);
      const outFile = join(dir, `${story}.out.yaml`);

      it('should produce the recorded desired state and plan', () => {
        if (update) writeFileSync(outFile, rendered);
        expect(existsSync(outFile), `${outFile} is missing: run with L4GW_UPDATE_GOLDEN=1`).toBe(true);
        expect(rendered).toBe(readFileSync(outFile, 'utf8'));
      });

      it('should plan nothing once its plan is applied (R1 one-step fixpoint)', () => {
        expect(result.replan).toEqual([]);
      });
    });
  }
});
