// The conformance run inside its network namespace (started by run.sh, never directly):
// 1. checks it really is inside the namespace run.sh named (`ip netns identify`),
// 2. starts etcd + kube-apiserver on loopback with the Gateway API v1.6 experimental CRDs,
// 3. creates the IPAM pool ConfigMap and the GatewayClass, starts `l4gw run` against them,
// 4. runs the conformance test binary (argv[2]), then stops everything,
// 5. writes conformance-table.md from the binary's results; `--update-doc` also puts it into
//    docs/conformance.md (between its table markers).
// Exits non-zero when the suite failed, or when a test failed that expectations.yaml does not exclude.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { eventually, startControlPlane } from '@l4gw/envtest';
import { renderTable } from './table.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(HERE, '..', '..');
const CLI = join(REPO, 'packages', 'cli', 'dist', 'main.js');

// The GatewayClass and the controllerName l4gw is started with.
const CLASS_NAME = 'l4gw';
const CONTROLLER_NAME = 'conformance.l4gw.invalid/l4gw';
// Gateway addresses come from the benchmarking range 198.18.0.0/15 (RFC 2544): nothing routes
// it here, and the namespace has no route at all. The suite's GatewayStaticAddresses test asks
// for one usable address (inside the pool, never handed out first: allocation takes the lowest
// free one) and one unusable address (outside every pool).
const POOL = '198.18.0.10-198.18.0.250';
const USABLE_ADDRESS = '198.18.0.250';
const UNUSABLE_ADDRESS = '198.19.0.1';

function fail(message: string): never {
  process.stderr.write(`conformance: error: ${message}\n`);
  process.exit(1);
}

function checkNamespace(): string {
  const expected = process.env.L4GW_CONFORMANCE_NETNS ?? '';
  if (!expected.startsWith('l4cf-')) fail('L4GW_CONFORMANCE_NETNS is not an l4cf- namespace: start the run with tools/conformance/run.sh');
  let actual: string;
  try {
    actual = execFileSync('ip', ['netns', 'identify', String(process.pid)], { encoding: 'utf8' }).trim();
  } catch (error) {
    fail(`ip netns identify failed: ${(error as Error).message}`);
  }
  if (actual !== expected) fail(`refusing to run: this process is in network namespace "${actual}", not ${expected}`);
  return expected;
}

/** The test binary writes one results-<phase>.json per top-level test. */
function resultFiles(out: string): string[] {
  return readdirSync(out).filter((name) => /^results-.+\.json$/.test(name));
}

type ClassStatus = KubernetesObject & {
  status?: { conditions?: { type: string; status: string }[]; supportedFeatures?: { name: string }[] };
};

function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

const TABLE_START = '<!-- table: written by `pnpm conformance --update-doc`, do not edit by hand -->';
const TABLE_END = '<!-- end of table -->';

/** Replaces the generated part of docs/conformance.md, keeping the prose around it. */
function updateDocTable(path: string, table: string): void {
  const doc = readFileSync(path, 'utf8');
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < start) fail(`${path} lacks the table markers ${TABLE_START} … ${TABLE_END}`);
  writeFileSync(path, `${doc.slice(0, start + TABLE_START.length)}\n\n${table}\n${doc.slice(end)}`);
}

