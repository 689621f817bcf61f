import { namespaceOf } from './namespaces.js';
import { namespaceNames, OWNER_VARIABLE, type NamespaceNames } from './topology.js';

/**
 * The namespaces of the run this process belongs to, after checking that this process really is
 * inside that run's node namespace (`ip netns identify`). Everything that dials a VIP or starts
 * kube-proxy calls this first, so that nothing of the test bed can act on the host namespace.
 */
export async function currentRun(env: NodeJS.ProcessEnv = process.env): Promise<NamespaceNames> {
  const owner = Number(env[OWNER_VARIABLE]);
  if (!Number.isInteger(owner) || owner <= 0) {
    throw new Error(
      `refusing to start the data-plane test bed: ${OWNER_VARIABLE} is not set, so this is not a test-bed run. ` +
        'Run the suite through the launcher, which creates the network namespaces and runs the command inside them: ' +
        'node packages/dataplane/dist/launch.js -- vitest run -c vitest.dataplane.config.ts (pnpm test does this).',
    );
  }
  const names = namespaceNames(owner);
  const actual = await namespaceOf(process.pid);
  if (actual !== names.node) {
    throw new Error(
      `refusing to start the data-plane test bed: this process is in network namespace '${actual || '(the host namespace)'}', ` +
        `not in its run's node namespace ${names.node}.`,
    );
  }
  return names;
}
