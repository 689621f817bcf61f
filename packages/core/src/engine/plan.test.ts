import { describe, expect, it } from 'vitest';
import type { Action, Desired } from '../model/desired.js';
import type { KubeObject } from '../model/kube.js';
import type { Snapshot } from '../model/snapshot.js';
import { desired, generated, observed, ours, served, service } from '../plan/test-support.js';
import { planMemory, planWithMemory } from './plan.js';

/** A plan that remembers its work across calls in one new memory, as an engine's does. */
function rememberingPlan(): (desired: Desired, observed: Snapshot) => Action[] {
  const memory = planMemory();
  return (d, o) => planWithMemory(d, o, memory);
}

describe('planWithMemory', () => {
  it('should plan again when a desired object changed though the statuses and observed objects did not (R1)', () => {
    const plan = rememberingPlan();
    // Plans are remembered with their inputs: the same statuses list and observed lists, as on
    // a converged cluster, must not hide a desired object that changed.
    const statuses: Desired['statuses'] = [];
    const cluster = observed({ services: [served] });
    const moved = service('gw-class', ours, { ...(generated['spec'] as object), loadBalancerIP: '10.0.0.2' });
    expect(plan({ ...desired({ objects: [generated] }), statuses }, cluster)).toEqual([]);
    expect(plan({ ...desired({ objects: [moved] }), statuses }, cluster).map((a) => a.verb)).toEqual(['update']);
    expect(plan({ ...desired({ objects: [generated] }), statuses }, cluster)).toEqual([]);
  });

  it('should plan deletes again when which classes are ours changes, the objects being the same (DP8, R1)', () => {
    const plan = rememberingPlan();
    // The object writes are remembered with the desired objects, our classes and the observed
    // objects they read: the same (empty) desired objects must not hide another set of classes.
    const theirs = service('gw-theirs', { ...ours, 'gateway.networking.k8s.io/gateway-class-name': 'theirs' }, {}, { uid: 't1' });
    const classes = ['mine', 'theirs'].map((name) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name } }));
    const cluster = observed({ gatewayClasses: classes, services: [theirs] });
    const classStatus = (name: string) => ({ target: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', name }, status: {} });
    const deletes = (d: Desired) => plan(d, cluster).filter((a) => a.verb === 'delete').length;
    expect(deletes(desired({ statuses: [classStatus('mine')] }))).toBe(0);
    expect(deletes(desired({ statuses: [classStatus('mine'), classStatus('theirs')] }))).toBe(1);
  });

  it('should plan an edited Gateway again when the observed Gateway changed, the desired one being the same (GW5, R1)', () => {
    const plan = rememberingPlan();
    const gw = (addresses: unknown[], resourceVersion: string): KubeObject => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw', namespace: 'default', resourceVersion },
      spec: { gatewayClassName: 'c', addresses },
    });
    const pinned = desired({ objects: [gw([{ type: 'IPAddress', value: '10.0.0.1' }], '1')] });
    expect(plan(pinned, observed({ gateways: [gw([], '1')] })).map((a) => a.verb)).toEqual(['update']);
    expect(plan(pinned, observed({ gateways: [gw([{ type: 'IPAddress', value: '10.0.0.1' }], '2')] }))).toEqual([]);
  });

  it('should write a status again when the observed status changed, the intent being the same (R1)', () => {
    const plan = rememberingPlan();
    const target = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', namespace: 'default', name: 'gw' };
    const intent = { target, status: { addresses: [] } };
    const gw = (status: object): KubeObject => ({ ...target, metadata: { name: 'gw', namespace: 'default', resourceVersion: '1' }, status });
    const wanted = desired({ statuses: [intent] });
    expect(plan(wanted, observed({ gateways: [gw({ addresses: [] })] }))).toEqual([]);
    expect(plan(wanted, observed({ gateways: [gw({})] })).map((a) => a.verb)).toEqual(['updateStatus']);
  });

  it('should index an observed list again when it was refilled in place (R1)', () => {
    const plan = rememberingPlan();
    const services: unknown[] = [served];
    const cluster = observed({ services });
    expect(plan(desired({ objects: [generated] }), cluster)).toEqual([]);
    services.length = 0;
    expect(plan(desired({ objects: [generated] }), cluster).map((a) => a.verb)).toEqual(['create']);
  });
});
