// The offline pipeline (parse → offline cluster → core reconcile and plan → apply → output) on
// arbitrary Kubernetes-shaped input: it either succeeds or stops with a CliError (an exit code
// and a message), never with a crash and a stack trace.
import fc from 'fast-check';
import { plan, reconcile, defaultOptions } from '@l4gw/core';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { OfflineCluster } from '../src/cluster.js';
import { CliError, ExitCode } from '../src/errors.js';
import { parseManifests } from '../src/manifests.js';
import { formatList } from '../src/output/list.js';
import { formatSummary } from '../src/output/summary.js';

const KINDS: readonly (readonly [string, string])[] = [
  ['gateway.networking.k8s.io/v1', 'GatewayClass'],
  ['gateway.networking.k8s.io/v1', 'Gateway'],
  ['gateway.networking.k8s.io/v1', 'TCPRoute'],
  ['gateway.networking.k8s.io/v1alpha2', 'UDPRoute'],
  ['gateway.networking.k8s.io/v1beta1', 'ReferenceGrant'],
  ['v1', 'Namespace'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
  ['discovery.k8s.io/v1', 'EndpointSlice'],
  ['v1', 'List'],
];

const name = fc.constantFrom('a', 'b', 'demo', 'kubevip', 'gw-demo-class', '');
const object = fc.record(
  {
    kind: fc.constantFrom(...KINDS),
    metadata: fc.record({ name, namespace: fc.option(fc.constantFrom('default', 'kube-system', 'x', 7), { nil: undefined }), labels: fc.anything() }, { requiredKeys: ['name'] }),
    spec: fc.anything(),
    data: fc.option(fc.dictionary(fc.constantFrom('range-global', 'cidr-global', 'search-order', 'x'), fc.constantFrom('10.0.0.1-10.0.0.9', '10.1.0.0/30', 'desc', 'junk', '')), { nil: undefined }),
    status: fc.anything(),
  },
  { requiredKeys: ['kind', 'metadata'] },
).map(({ kind: [apiVersion, kind], ...rest }) => ({ apiVersion, kind, ...rest }));

function runOffline(text: string): void {
  const cluster = OfflineCluster.fromManifests(parseManifests(text, 'fuzz.yaml'), '2026-01-01T00:00:00Z');
  const snapshot = cluster.snapshot();
  const desired = reconcile(snapshot, defaultOptions('2026-01-01T00:00:00Z'));
  cluster.apply(plan(desired, snapshot));
  formatList(cluster.objects(), 'yaml');
  formatSummary(cluster.objects(), 'kube-vip.io/controller');
}

describe('the offline pipeline', () => {
  it('should succeed or refuse the input (exit code 4) on arbitrary Kubernetes-shaped manifests', () => {
    fc.assert(
      fc.property(fc.array(object, { maxLength: 8 }), (objects) => {
        const text = objects.map((o) => stringify(o)).join('---\n');
        try {
          runOffline(text);
        } catch (error) {
          // Only the input may be at fault (exit code 4): a plan that writes objects that do not
          // exist (exit code 1) would be a bug in core or in the offline cluster.
          expect(error).toBeInstanceOf(CliError);
          expect((error as CliError).exitCode).toBe(ExitCode.invalidManifest);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('should succeed or fail with a CliError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          runOffline(text);
        } catch (error) {
          expect(error).toBeInstanceOf(CliError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
