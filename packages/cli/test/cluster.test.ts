import type { KubeObject } from '@l4gw/core';
import { describe, expect, it } from 'vitest';
import { OfflineCluster, withServerDefaults } from '../src/cluster.js';

const NOW = '2026-01-02T03:04:05Z';

function sourced(object: KubeObject, source = 'x.yaml:1') {
  return { object, source };
}

describe('withServerDefaults', () => {
  it('should put namespaced objects in default, label Namespaces, and add uid and creation time', () => {
    const service = withServerDefaults({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }, NOW);
    expect(service.metadata.namespace).toBe('default');
    expect(service.metadata.creationTimestamp).toBe(NOW);
    expect(service.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(service.metadata.generation).toBeUndefined();
    const namespace = withServerDefaults({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels: { a: 'b' } } }, NOW);
    expect(namespace.metadata.namespace).toBeUndefined();
    expect(namespace.metadata.labels).toEqual({ a: 'b', 'kubernetes.io/metadata.name': 'n' });
  });

  it('should give Gateway API objects a generation and keep every field the manifest sets', () => {
    const gateway = withServerDefaults(
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'n', uid: 'u', generation: 7, creationTimestamp: '2020-01-01T00:00:00Z' } },
      NOW,
    );
    expect(gateway.metadata).toEqual({ name: 'g', namespace: 'n', uid: 'u', generation: 7, creationTimestamp: '2020-01-01T00:00:00Z' });
    const fresh = withServerDefaults({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'c' } }, NOW);
    expect(fresh.metadata.generation).toBe(1);
    expect(fresh.metadata.namespace).toBeUndefined();
  });

  it('should derive the same uid for the same object and different ones for different objects', () => {
    const uid = (name: string) => withServerDefaults({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } }, NOW).metadata.uid;
    expect(uid('a')).toBe(uid('a'));
    expect(uid('a')).not.toBe(uid('b'));
  });
});

describe('OfflineCluster', () => {
  const configMap = (data: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' }, data: { k: data } });

  it('should merge identical copies of one object and keep the first position', () => {
    const cluster = OfflineCluster.fromManifests([sourced(configMap('1')), sourced({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }), sourced(configMap('1'), 'y.yaml:3')], NOW);
    expect(cluster.objects().map((o) => o.kind)).toEqual(['ConfigMap', 'Namespace']);
  });

  it('should treat two versions of one group as the same object', () => {
    const grant = (version: string): KubeObject => ({ apiVersion: `gateway.networking.k8s.io/${version}`, kind: 'ReferenceGrant', metadata: { name: 'g', namespace: 'n' } });
    expect(() => OfflineCluster.fromManifests([sourced(grant('v1beta1')), sourced(grant('v1'), 'y.yaml:1')], NOW)).toThrow(/is also defined, differently, at x\.yaml:1/);
  });

  it('should sort objects into the snapshot and add the Namespaces objects live in', () => {
    const cluster = OfflineCluster.fromManifests(
      [
        sourced({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g', namespace: 'apps' } }),
        sourced({ apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 'r', namespace: 'apps' } }),
        sourced({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'e', namespace: 'apps' } }),
        sourced({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'other' } }),
        sourced(configMap('1')),
      ],
      NOW,
    );
    const snapshot = cluster.snapshot();
    expect(snapshot.gateways).toHaveLength(1);
    expect(snapshot.tcpRoutes).toHaveLength(1);
    expect(snapshot.endpointSlices).toHaveLength(1);
    expect(snapshot.configMaps).toHaveLength(1);
    expect(snapshot.services).toHaveLength(0);
    expect((snapshot.namespaces as KubeObject[]).map((ns) => ns.metadata.name)).toEqual(['apps', 'n', 'other']);
    // Implicit namespaces are for core only: they are not part of the printed cluster.
    expect(cluster.objects().some((o) => o.kind === 'Namespace')).toBe(false);
  });

  it('should apply a plan as the API server would: create with defaults, update keeps status, status writes, delete', () => {
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { type: 'ClusterIP' }, status: { loadBalancer: {} } };
    const cluster = OfflineCluster.fromManifests([sourced(service), sourced(configMap('1'))], NOW);
    cluster.apply([
      { verb: 'create', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b', namespace: 'n' } } },
      { verb: 'create', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'n' } } },
      { verb: 'update', object: { ...service, spec: { type: 'LoadBalancer' }, status: { ignored: true } } },
      { verb: 'updateStatus', target: { apiVersion: 'v1', kind: 'Service', namespace: 'n', name: 's' }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } },
      { verb: 'delete', target: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'n', name: 'c' } },
    ]);
    const objects = cluster.objects();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/s', 'Service/a', 'Service/b']);
    expect(objects[0]).toMatchObject({ spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } });
    expect(objects[1]?.metadata.creationTimestamp).toBe(NOW);
    expect(objects[1]?.metadata.uid).toBeDefined();
  });

  it('should show objects no write touched exactly as their manifest gave them, and written ones as the server would hold them', () => {
    const untouched: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'user' }, spec: { type: 'ClusterIP' } };
    const written: KubeObject = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'c' }, spec: { controllerName: 'x' } };
    const cluster = OfflineCluster.fromManifests([sourced(untouched), sourced(written)], NOW);
    cluster.apply([{ verb: 'updateStatus', target: { apiVersion: written.apiVersion, kind: 'GatewayClass', name: 'c' }, status: { conditions: [] } }]);
    const [user, gatewayClass] = cluster.output();
    expect(user).toEqual(untouched);
    expect(gatewayClass?.metadata.uid).toBeDefined();
    expect(gatewayClass?.status).toEqual({ conditions: [] });
    // The snapshot core reads still has the server's defaults.
    expect(cluster.objects()[0]?.metadata).toMatchObject({ namespace: 'default', creationTimestamp: NOW });
  });

  it('should refuse a plan that writes an object that does not exist', () => {
    const cluster = OfflineCluster.fromManifests([], NOW);
    expect(() => cluster.apply([{ verb: 'delete', target: { apiVersion: 'v1', kind: 'Service', namespace: 'n', name: 'x' } }])).toThrow(/does not exist/);
  });
});
