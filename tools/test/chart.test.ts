// charts/l4gw rendered and linted by helm (built from the Go module proxy, tools/helm/build.sh):
// the chart is the only source of the operator's manifests, so the kustomize base in
// examples/deploy must be exactly its rendering, and its RBAC exactly what the adapter generates.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { CHART, DEPLOY, helm, KUSTOMIZE_VALUES, kustomizeBase, renderChart, REPO_ROOT } from '../deploy/render.ts';
import { RBAC_RULES_FILE, rbacRulesFile } from '../deploy/rbac-rules.ts';
import { runCli } from '../../packages/cli/test/run-cli.ts';

type Json = Record<string, unknown>;

interface Container {
  args: string[];
  env: { name: string; value?: string }[];
  resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
}
interface PodSpec {
  tolerations?: { key: string; operator: string; effect: string }[];
  containers: Container[];
}

function objects(yaml: string): Json[] {
  return parseAllDocuments(yaml)
    .map((doc) => doc.toJS() as Json | null)
    .filter((object): object is Json => object !== null);
}

function find(list: readonly Json[], kind: string): Json | undefined {
  return list.find((object) => object['kind'] === kind);
}

function podSpec(list: readonly Json[]): PodSpec {
  const deployment = find(list, 'Deployment') as { spec: { template: { spec: PodSpec } } } | undefined;
  if (deployment === undefined) throw new Error('the chart rendered no Deployment');
  return deployment.spec.template.spec;
}

/** Kubernetes quantity (Ki/Mi/Gi) in MiB. */
function mebibytes(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi)$/.exec(quantity);
  if (match === null) throw new Error(`unsupported quantity ${quantity}`);
  return Number(match[1]) * { Ki: 1 / 1024, Mi: 1, Gi: 1024 }[match[2] as 'Ki' | 'Mi' | 'Gi'];
}