async function main(): Promise<number> {
  const binary = process.argv[2];
  if (!binary) fail('usage: inside.ts <conformance test binary> [--update-doc]');
  const updateDoc = process.argv.includes('--update-doc');
  const netns = checkNamespace();
  const out = process.env.L4GW_CONFORMANCE_OUT ?? fail('L4GW_CONFORMANCE_OUT is not set');
  const version = (JSON.parse(readFileSync(join(REPO, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }).version;

  for (const stale of [...resultFiles(out), 'catalogue.json', 'conformance-report.yaml']) rmSync(join(out, stale), { force: true });
  const started = Date.now();
  const controlPlane = await startControlPlane({ crds: 'v1.6-experimental' });
  let operator: ChildProcess | undefined;
  try {
    const client = KubernetesObjectApi.makeApiClient(controlPlane.kubeConfig);
    const objects: KubernetesObject[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'l4gw-pools', namespace: 'kube-system' }, data: { 'range-global': POOL } } as KubernetesObject,
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: CLASS_NAME }, spec: { controllerName: CONTROLLER_NAME } } as KubernetesObject,
    ];
    for (const object of objects) await client.create(object);

    const operatorLog = createWriteStream(join(out, 'operator.log'));
    operator = spawn(
      process.execPath,
      [
        CLI, 'run',
        '-kubeconfig', controlPlane.kubeconfigPath,
        '-gateway-class-name', CONTROLLER_NAME,
        '-ipam-configmap', 'kube-system/l4gw-pools',
        '-metrics-bind-address', '127.0.0.1:0',
        '-health-probe-bind-address', '127.0.0.1:0',
        '-log-format', 'json',
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    operator.stdout?.pipe(operatorLog);
    operator.stderr?.pipe(operatorLog);

    // The suite reads the claimed features from the class's status once, at start.
    const features = await eventually('l4gw to accept the GatewayClass and publish its supportedFeatures', async () => {
      if (operator?.exitCode !== null) throw new Error(`l4gw exited (${operator?.exitCode}); see ${join(out, 'operator.log')}`);
      const gatewayClass = (await client.read({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: CLASS_NAME } })) as ClassStatus;
      const accepted = gatewayClass.status?.conditions?.some((c) => c.type === 'Accepted' && c.status === 'True');
      const names = (gatewayClass.status?.supportedFeatures ?? []).map((f) => f.name);
      return accepted && names.length > 0 ? names : undefined;
    });
    process.stderr.write(`conformance: GatewayClass ${CLASS_NAME} claims ${features.join(', ')}\n`);

    const suiteLog = createWriteStream(join(out, 'suite.log'));
    const suite = spawn(binary, ['-test.v', '-test.timeout=60m', ...(process.env.L4GW_CONFORMANCE_RUN ? ['-test.run', process.env.L4GW_CONFORMANCE_RUN] : [])], {
      cwd: HERE,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        KUBECONFIG: controlPlane.kubeconfigPath,
        L4GW_CONFORMANCE_NETNS: netns,
        L4GW_CONFORMANCE_OUT: out,
        L4GW_CONFORMANCE_GATEWAY_CLASS: CLASS_NAME,
        L4GW_CONFORMANCE_IMPLEMENTATION_VERSION: `v${version}`,
        L4GW_CONFORMANCE_USABLE_ADDRESS: USABLE_ADDRESS,
        L4GW_CONFORMANCE_UNUSABLE_ADDRESS: UNUSABLE_ADDRESS,
      },
    });
    // Test results (--- PASS/FAIL/SKIP lines) go to the terminal; everything goes to suite.log.
    let pending = '';
    suite.stdout?.on('data', (chunk: Buffer) => {
      suiteLog.write(chunk);
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (/^\s*--- (PASS|FAIL|SKIP)|^(PASS|FAIL|ok)\b|^conformance:/.test(line)) process.stdout.write(`${line}\n`);
    });
    suite.stderr?.on('data', (chunk: Buffer) => {
      suiteLog.write(chunk);
      process.stderr.write(chunk);
    });
    const suiteCode = await exited(suite);
    if (operator.exitCode !== null) process.stderr.write(`conformance: l4gw exited early (${operator.exitCode}); see ${join(out, 'operator.log')}\n`);
    process.stderr.write(`conformance: suite exited ${suiteCode} after ${Math.round((Date.now() - started) / 1000)} s; log ${join(out, 'suite.log')}\n`);

    const table = renderTable({
      catalogue: readFileSync(join(out, 'catalogue.json'), 'utf8'),
      results: resultFiles(out).map((file) => readFileSync(join(out, file), 'utf8')),
      expectations: readFileSync(join(HERE, 'expectations.yaml'), 'utf8'),
    });
    writeFileSync(join(out, 'conformance-table.md'), table.markdown);
    if (updateDoc) updateDocTable(join(REPO, 'docs', 'conformance.md'), table.markdown);
    for (const problem of table.problems) process.stderr.write(`conformance: ${problem}\n`);
    process.stdout.write(`conformance: ${table.summary}\n`);
    return suiteCode !== 0 || table.problems.length > 0 ? 1 : 0;
  } finally {
    if (operator && operator.exitCode === null) {
      operator.kill('SIGTERM');
      await exited(operator);
    }
    await controlPlane.stop();
  }
}

process.exitCode = await main();
