// How the CLI finds and talks to a cluster, against the shared test API server: kubeconfig lookup
// in client-go's order ($KUBECONFIG entries merged, -master alone), errors that name their cause
// (TLS), and `reconcile -check` failing on a live cluster where there is nothing of ours to check.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { type KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { createTestNamespace } from '@l4gw/envtest';
import { sharedApiServerUrl, sharedKubeConfig, sharedKubeconfigPath } from '@l4gw/envtest/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from './run-cli.js';

const kubeConfig = sharedKubeConfig();
const client = KubernetesObjectApi.makeApiClient(kubeConfig);

/** The environment of a user with no kubeconfig of their own (and not in a pod). */
function bareEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { KUBECONFIG: _kubeconfig, KUBERNETES_SERVICE_HOST: _host, ...rest } = process.env;
  return { ...rest, HOME: mkdtempSync(join(tmpdir(), 'l4gw-home-')), ...extra };
}

function checkLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('check: '));
}

describe('the CLI against a cluster', () => {
  let namespace: string;
  let controllerName: string;
  const flags = (): string[] => ['-gateway-class-name', controllerName, '-ipam-configmap', `${namespace}/pools`];

  beforeAll(async () => {
    namespace = await createTestNamespace(kubeConfig, 'cli-access');
    controllerName = `l4gw.test/${namespace}`;
    const gateway = (name: string, gatewayClassName: string): KubernetesObject => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name, namespace },
      spec: { gatewayClassName, listeners: [{ name: 'tcp', port: 80, protocol: 'TCP' }] },
    } as KubernetesObject);
    for (const object of [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: namespace }, spec: { controllerName } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pools', namespace }, data: { 'range-global': '10.98.0.10-10.98.0.20' } },
      gateway('good', namespace),
      gateway('typo', `${namespace}-typo`),
    ] as KubernetesObject[]) {
      await client.create(object);
    }
  });

  // The misspelt Gateway would add a warning to every later -check on the shared server: delete it by name.
  afterAll(async () => {
    await client.delete({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'typo', namespace } }).catch(() => undefined);
  });

  it('should merge $KUBECONFIG entries as client-go does, skipping missing ones, and warn of a misspelt class', () => {
    const shared = parse(readFileSync(sharedKubeconfigPath(), 'utf8')) as { 'current-context': string };
    // This file only chooses the context; the shared file behind it defines it.
    const chooser = join(mkdtempSync(join(tmpdir(), 'l4gw-kubeconfig-')), 'config');
    writeFileSync(chooser, stringify({ apiVersion: 'v1', kind: 'Config', 'current-context': shared['current-context'] }));
    const KUBECONFIG = ['/nonexistent/kubeconfig', chooser, sharedKubeconfigPath()].join(delimiter);
    // reconcile reads a cluster when told to: -master (here the same server) says so without naming a file.
    const result = runCli(['reconcile', '-master', sharedApiServerUrl(), '-check', '-o', 'table', ...flags()], bareEnv({ KUBECONFIG }));
    // On a live cluster other teams' Gateways (and leftovers) name classes l4gw cannot judge: a
    // missing class is a warning there, and this cluster's Gateway of ours is ready.
    expect(checkLines(result.stderr)).toEqual([]);
    expect(result.stderr).toContain(`warning: Gateway ${namespace}/typo: gatewayClassName "${namespace}-typo" names no GatewayClass`);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`${namespace}/good\\s+${namespace}\\s+10\\.98\\.0\\.10\\s+True`));
  });

  it('should exit 5 with -check when no GatewayClass of ours exists on the cluster', () => {
    const result = runCli(['reconcile', '-kubeconfig', sharedKubeconfigPath(), '-check', '-gateway-class-name', `${controllerName}-none`]);
    expect(result.status).toBe(5);
    expect(checkLines(result.stderr)[0]).toBe(`check: no GatewayClass has spec.controllerName "${controllerName}-none" (is -gateway-class-name right?)`);
  });

  it('should use -master alone when there is no kubeconfig, and say that the TLS certificate is not trusted', () => {
    const result = runCli(['ipam', '-master', sharedApiServerUrl(), ...flags()], bareEnv());
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^l4gw: cannot read the cluster at ${sharedApiServerUrl().replace(/[.]/g, '\\.')}/?: fetch failed: .*certificate`));
  });

  it('should keep the kubeconfig\'s credentials when -master overrides its server', () => {
    const result = runCli(['ipam', '-kubeconfig', sharedKubeconfigPath(), '-master', sharedApiServerUrl(), '-o', 'json', ...flags()], bareEnv());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ addresses: [{ gateway: `${namespace}/good`, address: '10.98.0.10' }] });
  });
});
