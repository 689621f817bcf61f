import { inject } from 'vitest';
import { openTestbed, type Testbed } from './testbed.js';
import './provided-context.js';

/**
 * Opens the test bed for one test file from what the data-plane global setup provided. Kept out
 * of the main entry so that importing `@l4gw/dataplane` does not load vitest.
 */
export function sharedTestbed(): Promise<Testbed> {
  const kubeconfigPath = inject('l4dpKubeconfigPath');
  if (!kubeconfigPath) {
    throw new Error('No data-plane test bed: run this file with vitest.dataplane.config.ts, whose globalSetup starts it.');
  }
  return openTestbed(kubeconfigPath);
}
