// The test bed's own guarantees: it refuses to run outside its node namespace, no namespace has a
// route out, and namespaces left by a killed run are deleted with everything inside them.
import { spawn } from 'node:child_process';
import { isAlive } from '@l4gw/envtest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESSES, currentRun, listNamespaces, missingPrerequisites, namespaceNames, reapOrphanedNamespaces, type Testbed } from '@l4gw/dataplane';
import { sharedTestbed } from '@l4gw/dataplane/vitest';
import { command, ip } from '../src/ip.js';

describe('data-plane test bed', () => {
  let bed: Testbed;
  beforeAll(async () => {
    bed = await sharedTestbed();
  });
  afterAll(async () => bed?.close());

  it('should refuse to start outside its own node namespace', async () => {
    await expect(currentRun({})).rejects.toThrow(/refusing to start.*L4DP_OWNER is not set/);
    // Another run's namespace names: this process is not in that run's node namespace.
    await expect(currentRun({ L4DP_OWNER: String(bed.run.owner + 1) })).rejects.toThrow(/refusing to start.*not in its run's node namespace/);
    await expect(currentRun()).resolves.toEqual(bed.run);
  });

  it('should name what is missing when ip or nft cannot be found', async () => {
    expect(await missingPrerequisites()).toEqual([]);
    const missing = await missingPrerequisites({ PATH: '/nonexistent' });
    expect(missing).toEqual([expect.stringContaining("iproute2's ip"), expect.stringContaining('nft, which kube-proxy runs')]);
  });

  it('should give no namespace a route out', async () => {
    const routes = async (ns: string): Promise<string[]> =>
      (await ip('-n', ns, '-4', 'route', 'show'))
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== '');
    const node = await routes(bed.run.node);
    const client = await routes(bed.run.client);
    const backend = await routes(bed.run.backend);
    expect(node.filter((r) => r.startsWith('default'))).toEqual([]);
    expect(client.filter((r) => r.startsWith('default'))).toEqual([]);
    // The client's only gatewayed routes lead to the node; the backend's default route is the node.
    expect(client.filter((r) => r.includes(' via ')).sort()).toEqual(
      [`${ADDRESSES.routedVipRange} via ${ADDRESSES.nodeClientSide} dev to-node`, `${ADDRESSES.serviceCidr} via ${ADDRESSES.nodeClientSide} dev to-node`].sort(),
    );
    expect(backend.filter((r) => r.includes(' via '))).toEqual([`default via ${ADDRESSES.nodeBackendSide} dev to-node`]);
  });

  it('should delete the namespaces of a killed run, with the processes inside', async () => {
    // A pid that is certainly dead: a process that has exited and been collected.
    const dead = spawn('true');
    await new Promise((resolve) => dead.once('exit', resolve));
    const orphan = namespaceNames(dead.pid ?? 0).client;
    await ip('netns', 'add', orphan);
    const sleeper = spawn('ip', ['netns', 'exec', orphan, 'sleep', '600'], { stdio: 'ignore' });
    await new Promise((resolve) => sleeper.once('spawn', resolve));
    // 'spawn' fires when `ip` has started, before it has entered the namespace and become
    // `sleep` (a CI run saw an empty pid list here): wait until the namespace holds it.
    let inside = '';
    for (let tries = 0; tries < 100 && inside !== String(sleeper.pid); tries++) {
      inside = (await command('ip', ['netns', 'pids', orphan])).trim();
      if (inside !== String(sleeper.pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(inside).toBe(String(sleeper.pid));

    const reaped = await reapOrphanedNamespaces();
    expect(reaped).toContain(orphan);
    expect(await listNamespaces()).not.toContain(orphan);
    expect(isAlive(sleeper.pid ?? 0)).toBe(false);
    // This run's own namespaces are left alone: their owner is alive.
    expect(await listNamespaces()).toEqual(expect.arrayContaining([bed.run.node, bed.run.client, bed.run.backend]));
  });
});
