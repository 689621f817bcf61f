// The conformance run inside the data-plane test bed's node namespace (run.sh starts it through
// the test bed's launcher, never directly):
// 1. checks it really is inside its run's node namespace (@l4gw/dataplane currentRun),
// 2. starts the test bed's services there: etcd + kube-apiserver on loopback with the Gateway API
//    v1.6 experimental CRDs, the Node, kube-proxy in nftables mode, the kube-vip stand-in announcer,
// 3. creates the IPAM pool ConfigMap and the GatewayClass, starts `l4gw run` against them,
// 4. runs the Pods of the suite's Deployments: the suite's echo server (echo-basic) or dns-whoami
//    per container image, each Pod in a network namespace of its own, with the Pod status and
//    EndpointSlices kubelet and kube-controller-manager would write (@l4gw/dataplane startWorkloads),
// 5. runs the conformance test binary in the test bed's client namespace, which reaches the
//    Gateway addresses through the node like any client outside the cluster, and the API server
//    only through a Unix socket bridged here; then stops everything,
// 6. writes conformance-table.md from the binary's results; `--update-doc` also puts it into
//    docs/conformance.md (between its table markers).
// Exits non-zero when the suite failed other than in the known failures of expectations.yaml, or
// when a result is missing.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubernetesObjectApi, type KubernetesObject, type V1Container } from '@kubernetes/client-node';
import { currentRun, startEndpointSliceController, startTestbedServices, startWorkloads, type ContainerProgram } from '@l4gw/dataplane';
import { eventually } from '@l4gw/envtest';
import { renderTable } from './table.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(HERE, '..', '..');
const CLI = join(REPO, 'packages', 'cli', 'dist', 'main.js');

// The GatewayClass and the controllerName l4gw is started with.
const CLASS_NAME = 'l4gw';
const CONTROLLER_NAME = 'conformance.l4gw.invalid/l4gw';
// Gateway addresses come from the test bed's routed VIP range 10.77.0.0/24, which its client
// namespace routes via the node (packages/dataplane/src/topology.ts) and nothing else routes. The
// suite's GatewayStaticAddresses test asks for one usable address (inside the pool, never handed
// out first: allocation takes the lowest free one) and one unusable address (outside every pool,
// and routed nowhere).
const POOL = '10.77.0.10-10.77.0.250';
const USABLE_ADDRESS = '10.77.0.250';
const UNUSABLE_ADDRESS = '198.19.0.1';

function fail(message: string): never {
  process.stderr.write(`conformance: error: ${message}\n`);
  process.exit(1);
}

/**
 * What runs for a container of the suite's Deployments: the suite's own echo server for its
 * echo-basic image (TCP_ECHO_SERVER / UDP_ECHO_SERVER in the container's env choose the mode, as
 * in the image), dns-whoami for CoreDNS (see cmd/dns-whoami). Any other image cannot run here.
 */
function containerRuntime(binaries: string): (container: V1Container) => ContainerProgram {
  return (container) => {
    const image = container.image ?? '';
    if (/\/gateway-api\/echo-basic:/.test(image)) return { file: join(binaries, 'echo-basic'), args: container.args ?? [] };
    if (/\/coredns\/coredns:/.test(image)) return { file: join(binaries, 'dns-whoami'), args: ['-listen', ':53'] };
    throw new Error(`container ${container.name}: no program stands for image ${image} on the test bed`);
  };
}

/**
 * A Unix socket that forwards each connection to kube-apiserver on this namespace's loopback, so
 * the suite in the client namespace reaches the API server with no network path to the node's
 * loopback. TLS passes through untouched.
 */
function bridgeApiServer(path: string, port: number): Promise<Server> {
  rmSync(path, { force: true });
  const server = createServer((downstream) => {
    const upstream = connect(port, '127.0.0.1');
    downstream.pipe(upstream).pipe(downstream);
    const close = () => {
      downstream.destroy();
      upstream.destroy();
    };
    downstream.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve(server));
  });
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
  const binaries = process.argv[2];
  if (!binaries) fail('usage: inside.ts <directory of the binaries build.sh made> [--update-doc]');
  const updateDoc = process.argv.includes('--update-doc');
  const run = await currentRun().catch((error: unknown) => fail((error as Error).message));
  const out = process.env.L4GW_CONFORMANCE_OUT ?? fail('L4GW_CONFORMANCE_OUT is not set');
  const version = (JSON.parse(readFileSync(join(REPO, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }).version;

  for (const stale of [...resultFiles(out), 'catalogue.json', 'conformance-report.yaml']) rmSync(join(out, stale), { force: true });
  const started = Date.now();
  // kube-proxy as users run it (at most one sync a second). The suite creates each test's Gateway
  // within half a second of deleting the previous test's; l4gw holds the released address back
  // for a few seconds (IP8), so the new Gateway gets another one and never meets the deleted
  // Service's rules that kube-proxy has not removed yet.
  const services = await startTestbedServices();
  const controlPlane = services.controlPlane;
  process.stderr.write(`conformance: test bed ${run.node} up in ${Math.round(services.startedInMs / 1000)} s (control plane, kube-proxy, announcer)\n`);
  let operator: ChildProcess | undefined;
  const workloadsLog = createWriteStream(join(out, 'workloads.log'));
  const slices = startEndpointSliceController(controlPlane.kubeConfig);
  const workloads = startWorkloads({
    run,
    kubeConfig: controlPlane.kubeConfig,
    runtime: containerRuntime(binaries),
    slices,
    log: (line) => workloadsLog.write(`${new Date().toISOString()} ${line}\n`),
  });
  const socket = join(tmpdir(), `l4cf-${run.owner}-apiserver.sock`);
  const bridge = await bridgeApiServer(socket, Number(new URL(controlPlane.apiServerUrl).port));
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
    // The suite dials Gateway addresses: it runs in the client namespace (its binary checks that
    // no packet can leave the test bed from there, and refuses to run otherwise).
    const suite = spawn('ip', ['netns', 'exec', run.client, join(binaries, 'conformance.test'), '-test.v', '-test.timeout=60m', ...(process.env.L4GW_CONFORMANCE_RUN ? ['-test.run', process.env.L4GW_CONFORMANCE_RUN] : [])], {
      cwd: HERE,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        KUBECONFIG: controlPlane.kubeconfigPath,
        L4GW_CONFORMANCE_NETNS: run.client,
        L4GW_CONFORMANCE_APISERVER_SOCKET: socket,
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
    if (suiteCode !== 0 && table.knownFailures === 0) process.stderr.write(`conformance: the suite exited ${suiteCode} and no test failed: see ${join(out, 'suite.log')}\n`);
    return (suiteCode !== 0 && table.knownFailures === 0) || table.problems.length > 0 ? 1 : 0;
  } finally {
    await workloads.stop();
    slices.stop();
    workloadsLog.end();
    bridge.close();
    rmSync(socket, { force: true });
    if (operator && operator.exitCode === null) {
      operator.kill('SIGTERM');
      await exited(operator);
    }
    await services.stop();
  }
}

process.exitCode = await main();
