// The operator's command line as a kubelet would start it from a rendered Deployment: the first
// container's args with $(VAR) references expanded from its env (fieldRef metadata.namespace →
// the Pod's namespace), and its literal env. Tests start that command themselves (no kubelet in
// envtest), with loopback ports and a kubeconfig in place of in-cluster credentials.

import { createServer } from 'node:net';

interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly fieldRef?: { readonly fieldPath: string } };
}

export interface DeploymentLike {
  readonly spec: { readonly template: { readonly spec: { readonly containers: readonly { readonly args: readonly string[]; readonly env?: readonly EnvVar[] }[] } } };
}

export interface OperatorCommand {
  readonly args: string[];
  readonly env: Record<string, string>;
}

export interface Placement {
  readonly namespace: string;
  readonly kubeconfig: string;
  readonly metricsPort: number;
  readonly healthPort: number;
}

export function operatorCommand(deployment: DeploymentLike, placement: Placement): OperatorCommand {
  const container = deployment.spec.template.spec.containers[0];
  if (container === undefined) throw new Error('the Deployment has no container');
  const env: Record<string, string> = {};
  for (const variable of container.env ?? []) {
    if (variable.value !== undefined) env[variable.name] = variable.value;
    else if (variable.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace') env[variable.name] = placement.namespace;
    else throw new Error(`env ${variable.name}: only values and the metadata.namespace fieldRef are supported here`);
  }
  const expand = (arg: string) =>
    arg.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (reference, name: string) => env[name] ?? reference);
  const args = container.args.map(expand).map((arg) => {
    if (arg.startsWith('-metrics-bind-address=')) return `-metrics-bind-address=127.0.0.1:${placement.metricsPort}`;
    if (arg.startsWith('-health-probe-bind-address=')) return `-health-probe-bind-address=127.0.0.1:${placement.healthPort}`;
    return arg;
  });
  return { args: [...args, `-kubeconfig=${placement.kubeconfig}`], env };
}

/** A TCP port on loopback that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
