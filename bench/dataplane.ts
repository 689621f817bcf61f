// Data-plane convergence on the test bed (packages/dataplane): real packets through kube-proxy.
// The measurements need a node network namespace, so this section runs bench/dataplane-run.ts
// through the test bed's launcher, which creates the namespaces and deletes them afterwards.
// Needs root, ip and nft like the suite, and the binaries tools/envtest/build.sh exports.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LAUNCHER = fileURLToPath(new URL('../packages/dataplane/dist/launch.js', import.meta.url));
const INSIDE = fileURLToPath(new URL('./dataplane-run.ts', import.meta.url));

export default async function dataplane(): Promise<void> {
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [LAUNCHER, '--', process.execPath, INSIDE], { stdio: 'inherit' });
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) throw new Error(`bench/dataplane-run.ts exited with code ${code}`);
}
