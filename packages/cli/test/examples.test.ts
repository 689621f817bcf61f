// The CLI as a spawned process on every example: golden `reconcile -o yaml` output per example
// directory (regenerate with L4GW_UPDATE_GOLDEN=1 and read the diff before committing), the
// whole tree at once, and the controller's fixpoint seen from outside (R1).
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, runCli } from './run-cli.js';

const GOLDEN_DIR = join(REPO_ROOT, 'packages', 'cli', 'test', 'golden');
const UPDATE = process.env['L4GW_UPDATE_GOLDEN'] === '1';

/** Each example directory, with the flags its README says to run it with. */
const EXAMPLES: readonly { readonly dir: string; readonly flags: readonly string[] }[] = [
  { dir: 'endpoints', flags: [] },
  { dir: 'create', flags: [] },
  { dir: 'duplicate', flags: [] },
  { dir: 'update', flags: [] },
  { dir: 'cross-namespace', flags: [] },
  { dir: 'listenerset', flags: [] },
  { dir: 'static-address', flags: [] },
  { dir: 'ipam', flags: [] },
  { dir: 'announcers/kube-vip', flags: [] },
  { dir: 'announcers/metallb', flags: ['-lb-annotations', 'metallb'] },
  { dir: 'announcers/cilium', flags: ['-lb-annotations', 'cilium'] },
];

function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (UPDATE || !existsSync(file)) {
    writeFileSync(file, actual);
    if (!UPDATE) throw new Error(`${name} did not exist and was written; review it and run again`);
  }
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

type Item = { kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; status?: Record<string, unknown> };

function items(yamlText: string): Item[] {
  return (parse(yamlText) as { items: Item[] }).items;
}

describe('l4gw reconcile on examples/', () => {
  it.each(EXAMPLES)('should print the golden List for examples/$dir', ({ dir, flags }) => {
    const result = runCli(['reconcile', '-f', `examples/${dir}`, '-o', 'yaml', ...flags]);
    expect(result.stderr.split('\n').filter((line) => line.startsWith('error'))).toEqual([]);
    expect(result.status).toBe(0);
    expectGolden(`${dir.replace('/', '-')}.yaml`, result.stdout);
  });

  it('should program every example Gateway except the unpooled request (IP5) and the one its pool has no room for (GW4)', () => {
    const result = runCli(['reconcile', '-f', 'examples', '-o', 'yaml']);
    expect(result.status).toBe(0);
    const gateways = items(result.stdout).filter((item) => item.kind === 'Gateway');
    expect(gateways.length).toBeGreaterThanOrEqual(EXAMPLES.length);
    const programmed = (item: Item) =>
      (item.status?.['conditions'] as { type: string; status: string }[] | undefined)?.find((c) => c.type === 'Programmed')?.status;
    const notProgrammed = gateways.filter((gateway) => programmed(gateway) !== 'True').map((g) => `${g.metadata.namespace}/${g.metadata.name}`);
    expect(notProgrammed.sort()).toEqual(['l4gw-ipam/gateway-c', 'l4gw-static/unpooled-gateway']);
  });

  it('should give every Gateway of the whole tree a distinct address (IP3)', () => {
    const result = runCli(['reconcile', '-f', 'examples', '-o', 'json']);
    expect(result.status).toBe(0);
    const addresses = (JSON.parse(result.stdout) as { items: Item[] }).items
      .filter((item) => item.kind === 'Gateway')
      .flatMap((item) => (item.status?.['addresses'] as { value: string }[] | undefined) ?? [])
      .map((address) => address.value);
    expect(addresses.length).toBeGreaterThan(0);
    expect(new Set(addresses).size).toBe(addresses.length);
  });

  it('should print the golden summary table for the README command (pnpm demo)', () => {
    const result = runCli(['reconcile', '-f', 'examples', '-o', 'table']);
    expect(result.status).toBe(0);
    expectGolden('examples.table.txt', result.stdout);
  });

  it('should print the golden pool usage and address holders for the whole tree (l4gw ipam, IP7)', () => {
    const result = runCli(['ipam', '-f', 'examples']);
    expect(result.status).toBe(0);
    expectGolden('examples.ipam.txt', result.stdout);
  });

  it.each(EXAMPLES)('should leave examples/$dir unchanged when reconciled again from its own output (R1 fixpoint)', ({ dir, flags }) => {
    const first = runCli(['reconcile', '-f', `examples/${dir}`, '-o', 'yaml', ...flags]);
    const again = join(mkdtempSync(join(tmpdir(), 'l4gw-fixpoint-')), 'cluster.yaml');
    writeFileSync(again, first.stdout);
    const second = runCli(['reconcile', '-f', again, '-o', 'yaml', ...flags]);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('should keep the shared GatewayClass and IPAM ConfigMap identical in every example', () => {
    for (const file of ['gatewayclass.yaml', 'ipam-configmap.yaml']) {
      const copies = EXAMPLES.map(({ dir }) => readFileSync(join(REPO_ROOT, 'examples', dir, file), 'utf8'));
      expect(new Set(copies).size).toBe(1);
    }
  });

  it('should have a golden test for every example directory that holds a Gateway', () => {
    const withGateway = (dir: string): string[] =>
      readdirSync(join(REPO_ROOT, 'examples', dir), { withFileTypes: true }).flatMap((entry) => {
        const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
        if (entry.isDirectory()) return withGateway(path);
        return /^gateways?\.yaml$/.test(entry.name) ? [dir] : [];
      });
    expect(withGateway('').sort()).toEqual(EXAMPLES.map(({ dir }) => dir).sort());
  });
});
