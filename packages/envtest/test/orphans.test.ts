import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTROL_PLANE_DIR_PREFIX, reapOrphanedControlPlanes } from '../src/orphans.js';

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid ?? 0;
}

describe('reapOrphanedControlPlanes', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'l4gw-reap-test-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('should kill the processes of a directory whose owner died and remove it, leaving live owners alone', async () => {
    const abandoned = join(tmp, `${CONTROL_PLANE_DIR_PREFIX}abandoned`);
    const owned = join(tmp, `${CONTROL_PLANE_DIR_PREFIX}owned`);
    mkdirSync(abandoned);
    mkdirSync(owned);
    writeFileSync(join(abandoned, 'owner.pid'), String(await deadPid()));
    writeFileSync(join(owned, 'owner.pid'), String(process.pid));
    // Stand-ins for etcd / kube-apiserver: their command lines name the directory, as the real flags do.
    const orphan = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', `${abandoned}/etcd-data`]);
    const survivor = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', `${owned}/etcd-data`]);
    const orphanExit = new Promise<NodeJS.Signals | null>((resolve) => orphan.once('exit', (_code, signal) => resolve(signal)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    try {
      expect(reapOrphanedControlPlanes(tmp)).toBe(1);
      expect(await orphanExit).toBe('SIGKILL');
      expect(existsSync(abandoned)).toBe(false);
      expect(existsSync(owned)).toBe(true);
      expect(survivor.exitCode).toBeNull();
      expect(survivor.signalCode).toBeNull();
    } finally {
      orphan.kill('SIGKILL');
      survivor.kill('SIGKILL');
    }
  });
});
