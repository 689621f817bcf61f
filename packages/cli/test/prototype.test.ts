// The prototype's own manifests, uncorrected (fixtures/prototype-original): l4gw reads them,
// refuses the one the API server would refuse (a UDPRoute without spec), leaves the rest alone
// under its default controller name (their class names thebsdbox.co.uk/controller), and programs
// them when run with the prototype's flags.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from './run-cli.js';

const FIXTURES = 'packages/cli/test/fixtures/prototype-original';
const PROTOTYPE_FLAGS = ['-gateway-class-name', 'thebsdbox.co.uk/controller', '-ipam-configmap', 'kube-vip'];

type Item = { kind: string; metadata: { name: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; status?: Record<string, unknown> };

/** Every fixture but udproute.yaml, a UDPRoute without spec that the API server refuses (its own test below). */
const ACCEPTED_FIXTURES = ['configmap.yaml', 'gateway.yaml', 'gatewayClass.yaml', 'nginx_with_service.yaml', 'tcproute.yaml', 'tcproute_label_selectors.yaml'];

function reconcile(...flags: string[]): Item[] {
  const result = runCli(['reconcile', ...ACCEPTED_FIXTURES.flatMap((file) => ['-f', `${FIXTURES}/${file}`]), '-o', 'yaml', ...flags]);
  expect(result.status).toBe(0);
  return (parse(result.stdout) as { items: Item[] }).items;
}

function find(items: Item[], kind: string, name: string): Item {
  const item = items.find((candidate) => candidate.kind === kind && candidate.metadata.name === name);
  if (item === undefined) throw new Error(`no ${kind} ${name}`);
  return item;
}

function condition(status: unknown, type: string): string | undefined {
  const list = (status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
  return list.find((entry) => entry.type === type)?.status;
}

describe('the prototype\'s original manifests', () => {
  it('should be left alone under the default controller name, whose class they do not name (GC1)', () => {
    const items = reconcile();
    expect(find(items, 'GatewayClass', 'demo-gateway-class').status).toBeUndefined();
    expect(find(items, 'Gateway', 'demo-gateway').status).toBeUndefined();
    expect(items.filter((item) => item.metadata.labels?.['app.kubernetes.io/managed-by'] === 'l4gw')).toEqual([]);
  });

  it('should be programmed with the prototype\'s flags: an address from its pool, both TCPRoutes attached (RT5)', () => {
    const items = reconcile(...PROTOTYPE_FLAGS);
    const gateway = find(items, 'Gateway', 'demo-gateway');
    expect(condition(gateway.status, 'Programmed')).toBe('True');
    const [address] = (gateway.status?.['addresses'] as { value: string }[] | undefined) ?? [];
    expect(address?.value).toMatch(/^172\.18\.100\.(1\d|2\d|30)$/);
    const listeners = gateway.status?.['listeners'] as { name: string; attachedRoutes: number }[];
    expect(listeners).toEqual([expect.objectContaining({ name: 'http-server', attachedRoutes: 2 })]);
    const route = find(items, 'TCPRoute', 'my-nginx').status?.['parents'] as { conditions: unknown }[];
    expect(condition({ conditions: route[0]?.conditions }, 'Accepted')).toBe('True');
    expect(gateway.spec).not.toHaveProperty('addresses'); // GW5: the spec is not written by default
  });

  it('should refuse the UDPRoute without a spec as the API server would, naming the file and field', () => {
    const result = runCli(['reconcile', '-f', FIXTURES, '-o', 'yaml', ...PROTOTYPE_FLAGS]);
    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(/udproute\.yaml:\d+: UDPRoute tbd: spec is required \(the API server would refuse it\)/);
  });

  it('should record the address in the Gateway spec with -pin-addresses, as the prototype did (GW5)', () => {
    const items = reconcile(...PROTOTYPE_FLAGS, '-pin-addresses');
    const gateway = find(items, 'Gateway', 'demo-gateway');
    const [status] = gateway.status?.['addresses'] as { value: string }[];
    expect(gateway.spec?.['addresses']).toEqual([{ type: 'IPAddress', value: status?.value }]);
  });
});
