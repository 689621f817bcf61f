import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../src/errors.js';
import { requireKubernetesCapableNode } from '../src/node-version.js';

describe('requireKubernetesCapableNode', () => {
  it('should accept Node 22.19 and later', () => {
    for (const version of ['22.19.0', '22.20.1', '24.21.0', '30.0.0']) expect(() => requireKubernetesCapableNode(version)).not.toThrow();
  });

  it('should refuse older Node with a runtime error that names both versions', () => {
    for (const version of ['20.20.2', '22.18.9', '18.0.0']) {
      let caught: unknown;
      try {
        requireKubernetesCapableNode(version);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CliError);
      expect((caught as CliError).exitCode).toBe(ExitCode.runtime);
      expect((caught as CliError).message).toContain(`this is ${version}`);
    }
  });
});
