import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT, runCli } from './run-cli.js';

const DEPLOY = join(REPO_ROOT, 'examples', 'deploy');

/** The fields of examples/deploy/deployment.yaml these tests read. */
interface DeploymentShape {
  spec: {
    replicas: number;
    template: {
      spec: {
        serviceAccountName: string;
        securityContext: { runAsNonRoot: boolean };
        containers: {
          args: string[];
          livenessProbe: { httpGet: { path: string } };
          readinessProbe: { httpGet: { path: string } };
          resources: { requests?: Record<string, string>; limits: { memory?: string } };
          securityContext: unknown;
        }[];
      };
    };
  };
}

function deployment(): DeploymentShape {
  return documents('deployment.yaml')[0] as unknown as DeploymentShape;
}

function documents(file: string): Record<string, unknown>[] {
  return parseAllDocuments(readFileSync(join(DEPLOY, file), 'utf8')).map((doc) => doc.toJS() as Record<string, unknown>);
}

describe('examples/deploy', () => {
  it('should commit exactly the RBAC that `l4gw rbac` generates from the adapter (R6)', () => {
    const generated = runCli(['rbac']);
    expect(generated.status).toBe(0);
    expect(readFileSync(join(DEPLOY, 'rbac.yaml'), 'utf8')).toBe(generated.stdout);
  });

  it('should list every manifest in the kustomization and nothing that does not exist', () => {
    const [kustomization] = documents('kustomization.yaml');
    expect(kustomization?.['resources']).toEqual(['namespace.yaml', 'serviceaccount.yaml', 'rbac.yaml', 'deployment.yaml', 'poddisruptionbudget.yaml']);
    for (const file of kustomization?.['resources'] as string[]) expect(documents(file).length).toBeGreaterThan(0);
  });

  it('should run two leader-elected, probed, non-root replicas with a read-only root and no capabilities (R4)', () => {
    const { spec } = deployment();
    expect(spec.replicas).toBe(2);
    const pod = spec.template.spec;
    expect(pod.serviceAccountName).toBe('l4gw');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    const container = pod.containers[0]!;
    expect(container.args).toContain('-leader-elect');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });

  it('should pass only flags the CLI accepts (the prototype manifest passed a flag its binary did not define)', () => {
    const [, ...flags] = deployment().spec.template.spec.containers[0]!.args;
    const help = runCli(['help', 'run']).stdout;
    for (const flag of flags) expect(help).toContain(`  ${flag.split('=')[0]}`);
  });
});
