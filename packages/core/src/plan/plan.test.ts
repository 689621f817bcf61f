import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../model/kube.js';
import {
  ANNOTATION_INFRASTRUCTURE_KEYS,
  ANNOTATION_KUBE_VIP_IPS,
  ANNOTATION_METALLB_IPS,
  ANNOTATION_METALLB_SHARED,
  ANNOTATION_UPDATE_ORIGINAL,
  ENDPOINTSLICE_MANAGED_BY_VALUE,
  LABEL_ENDPOINTSLICE_MANAGED_BY,
} from '../model/labels.js';
import { plan } from './plan.js';
import { desired, generated, observed, ours, served, service } from './test-support.js';

describe('plan', () => {
  it('should plan nothing when the observed object carries every field core sets (R1)', () => {
    expect(plan(desired({ objects: [generated] }), observed({ services: [served] }))).toEqual([]);
  });

  it('should create a generated object that does not exist', () => {
    expect(plan(desired({ objects: [generated] }), observed({}))).toEqual([{ verb: 'create', object: generated }]);
  });

  it('should update a changed field at the observed resourceVersion and keep server-set fields', () => {
    const moved = service('gw-class', ours, { ...generated['spec'] as object, loadBalancerIP: '10.0.0.2' });
    const actions = plan(desired({ objects: [moved] }), observed({ services: [served] }));
    expect(actions).toHaveLength(1);
    const action = actions[0]!;
    expect(action.verb).toBe('update');
    if (action.verb !== 'update') return;
    expect(action.object.metadata.resourceVersion).toBe('7');
    expect(action.object['spec']).toMatchObject({ loadBalancerIP: '10.0.0.2', clusterIP: '10.96.0.10' });
    expect((action.object['spec'] as { ports: { nodePort: number }[] }).ports[0]!.nodePort).toBe(31000);
    expect(action.object.metadata.labels).toMatchObject({ 'someone.else/label': 'x' });
  });

  it('should remove infrastructure keys the Gateway no longer has, keeping the rest and foreign ones (GW8)', () => {
    const record = (labels: string[], annotations: string[]): string => JSON.stringify({ labels, annotations });
    const before = service('gw-class', { ...ours, team: 'a', tier: 'gold', 'someone.else/label': 'x' }, served['spec'] as Record<string, unknown>, {
      uid: 'u1',
      resourceVersion: '7',
      annotations: { note: 'n', 'someone.else/annotation': 'y', [ANNOTATION_INFRASTRUCTURE_KEYS]: record(['team', 'tier'], ['note']) },
    });
    // The Gateway now has only the label team=a: the record shrinks, so plan must write.
    const now = service('gw-class', { ...ours, team: 'a' }, generated['spec'] as Record<string, unknown>, {
      annotations: { [ANNOTATION_INFRASTRUCTURE_KEYS]: record(['team'], []) },
    });
    const [action, ...rest] = plan(desired({ objects: [now] }), observed({ services: [before] }));
    expect(rest).toEqual([]);
    if (action?.verb !== 'update') throw new Error(`expected an update, got ${action?.verb}`);
    expect(action.object.metadata.labels).toEqual({ ...ours, team: 'a', 'someone.else/label': 'x' });
    expect(action.object.metadata.annotations).toEqual({ 'someone.else/annotation': 'y', [ANNOTATION_INFRASTRUCTURE_KEYS]: record(['team'], []) });
    // And once the Gateway has no infrastructure at all, the record itself goes.
    const bare = plan(desired({ objects: [generated] }), observed({ services: [before] }))[0];
    if (bare?.verb !== 'update') throw new Error(`expected an update, got ${bare?.verb}`);
    expect(bare.object.metadata.annotations).toEqual({ 'someone.else/annotation': 'y' });
    expect(bare.object.metadata.labels).toEqual({ ...ours, 'someone.else/label': 'x' });
    // A record nobody can read removes nothing.
    const garbled = service('gw-class', before.metadata.labels!, served['spec'] as Record<string, unknown>, { annotations: { [ANNOTATION_INFRASTRUCTURE_KEYS]: '{nope' } });
    const kept = plan(desired({ objects: [generated] }), observed({ services: [garbled] }))[0];
    if (kept?.verb !== 'update') throw new Error(`expected an update, got ${kept?.verb}`);
    expect(kept.object.metadata.labels).toMatchObject({ team: 'a', tier: 'gold' });
  });

  it('should remove the announcer annotations of a previous style from a generated Service, also when the new style writes none (DP6)', () => {
    const metallb = service('gw-class', ours, served['spec'] as Record<string, unknown>, {
      uid: 'u1',
      resourceVersion: '7',
      annotations: { [ANNOTATION_METALLB_IPS]: '10.0.0.1', [ANNOTATION_METALLB_SHARED]: 'default/gw', 'someone.else/annotation': 'y' },
    });
    // lbAnnotations none: desired carries no announcer annotation at all, so a subset check alone would pass.
    const [toNone, ...rest] = plan(desired({ objects: [generated] }), observed({ services: [metallb] }));
    expect(rest).toEqual([]);
    if (toNone?.verb !== 'update') throw new Error(`expected an update, got ${toNone?.verb}`);
    expect(toNone.object.metadata.annotations).toEqual({ 'someone.else/annotation': 'y' });
    // To kube-vip: its key laid over, MetalLB's gone.
    const kubeVip = service('gw-class', ours, generated['spec'] as Record<string, unknown>, { annotations: { [ANNOTATION_KUBE_VIP_IPS]: '10.0.0.1' } });
    const toKubeVip = plan(desired({ objects: [kubeVip] }), observed({ services: [metallb] }))[0];
    if (toKubeVip?.verb !== 'update') throw new Error(`expected an update, got ${toKubeVip?.verb}`);
    expect(toKubeVip.object.metadata.annotations).toEqual({ 'someone.else/annotation': 'y', [ANNOTATION_KUBE_VIP_IPS]: '10.0.0.1' });
    // Converged: nothing more to write.
    expect(plan(desired({ objects: [kubeVip] }), observed({ services: [{ ...metallb, metadata: { ...metallb.metadata, annotations: toKubeVip.object.metadata.annotations } }] }))).toEqual([]);
  });

  it('should drop spec.loadBalancerIP from a generated Service that turns to the MetalLB style, which refuses it (DP6)', () => {
    const { loadBalancerIP: _ip, ...specWithout } = generated['spec'] as Record<string, unknown>;
    const asMetallb = service('gw-class', ours, specWithout, { annotations: { [ANNOTATION_METALLB_IPS]: '10.0.0.1' } });
    const [action, ...rest] = plan(desired({ objects: [asMetallb] }), observed({ services: [served] }));
    expect(rest).toEqual([]);
    if (action?.verb !== 'update') throw new Error(`expected an update, got ${action?.verb}`);
    expect(action.object['spec']).not.toHaveProperty('loadBalancerIP');
    expect(action.object['spec']).toMatchObject({ clusterIP: '10.96.0.10' });
    expect(plan(desired({ objects: [asMetallb] }), observed({ services: [action.object] }))).toEqual([]);
  });

  it('should never touch a foreign object that has the name of a generated one', () => {
    const foreign = service('gw-class', {}, { type: 'ClusterIP' }, { resourceVersion: '1' });
    expect(plan(desired({ objects: [generated] }), observed({ services: [foreign] }))).toEqual([]);
  });

  it('should delete generated objects no longer desired, with the uid as precondition (DP8)', () => {
    expect(plan(desired({}), observed({ services: [served] }))).toEqual([
      { verb: 'delete', target: { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: 'gw-class' }, uid: 'u1' },
    ]);
  });

  it('should not delete EndpointSlices the Kubernetes controller made for a generated Service (DP8)', () => {
    const kubeSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: 'copy-abcde',
        namespace: 'default',
        labels: { ...ours, [LABEL_ENDPOINTSLICE_MANAGED_BY]: 'endpointslice-controller.k8s.io' },
      },
    };
    const ourSlice = {
      ...kubeSlice,
      metadata: { name: 'gw-x', namespace: 'default', labels: { ...ours, [LABEL_ENDPOINTSLICE_MANAGED_BY]: ENDPOINTSLICE_MANAGED_BY_VALUE } },
    };
    const actions = plan(desired({}), observed({ endpointSlices: [kubeSlice, ourSlice] }));
    expect(actions.map((a) => (a.verb === 'delete' ? a.target.name : a.verb))).toEqual(['gw-x']);
  });

  it("should not delete objects generated for another l4gw instance's class (DP8, several -gateway-class-name)", () => {
    const theirs = service('gw-theirs', { ...ours, 'gateway.networking.k8s.io/gateway-class-name': 'theirs' }, {}, { uid: 't1' });
    const orphan = service('gw-gone', { ...ours, 'gateway.networking.k8s.io/gateway-class-name': 'deleted-class' }, {}, { uid: 'o1' });
    const classes = ['mine', 'theirs'].map((name) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name } }));
    const mine = desired({
      statuses: [{ target: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name: 'mine' }, status: {} }],
    });
    const actions = plan(mine, observed({ gatewayClasses: classes, services: [theirs, orphan] }));
    expect(actions.filter((a) => a.verb === 'delete').map((a) => (a.verb === 'delete' ? a.target.name : ''))).toEqual(['gw-gone']);
  });

  it('should not delete objects that are already being deleted or that are not ours', () => {
    const deleting = service('a', ours, {}, { deletionTimestamp: '2026-01-01T00:00:00Z' });
    const user = service('b', {}, {});
    expect(plan(desired({}), observed({ services: [deleting, user] }))).toEqual([]);
  });

  it('should update an edited object whole when an annotation must go (DP4 restore)', () => {
    const edited = service('web', {}, { type: 'LoadBalancer' }, { annotations: { [ANNOTATION_UPDATE_ORIGINAL]: '{}' }, resourceVersion: '3' });
    const restored = service('web', {}, { type: 'ClusterIP' });
    const actions = plan(desired({ objects: [restored] }), observed({ services: [edited] }));
    expect(actions).toEqual([
      { verb: 'update', object: { ...restored, metadata: { ...restored.metadata, resourceVersion: '3' } } },
    ]);
  });

  it('should not update an edited object that already matches, whatever server metadata it has', () => {
    const current = service('web', {}, { type: 'ClusterIP' }, { resourceVersion: '3', uid: 'x', annotations: {} });
    const wanted = service('web', {}, { type: 'ClusterIP' }, { resourceVersion: '2' });
    expect(plan(desired({ objects: [wanted] }), observed({ services: [current] }))).toEqual([]);
  });

  it('should skip an edited object that no longer exists', () => {
    expect(plan(desired({ objects: [service('gone', {}, {})] }), observed({}))).toEqual([]);
  });

  describe('status', () => {
    const gateway = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'default', name: 'gw' };
    const condition = { type: 'Accepted', status: 'True', reason: 'Accepted', message: '', observedGeneration: 1 };
    const observedGateway = {
      metadata: { name: 'gw', namespace: 'default', resourceVersion: '9' },
      status: { conditions: [{ ...condition, lastTransitionTime: '2026-01-01T00:00:00Z' }] },
    };

    it('should ignore lastTransitionTime when comparing conditions (GW7)', () => {
      const intent = { target: gateway, status: { conditions: [{ ...condition, lastTransitionTime: '2027-01-01T00:00:00Z' }] } };
      expect(plan(desired({ statuses: [intent] }), observed({ gateways: [observedGateway] }))).toEqual([]);
    });

    it('should update a changed status at the observed resourceVersion', () => {
      const status = { conditions: [{ ...condition, status: 'False', reason: 'Invalid', lastTransitionTime: 'now' }] };
      expect(plan(desired({ statuses: [{ target: gateway, status }] }), observed({ gateways: [observedGateway] }))).toEqual([
        { verb: 'updateStatus', target: gateway, status, resourceVersion: '9' },
      ]);
    });

    it('should match a route read as v1alpha2 to a target named as v1', () => {
      const route = { apiVersion: 'gateway.networking.k8s.io/v1alpha2', kind: 'TCPRoute', metadata: { name: 'r', namespace: 'default' }, status: { parents: [] } };
      const target = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'TCPRoute', namespace: 'default', name: 'r' };
      expect(plan(desired({ statuses: [{ target, status: { parents: [] } }] }), observed({ tcpRoutes: [route] }))).toEqual([]);
    });

    it('should not write status for an object that is not observed', () => {
      expect(plan(desired({ statuses: [{ target: gateway, status: {} }] }), observed({}))).toEqual([]);
    });
  });

  it('should order creates Services first, then slices, then by namespace and name', () => {
    const slice = (name: string): KubeObject => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name, namespace: 'a', labels: { ...ours, [LABEL_ENDPOINTSLICE_MANAGED_BY]: ENDPOINTSLICE_MANAGED_BY_VALUE } },
    });
    const svc = (ns: string, name: string): KubeObject => ({ ...service(name, ours, {}), metadata: { name, namespace: ns, labels: ours } });
    const objects = [slice('s2'), svc('b', 'x'), slice('s1'), svc('a', 'y')];
    const names = plan(desired({ objects }), observed({})).map((a) => (a.verb === 'create' ? a.object.metadata.name : ''));
    expect(names).toEqual(['y', 'x', 's1', 's2']);
  });
});

describe('plan with an object updated and its status changed together', () => {
  it('should send the status update without the resourceVersion the object update invalidates', () => {
    const observedClass = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: 'c', resourceVersion: '4' },
      spec: { controllerName: 'x' },
    };
    const withFinalizer = { ...observedClass, metadata: { name: 'c', finalizers: ['f'] } } as KubeObject;
    const target = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name: 'c' };
    const actions = plan(desired({ objects: [withFinalizer], statuses: [{ target, status: { conditions: [] } }] }), observed({ gatewayClasses: [observedClass] }));
    expect(actions.map((a) => a.verb)).toEqual(['update', 'updateStatus']);
    expect(actions[1]).toEqual({ verb: 'updateStatus', target, status: { conditions: [] } });
  });
});
