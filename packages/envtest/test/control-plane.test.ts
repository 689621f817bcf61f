import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { ApiException, ApisApi, CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../src/index.js';

// Each test here owns its control plane (restarts and CRD sets would disturb the shared one).

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

async function servedResources(kubeConfig: KubeConfig, version: string): Promise<string[]> {
  try {
    const list = await kubeConfig.makeApiClient(CustomObjectsApi).getAPIResources({ group: GATEWAY_GROUP, version });
    return list.resources.map((r) => r.name).sort();
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return [];
    throw error;
  }
}

describe('startControlPlane', () => {
  let controlPlane: ControlPlane | undefined;
  afterEach(async () => {
    await controlPlane?.stop();
    controlPlane = undefined;
  });

  it('should keep the URL, the kubeconfig and the stored objects across an API server restart', async () => {
    controlPlane = await startControlPlane({ crds: 'none' });
    const core = controlPlane.kubeConfig.makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'survives-restart' }, data: { key: 'value' } },
    });
    const urlBefore = controlPlane.apiServerUrl;

    await controlPlane.stopApiServer();
    await expect(core.readNamespace({ name: 'default' })).rejects.toThrow();

    await controlPlane.startApiServer();
    expect(controlPlane.apiServerUrl).toBe(urlBefore);
    const fromFile = new KubeConfig();
    fromFile.loadFromFile(controlPlane.kubeconfigPath);
    const configMap = await fromFile.makeApiClient(CoreV1Api).readNamespacedConfigMap({ namespace: 'default', name: 'survives-restart' });
    expect(configMap.data).toEqual({ key: 'value' });

    await controlPlane.restartApiServer();
    const again = await core.readNamespacedConfigMap({ namespace: 'default', name: 'survives-restart' });
    expect(again.metadata?.uid).toBe(configMap.metadata?.uid);
  });

  it('should serve TCPRoute and UDPRoute only as v1alpha2 with the legacy CRD set', async () => {
    controlPlane = await startControlPlane({ crds: 'legacy-experimental' });
    const v1alpha2 = await servedResources(controlPlane.kubeConfig, 'v1alpha2');
    expect(v1alpha2).toEqual(expect.arrayContaining(['tcproutes', 'udproutes']));
    const v1 = await servedResources(controlPlane.kubeConfig, 'v1');
    expect(v1).toContain('gateways');
    expect(v1).not.toContain('tcproutes');
    expect(v1).not.toContain('udproutes');
  });

  it('should serve TCPRoute and UDPRoute as v1 and not v1alpha2 with the v1.6 standard set', async () => {
    controlPlane = await startControlPlane({ crds: 'v1.6-standard' });
    expect(await servedResources(controlPlane.kubeConfig, 'v1')).toEqual(expect.arrayContaining(['gateways', 'tcproutes', 'udproutes']));
    expect(await servedResources(controlPlane.kubeConfig, 'v1alpha2')).not.toContain('tcproutes');
  });

  it('should serve no Gateway API group at all with the empty CRD set', async () => {
    controlPlane = await startControlPlane({ crds: 'none' });
    const groups = await controlPlane.kubeConfig.makeApiClient(ApisApi).getAPIVersions();
    const names = groups.groups.map((g) => g.name);
    expect(names).toContain('apiextensions.k8s.io');
    expect(names).not.toContain(GATEWAY_GROUP);
  });

  it('should authenticate extra token users without granting them any rights', async () => {
    controlPlane = await startControlPlane({ crds: 'none', users: [{ name: 'nobody', groups: ['l4gw-test'] }] });
    const asNobody = controlPlane.kubeConfigForUser('nobody').makeApiClient(CoreV1Api);
    const error: unknown = await asNobody.listNamespace().catch((e: unknown) => e);
    // 403 (known but forbidden by RBAC), not 401 (unknown token).
    expect(error).toBeInstanceOf(ApiException);
    expect((error as ApiException<unknown>).code).toBe(403);
    expect(() => controlPlane?.kubeConfigForUser('somebody-else')).toThrow(/no user somebody-else/);
  });

  it('should stop both processes and remove its files on stop', async () => {
    const own = await startControlPlane({ crds: 'none' });
    controlPlane = own;
    const directory = dirname(own.kubeconfigPath);
    expect(existsSync(directory)).toBe(true);
    await own.stop();
    expect(existsSync(directory)).toBe(false);
    await expect(own.kubeConfig.makeApiClient(CoreV1Api).readNamespace({ name: 'default' })).rejects.toThrow();
    await own.stop(); // a second stop is harmless
  });
});