describe('charts/l4gw', () => {
  it('should pass `helm lint --strict` with its defaults, the kustomize values and every option on', () => {
    for (const args of [[], ['--values', KUSTOMIZE_VALUES], ['--set', 'metrics.serviceMonitor.enabled=true,networkPolicy.enabled=true,config.loadBalancerClass=x,config.pinAddresses=true']]) {
      expect(helm(['lint', '--strict', CHART, ...args])).toContain('0 chart(s) failed');
    }
  });

  it('should be what examples/deploy holds: the kustomize base is generated from the chart', () => {
    const generated = kustomizeBase();
    expect([...generated.keys()].sort()).toEqual(['deployment.yaml', 'namespace.yaml', 'poddisruptionbudget.yaml', 'rbac.yaml', 'service-metrics.yaml', 'serviceaccount.yaml']);
    for (const [file, content] of generated) expect(readFileSync(join(DEPLOY, file), 'utf8'), `examples/deploy/${file} (run \`pnpm gen:deploy\`)`).toBe(content);
    // Nothing stale: every YAML manifest in examples/deploy is generated or is kustomize's own file.
    const manifests = readdirSync(DEPLOY).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect(manifests.sort()).toEqual([...generated.keys()].sort());
    const kustomization = parse(readFileSync(join(DEPLOY, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect([...kustomization.resources].sort()).toEqual([...generated.keys()].sort());
  });

  it('should grant exactly the RBAC that `l4gw rbac` generates from the adapter (R6)', () => {
    expect(readFileSync(RBAC_RULES_FILE, 'utf8'), 'charts/l4gw/files/rbac-rules.yaml (run `pnpm gen:deploy`)').toBe(rbacRulesFile());
    const generated = parse(rbacRulesFile()) as { clusterRole: unknown[]; leaderElectionRole: unknown[] };
    const rendered = objects(renderChart());
    expect(find(rendered, 'ClusterRole')?.['rules']).toEqual(generated.clusterRole);
    expect(find(rendered, 'Role')?.['rules']).toEqual(generated.leaderElectionRole);
  });

  it('should carry the CLI package version as chart version, appVersion and default image tag, and the repository as source', () => {
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'cli', 'package.json'), 'utf8')) as { version: string }).version;
    const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as { version: string; appVersion: string; sources: string[] };
    expect([chart.version, chart.appVersion]).toEqual([version, version]);
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
    expect(chart.sources).toEqual([root.repository.url]);
    expect((podSpec(objects(renderChart())).containers[0] as unknown as { image: string }).image).toBe(`ghcr.io/l4gw/l4gw:${version}`);
    const pinned = podSpec(objects(renderChart({ set: ['image.digest=sha256:' + '0'.repeat(64)] })));
    expect((pinned.containers[0] as unknown as { image: string }).image).toBe(`ghcr.io/l4gw/l4gw@sha256:${'0'.repeat(64)}`);
  });

  it('should pass only flags the CLI accepts, for every option of config', () => {
    const help = runCli(['help', 'run']).stdout;
    const rendered = objects(renderChart({ set: ['config.loadBalancerClass=example.com/lb,config.pinAddresses=true,config.allowUnpooledAddresses=true'] }));
    const [command, ...flags] = podSpec(rendered).containers[0]!.args;
    expect(command).toBe('run');
    expect(flags).toContain('-load-balancer-class=example.com/lb');
    for (const flag of flags) expect(help).toContain(`  ${flag.split('=')[0]}`);
  });

  it('should elect a leader among replicas, and refuse several replicas without election', () => {
    const defaults = objects(renderChart());
    expect((find(defaults, 'Deployment') as { spec: { replicas: number } }).spec.replicas).toBe(2);
    expect(podSpec(defaults).containers[0]!.args).toContain('-leader-elect');
    expect(find(defaults, 'PodDisruptionBudget')).toBeDefined();
    expect(() => renderChart({ set: ['leaderElection.enabled=false'] })).toThrow(/replicas > 1 needs leaderElection.enabled/);
    const single = objects(renderChart({ set: ['leaderElection.enabled=false,replicas=1'] }));
    expect(podSpec(single).containers[0]!.args).not.toContain('-leader-elect');
    expect(find(single, 'Role'), 'no Lease permissions without leader election').toBeUndefined();
    expect(find(single, 'PodDisruptionBudget'), 'a PDB of one replica blocks drains').toBeUndefined();
  });

  it('should tolerate control-plane nodes, expose metrics, and add a ServiceMonitor and NetworkPolicy only when asked', () => {
    const defaults = objects(renderChart());
    expect(podSpec(defaults).tolerations).toContainEqual({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' });
    const service = find(defaults, 'Service') as { spec: { ports: { name: string; targetPort: string }[] } };
    expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'metrics', targetPort: 'metrics' })]);
    expect(find(defaults, 'ServiceMonitor')).toBeUndefined();
    expect(find(defaults, 'NetworkPolicy')).toBeUndefined();
    const all = objects(renderChart({ set: ['metrics.serviceMonitor.enabled=true,networkPolicy.enabled=true'] }));
    expect((find(all, 'ServiceMonitor') as { spec: { endpoints: { port: string }[] } }).spec.endpoints[0]?.port).toBe('metrics');
    expect((find(all, 'NetworkPolicy') as { spec: { policyTypes: string[] } }).spec.policyTypes).toEqual(['Ingress']);
    expect(() => renderChart({ set: ['metrics.serviceMonitor.enabled=true,metrics.service.enabled=false'] })).toThrow(/needs metrics.service.enabled/);
  });

  it('should size the heap under the memory limit, leaving room for what is not heap, with the defaults and every size docs/operations.md gives', () => {
    // The sizes documented for larger installations, as the `--set` values a user copies.
    const docs = readFileSync(join(REPO_ROOT, 'docs', 'operations.md'), 'utf8');
    const section = docs.slice(docs.indexOf('### Deployment sizing'), docs.indexOf('## Metrics'));
    const documented = [...section.matchAll(/`--set ([^`]+)`/g)].map((match) => match[1]!);
    expect(documented.length, 'docs/operations.md, Deployment sizing, gives `--set` values for larger sizes').toBeGreaterThan(0);
    for (const set of [undefined, ...documented]) {
      const container = podSpec(objects(renderChart({ set: set === undefined ? [] : [set] }))).containers[0]!;
      const heap = /^--max-old-space-size=(\d+)( --max-semi-space-size=\d+)?$/.exec(container.env.find((variable) => variable.name === 'NODE_OPTIONS')?.value ?? '');
      expect(heap, `NODE_OPTIONS sets --max-old-space-size (${set ?? 'defaults'})`).not.toBeNull();
      const limit = mebibytes(container.resources.limits.memory);
      const request = mebibytes(container.resources.requests.memory);
      // V8's old space is not all of the process: young generation, code, client-node's models and
      // buffers need ~1/4 more on top (docs/operations.md, Sizing).
      expect(Number(heap![1]), set ?? 'defaults').toBeLessThanOrEqual(limit * 0.75);
      expect(request, set ?? 'defaults').toBeLessThan(limit);
    }
  });

  it("should bound V8's young generation only when maxSemiSpaceSizeMiB is set", () => {
    const nodeOptions = (set: string[]): string | undefined =>
      podSpec(objects(renderChart({ set }))).containers[0]!.env.find((variable) => variable.name === 'NODE_OPTIONS')?.value;
    expect(nodeOptions([])).toBe('--max-old-space-size=768');
    expect(nodeOptions(['maxOldSpaceSizeMiB=128,maxSemiSpaceSizeMiB=2'])).toBe('--max-old-space-size=128 --max-semi-space-size=2');
  });
});
