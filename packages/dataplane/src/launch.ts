#!/usr/bin/env node
// l4dp-run -- <command…>: runs <command> inside a fresh test-bed node namespace (see topology.ts).
// It checks the prerequisites (failing, never skipping, when one is missing), deletes namespaces
// left by earlier runs that were killed, creates this run's namespaces, runs the command there
// with L4DP_OWNER set to this launcher's pid (from which every namespace name follows), and
// deletes the namespaces — and every process, link and nftables rule in them — when it ends.
import { spawn } from 'node:child_process';
import { createTopology, deleteTopology, reapOrphanedNamespaces } from './namespaces.js';
import { missingPrerequisites } from './preflight.js';
import { namespaceNames, OWNER_VARIABLE } from './topology.js';

async function launch(argv: string[]): Promise<number> {
  const separator = argv.indexOf('--');
  const commandLine = separator >= 0 ? argv.slice(separator + 1) : argv;
  if (commandLine.length === 0) {
    process.stderr.write('usage: l4dp-run -- <command> [args…]\n');
    return 2;
  }
  const missing = await missingPrerequisites();
  if (missing.length > 0) {
    process.stderr.write(
      `l4dp: the data-plane tests cannot run on this machine; missing:\n${missing.map((m) => `  - ${m}\n`).join('')}` +
        'They send real packets through kube-proxy inside network namespaces and are not skipped: provide the above and run again.\n',
    );
    return 1;
  }
  const reaped = await reapOrphanedNamespaces();
  if (reaped.length > 0) process.stderr.write(`l4dp: deleted namespaces of killed runs: ${reaped.join(', ')}\n`);
  const names = namespaceNames(process.pid);
  await createTopology(names);
  const started = Date.now();
  try {
    const child = spawn('ip', ['netns', 'exec', names.node, ...commandLine], {
      stdio: 'inherit',
      env: { ...process.env, [OWNER_VARIABLE]: String(process.pid) },
    });
    const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
    const code = await new Promise<number>((resolve) => {
      child.once('error', (error) => {
        process.stderr.write(`l4dp: could not start ${commandLine.join(' ')}: ${error.message}\n`);
        resolve(1);
      });
      child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
    });
    process.stderr.write(`l4dp: ${commandLine.join(' ')} finished in ${((Date.now() - started) / 1000).toFixed(1)} s with code ${code}\n`);
    return code;
  } finally {
    await deleteTopology(names);
  }
}

launch(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`l4dp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
